{{ config(materialized='view') }}

-- The ml table as it is: its columns follow the seeds or the catalogue.
select * from {{ ref('stg_ml__metric_trends') }}  -- noqa: AM04
