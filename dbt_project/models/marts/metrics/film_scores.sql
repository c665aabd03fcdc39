{{
    config(
        indexes=[
            {'columns': ['film_id', 'profile'], 'unique': True},
            {'columns': ['profile', 'total_score desc nulls last', 'film_id']},
        ],
        post_hook='analyze {{ this }}',
    )
}}

{#- Every film of dim_films under every profile: film_scores_live materialised, with the
    films that have no data at all kept (null total_score, weight_coverage 0). What search
    and BI read. scored_at and profile_updated_at show whether a custom profile changed
    after this build; the film_scores sensor rebuilds the table when it did. Rows are stored
    and indexed in search order (profile, best score first), so a search reads one
    profile's best films from a few pages and stops at its page size; the post-hook's
    analyze gives the planner the statistics to choose that path right after a build. -#}

select
    films.film_id,
    films.title,
    films.release_year,
    profiles.profile,
    live.total_score,
    coalesce(live.weight_coverage, 0) as weight_coverage,
    coalesce(live.metrics_used, 0) as metrics_used,
    coalesce(live.categories_used, 0) as categories_used,
    {%- for category in metric_categories() %}
    live.{{ category }}_score,
    {%- endfor %}
    profiles.updated_at as profile_updated_at,
    '{{ run_started_at }}'::timestamptz as scored_at
from {{ ref('dim_films') }} as films
cross join {{ ref('dim_weight_profiles') }} as profiles
left join {{ ref('film_scores_live') }} as live
    on films.film_id = live.film_id
    and profiles.profile = live.profile
-- stored in search order, so one profile's best films share a few pages
order by profiles.profile asc, live.total_score desc nulls last, films.film_id asc
