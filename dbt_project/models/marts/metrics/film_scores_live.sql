{{ config(materialized='view') }}

{#- The scores computed on read, per film with data and profile, from film_score_breakdown:
    the score API reads it for one film (always current, custom profiles and their latest
    edits included) and film_scores materialises it for every film.

    total_score is null when no category the profile weighs has data: a film without data
    has no score, never a 0. weight_coverage is the share of the profile's weight that had
    data (nominal shares, before reliability), so a score from one metric is never presented
    like a score from twenty. available_coverage is the same evidence measured against the
    weight this deployment can fill at all (the metrics some feed gave a value for any film).

    ranked_score, what every ranking orders by, shrinks the total score towards the
    profile's prior by the evidence behind it:
        ranked_score = (weight_coverage x total_score + k x prior) / (weight_coverage + k)
    with k = ranking_k and prior = ranking_prior of the profile (dim_weight_profiles): a
    perfect score from a sliver of the profile's weight stays near the prior, a score from
    most of it keeps its value. -#}

with

scored as (

    select
        film_id,
        profile,
        sum(contribution) as total_score,
        sum(nominal_share) as weight_coverage,
        count(*) as metrics_used,
        count(distinct category) filter (where category_weight > 0) as categories_used,
        {%- for category in metric_categories() %}
        max(category_score) filter (where category = '{{ category }}') as {{ category }}_score
        {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ ref('film_score_breakdown') }}
    group by film_id, profile

),

available as (

    -- the part of each profile's weight that this deployment's feeds can fill
    select weights.profile, sum(weights.nominal_share) as available_weight
    from {{ ref('int_profile_metric_weights') }} as weights
    inner join {{ ref('metric_availability') }} as availability
        on weights.metric_code = availability.metric_code
    where availability.is_fed
    group by weights.profile

),

profiles as (

    select profile, ranking_k, ranking_prior, updated_at
    from {{ ref('dim_weight_profiles') }}

)

select
    scored.film_id,
    scored.profile,
    scored.total_score,
    (scored.weight_coverage * scored.total_score + profiles.ranking_k * profiles.ranking_prior)
    / (scored.weight_coverage + profiles.ranking_k) as ranked_score,
    scored.weight_coverage,
    scored.weight_coverage / nullif(available.available_weight, 0) as available_coverage,
    scored.metrics_used,
    scored.categories_used,
    {%- for category in metric_categories() %}
    scored.{{ category }}_score,
    {%- endfor %}
    profiles.ranking_k,
    profiles.ranking_prior,
    profiles.updated_at as profile_updated_at
from scored
inner join profiles on scored.profile = profiles.profile
left join available on scored.profile = available.profile
