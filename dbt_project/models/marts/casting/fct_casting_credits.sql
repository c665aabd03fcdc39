{#- The casting model's long table: one row per acting credit of a Movie Industry film in the
    credits bridge, with the film's year, budget, genre, director and the IMDb score and
    votes its resonance label is computed from (ml/casting/long_table.py reads it).

    Acting credits come from two sources: the Movie Industry data set's lead star of every
    film (`credited`), and Oscar acting nominations, whose category the bridge keeps as the
    role (`lead_actor` for a leading, `actor` for a supporting performance). Cast lists of
    the live connectors (TMDb, IMDb datasets) are left out: they cover only the films those
    connectors fetched, so an actor's history would depend on what was fetched, not on what
    they did. Only films of the Movie Industry data set are kept, because its IMDb score and
    votes define resonance. -#}
with

movie_industry as (
    -- The Movie Industry record of each film; when two records resolve to one film, the one
    -- with more votes (the better known listing) describes it.
    select distinct on (sources.film_id)
        sources.film_id,
        movies.budget_usd as budget,
        movies.genre,
        movies.imdb_score as score,
        movies.imdb_votes as votes
    from {{ ref('bridge_film_sources') }} as sources
    inner join {{ ref('stg_movie_industry__movies') }} as movies
        on sources.source_key = movies.source_row::text
    where sources.source = 'movie_industry'
    order by sources.film_id asc, movies.imdb_votes desc nulls last, movies.source_row asc
),

directors as (
    -- The director the Movie Industry record names: one per film, as the features expect.
    select distinct on (film_id) film_id, person_id as director_id
    from {{ ref('bridge_film_people') }}
    where role = 'director' and 'movie_industry' = any(sources)
    order by film_id, person_id
),

acting as (
    select film_id, person_id, role, 'movie_industry' = any(sources) as credited
    from {{ ref('bridge_film_people') }}
    where role in ('lead_actor', 'actor') and sources && array['movie_industry', 'oscars']
)

select
    acting.film_id,
    films.title,
    films.release_year as year,
    movie_industry.budget,
    movie_industry.genre,
    directors.director_id,
    director.name as director_name,
    movie_industry.score,
    movie_industry.votes,
    acting.person_id as actor_id,
    actor.name as actor_name,
    acting.role,
    acting.credited
from acting
inner join movie_industry on acting.film_id = movie_industry.film_id
inner join {{ ref('dim_films') }} as films on acting.film_id = films.film_id
inner join {{ ref('dim_people') }} as actor on acting.person_id = actor.person_id
left join directors on acting.film_id = directors.film_id
left join {{ ref('dim_people') }} as director on directors.director_id = director.person_id
