{{ config(materialized='view') }}

{#- The score calculator, step by step: for every film, profile and metric with data, the
    raw and normalised value, the weights and the metric's contribution to the total.

    effective_weight = normalized_weight x profile_metric_weight x source_reliability
    category_score   = sum(effective_weight x normalized_value) / sum(effective_weight)
                       over the category's metrics with data
    contribution     = renormalized_category_weight x share_of_category x normalized_value,
    where the category weights are renormalised over the categories that have data, so the
    contributions of a film and profile sum to its total_score. A view: filtered on one film
    and profile, Postgres reads only that film's rows (every window is partitioned by film
    and profile). -#}

with

metric_values as (

    select * from {{ ref('film_metric_values') }}

),

weights as (

    select * from {{ ref('int_profile_metric_weights') }}
    where metric_weight > 0

),

weighted as (

    select
        metric_values.film_id,
        weights.profile,
        weights.category,
        metric_values.metric_code,
        metric_values.source,
        metric_values.raw_value,
        metric_values.normalized_value,
        metric_values.is_clamped,
        metric_values.observed_at,
        weights.normalized_weight,
        weights.profile_metric_weight,
        metric_values.reliability as source_reliability,
        weights.metric_weight * metric_values.reliability as effective_weight,
        weights.category_weight,
        weights.nominal_share
    from metric_values
    inner join weights on metric_values.metric_code = weights.metric_code

),

within_category as (

    select
        *,
        effective_weight / sum(effective_weight) over film_category as share_of_category,
        sum(effective_weight * normalized_value) over film_category
        / sum(effective_weight) over film_category as category_score
    from weighted
    window film_category as (partition by film_id, profile, category)

),

within_profile as (

    select
        *,
        -- each category's weight once: its metrics' shares of the category sum to 1
        sum(category_weight * share_of_category) over (partition by film_id, profile)
            as weight_with_data
    from within_category

)

select
    film_id,
    profile,
    category,
    metric_code,
    source,
    raw_value,
    normalized_value,
    is_clamped,
    observed_at,
    normalized_weight,
    profile_metric_weight,
    source_reliability,
    effective_weight,
    share_of_category,
    category_score,
    category_weight,
    category_weight / nullif(weight_with_data, 0) as renormalized_category_weight,
    category_weight / nullif(weight_with_data, 0) * share_of_category * normalized_value
        as contribution,
    nominal_share
from within_profile
