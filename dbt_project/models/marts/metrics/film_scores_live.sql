{{ config(materialized='view') }}

{#- The scores computed on read, per film with data and profile, from film_score_breakdown:
    the score API reads it for one film (always current, custom profiles and their latest
    edits included) and film_scores materialises it for every film.

    total_score is null when no category the profile weighs has data: a film without data
    has no score, never a 0. weight_coverage is the share of the profile's weight that had
    data (nominal shares, before reliability), so a score from one metric is never presented
    like a score from twenty. -#}

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

)

select
    scored.*,
    profiles.updated_at as profile_updated_at
from scored
inner join {{ ref('dim_weight_profiles') }} as profiles on scored.profile = profiles.profile
