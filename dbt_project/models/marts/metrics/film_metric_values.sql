{{
    config(
        indexes=[
            {'columns': ['film_id', 'metric_code'], 'unique': True},
            {'columns': ['metric_code', 'normalized_value']},
            {'columns': ['metric_code', 'raw_value']},
        ],
        post_hook='analyze {{ this }}',
    )
}}

{#- One value per film and metric: when several sources observe it, the one rule is that
    the most reliable source wins, then the most recent observation, then the source name
    (so the choice never depends on row order). Every observation stays in
    fct_film_metrics; sources_observed says how many there were. -#}

with

observations as (

    select * from {{ ref('fct_film_metrics') }}

),

ranked as (

    select
        *,
        count(*) over same_metric as sources_observed,
        array_agg(source) over (
            same_metric order by source rows between unbounded preceding and unbounded following
        ) as observed_sources,
        row_number() over (
            same_metric order by reliability desc, observed_at desc, source asc
        ) as preference
    from observations
    window same_metric as (partition by film_id, metric_code)

)

select
    film_id,
    metric_code,
    category,
    source,
    raw_value,
    normalized_value,
    is_clamped,
    reliability,
    observed_at,
    detail,
    sources_observed,
    observed_sources
from ranked
where preference = 1
