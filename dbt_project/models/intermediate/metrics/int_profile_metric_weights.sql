{{ config(materialized='view') }}

{#- For every profile and active metric: the metric's weight within its category
    (normalized_weight x the profile's weight for it; 0 when the profile disables it), the
    profile's weight for the category, and the metric's nominal share of the whole profile
    (category weight x its part of the category's metric weight). The nominal shares of a
    profile sum to 1; weight_coverage in film_scores adds up the shares that had data.
    A metric the profile does not mention counts with weight 1. -#}

with

profiles as (

    select * from {{ ref('dim_weight_profiles') }}

),

definitions as (

    select * from {{ ref('metric_definitions') }}
    where active

),

overrides as (

    select profile, metric_code, weight, enabled
    from {{ ref('profile_metric_weights') }}
    union all
    select profile, metric_code, weight, enabled
    from {{ ref('stg_app__custom_profile_metric_weights') }}

),

category_weights as (

    select
        profiles.profile,
        categories.category,
        categories.category_weight
    from profiles
    cross join lateral (
        values
        {%- for category in metric_categories() %}
        ('{{ category }}', profiles.{{ category }}_weight){% if not loop.last %},{% endif %}
        {%- endfor %}
    ) as categories (category, category_weight)

),

metric_weights as (

    select
        profiles.profile,
        definitions.code as metric_code,
        definitions.category,
        definitions.normalized_weight,
        coalesce(overrides.weight, 1.0) as profile_metric_weight,
        case
            when coalesce(overrides.enabled, true)
                then definitions.normalized_weight * coalesce(overrides.weight, 1.0)
            else 0.0
        end as metric_weight
    from profiles
    cross join definitions
    left join overrides
        on profiles.profile = overrides.profile
        and definitions.code = overrides.metric_code

)

select
    metric_weights.profile,
    metric_weights.metric_code,
    metric_weights.category,
    metric_weights.normalized_weight,
    metric_weights.profile_metric_weight,
    metric_weights.metric_weight,
    category_weights.category_weight,
    category_weights.category_weight * metric_weights.metric_weight
    / nullif(sum(metric_weights.metric_weight) over (
        partition by metric_weights.profile, metric_weights.category
    ), 0) as nominal_share
from metric_weights
inner join category_weights
    on metric_weights.profile = category_weights.profile
    and metric_weights.category = category_weights.category
