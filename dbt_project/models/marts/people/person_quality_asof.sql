{#- The API looks rows up by person_id. -#}
{{ config(indexes=[{'columns': ['person_id']}]) }}

-- The ml table as it is: its columns follow the seeds or the catalogue.
select * from {{ ref('stg_ml__person_quality_asof') }}  -- noqa: AM04
