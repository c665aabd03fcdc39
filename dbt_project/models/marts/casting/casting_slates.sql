{#- A view: a slate computed a moment ago is readable at once, without a dbt run. -#}
{{ config(materialized='view') }}

select
    slate_id,
    computed_at,
    dense_rank() over (order by computed_at desc, slate_id desc) as slate_recency,
    brief_year,
    brief_budget_millions,
    brief_genres,
    brief_bill_order,
    brief_director,
    slate_rank,
    actor_id,
    actor_name,
    p_cal,
    score,
    reasons,
    alternates,
    alternates is not null as has_alternates,
    model_run_id,
    model_version
from {{ ref('stg_app__casting_slates') }}
