{{ config(materialized='view') }}

select * from {{ ref('stg_ml__rising_films') }}
