{{ config(materialized='view') }}

select * from {{ ref('stg_ml__metric_timeseries_daily') }}
