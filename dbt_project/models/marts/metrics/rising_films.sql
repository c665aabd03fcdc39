{{ config(materialized='view') }}

{#- The films whose normalised value rose over their feed's last 30 days (ml.rising_films),
    with their name and their standing under the default profile: ranked_score and both
    coverages. Within a metric and feed, equal rises are ranked by ranked_score, so a rise
    of a well-evidenced film comes before the same rise of a film known from one metric. -#}

with

rising as (

    select * from {{ ref('stg_ml__rising_films') }}

),

standing as (

    select scores.*
    from {{ ref('film_scores') }} as scores
    inner join {{ ref('dim_weight_profiles') }} as profiles
        on scores.profile = profiles.profile
    where profiles.is_default

)

select
    rising.film_id,
    standing.film_label,
    rising.metric_code,
    rising.source,
    rising.as_of,
    rising.last_observed_on,
    rising.value,
    rising.normalized_value,
    rising.change_7d,
    rising.normalized_change_7d,
    rising.change_30d,
    rising.normalized_change_30d,
    rank() over (
        partition by rising.metric_code, rising.source
        order by rising.normalized_change_30d desc, standing.ranked_score desc nulls last
    ) as rise_rank,
    standing.profile as standing_profile,
    standing.ranked_score,
    standing.total_score,
    standing.weight_coverage,
    standing.available_coverage
from rising
left join standing on rising.film_id = standing.film_id
