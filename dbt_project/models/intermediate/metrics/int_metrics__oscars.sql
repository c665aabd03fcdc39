{#- Oscar nominations and wins per film, counted over official nominations only (the
    source also lists unofficial write-in candidates). A nominated film that never won has
    oscar_wins = 0, a real zero; a film never nominated has no observation at all. The
    source gives ceremony years, not dates: the counts are observed on 1 January of the
    ceremony year of the film's latest nomination (the awards year + 1). -#}

with

nominations as (

    select
        nomination_id,
        film_position,
        award_year,
        is_winner
    from {{ ref('stg_oscars__nominations') }}
    where is_official_nomination

),

films as (

    {{ metric_source_films('oscars') }}

),

per_film as (

    select
        films.film_id,
        count(distinct nominations.nomination_id) as nominations,
        count(distinct nominations.nomination_id) filter (where nominations.is_winner) as wins,
        max(nominations.award_year) + 1 as ceremony_year,
        array_agg(distinct nominations.nomination_id order by nominations.nomination_id)
            as nomination_ids
    from nominations
    inner join films
        on nominations.nomination_id || ':' || nominations.film_position = films.source_key
    group by films.film_id

)

select
    per_film.film_id,
    counts.metric_code,
    'oscars' as source,
    counts.raw_value,
    {{ utc_year_start('per_film.ceremony_year') }} as observed_at,
    jsonb_build_object('nomination_ids', per_film.nomination_ids) as detail
from per_film
cross join lateral (
    values
    ('oscar_nominations', per_film.nominations::float8),
    ('oscar_wins', per_film.wins::float8)
) as counts (metric_code, raw_value)
