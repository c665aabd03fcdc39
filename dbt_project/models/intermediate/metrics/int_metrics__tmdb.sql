{#- TMDb, when the TMDb connector runs (it needs an API key; the demo has no rows): rating,
    votes, budget, revenue and popularity from each film's details, observed when they were
    fetched, and the rank on the daily trending list from each hourly snapshot, which makes
    tmdb_trending_rank a real time series. TMDb gives 0 for an unknown budget or revenue
    and a 0 rating with no votes: those are left out, not read as zeros. -#}

with

films as (

    {{ metric_source_films('tmdb') }}

),

details as (

    select
        films.film_id,
        films.confidence,
        movies.tmdb_id,
        measures.metric_code,
        measures.raw_value,
        movies.fetched_at as observed_at
    from {{ ref('stg_tmdb__movies') }} as movies
    inner join films on movies.tmdb_id::text = films.source_key
    cross join
        lateral (
            values
            ('tmdb_rating', case when movies.vote_count > 0 then movies.vote_average end::float8),
            ('tmdb_vote_count', movies.vote_count::float8),
            ('tmdb_budget', nullif(movies.budget, 0)::float8),
            ('tmdb_revenue', nullif(movies.revenue, 0)::float8),
            ('tmdb_popularity', movies.popularity::float8)
        ) as measures (metric_code, raw_value)
    where measures.raw_value is not null

),

trending_ranks as (

    select
        films.film_id,
        'tmdb_trending_rank' as metric_code,
        min(trending.rank)::float8 as raw_value,
        trending.snapshot_hour as observed_at,
        jsonb_build_object(
            'tmdb_ids', array_agg(distinct trending.tmdb_id), 'time_window', 'day'
        ) as detail
    from {{ ref('stg_tmdb__trending') }} as trending
    inner join films on trending.tmdb_id::text = films.source_key
    where trending.time_window = 'day'
    group by films.film_id, trending.snapshot_hour

),

details_per_film as (

    -- two TMDb ids resolved to one film: the better-matched one counts
    select distinct on (film_id, metric_code, observed_at)
        film_id,
        metric_code,
        raw_value,
        observed_at,
        jsonb_build_object('tmdb_id', tmdb_id, 'match_confidence', confidence) as detail
    from details
    order by film_id asc, metric_code asc, observed_at asc, confidence desc, tmdb_id asc

)

select film_id, metric_code, 'tmdb' as source, raw_value, observed_at, detail
from details_per_film

union all

select film_id, metric_code, 'tmdb' as source, raw_value, observed_at, detail
from trending_ranks
