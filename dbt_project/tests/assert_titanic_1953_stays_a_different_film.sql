-- 'Titanic' (1953) is in three sources and must be one film, distinct from the 1997 one.
with titanic as (
    select release_year, source, film_id
    from {{ ref('int_film_identity') }}
    where title_normalized = 'titanic' and release_year between 1952 and 1954
)

select count(distinct film_id) as films, count(distinct source) as sources
from titanic
having count(distinct film_id) <> 1
    or count(distinct source) < 3
    or max(film_id) in (
        select film_id from {{ ref('dim_films') }}
        where imdb_id = 'tt0120338'
    )
