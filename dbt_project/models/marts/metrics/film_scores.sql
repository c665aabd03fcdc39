{{
    config(
        indexes=[
            {'columns': ['film_id', 'profile'], 'unique': True},
            {'columns': ['profile', 'ranked_score desc nulls last', 'film_id']},
        ],
        post_hook='analyze {{ this }}',
    )
}}

{#- Every film of dim_films under every profile: film_scores_live materialised, with the
    films that have no data at all kept (null scores, coverages 0). What search, the
    leaderboards and BI read. film_label names every film, the ones no source gives a title
    included ('imdb:tt...'; has_title false: they are left out of the default leaderboards
    and listed in film_identity_issues). scored_at and profile_updated_at show whether a
    custom profile changed after this build; the film_scores sensor rebuilds the table when
    it did. Rows are stored and indexed in ranking order (profile, best ranked_score
    first), so a search reads one profile's best films from a few pages and stops at its
    page size; the post-hook's analyze gives the planner the statistics to choose that path
    right after a build. -#}

select
    films.film_id,
    films.title,
    films.release_year,
    films.film_label,
    films.title is not null as has_title,
    profiles.profile,
    live.total_score,
    live.ranked_score,
    coalesce(live.weight_coverage, 0) as weight_coverage,
    coalesce(live.available_coverage, 0) as available_coverage,
    coalesce(live.metrics_used, 0) as metrics_used,
    coalesce(live.categories_used, 0) as categories_used,
    {%- for category in metric_categories() %}
    live.{{ category }}_score,
    {%- endfor %}
    profiles.ranking_k,
    profiles.ranking_prior,
    profiles.updated_at as profile_updated_at,
    '{{ run_started_at }}'::timestamptz as scored_at
from {{ ref('dim_films') }} as films
cross join {{ ref('dim_weight_profiles') }} as profiles
left join {{ ref('film_scores_live') }} as live
    on films.film_id = live.film_id
    and profiles.profile = live.profile
-- stored in ranking order, so one profile's best films share a few pages
order by profiles.profile asc, live.ranked_score desc nulls last, films.film_id asc
