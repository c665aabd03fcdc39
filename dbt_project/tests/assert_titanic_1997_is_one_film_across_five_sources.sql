-- 'Titanic' (1997) is in oscars, vega, movie_industry, ggplot2movies and MovieLens (and on
-- a canonical list): every one of those rows must resolve to one and the same film.
-- Returns a row on failure.
with titanic as (
    select source, film_id
    from {{ ref('int_film_identity') }}
    where title_normalized = 'titanic' and release_year between 1996 and 1998
)

select count(distinct film_id) as films, count(distinct source) as sources
from titanic
having count(distinct film_id) <> 1
    or count(*) filter (where film_id is null) > 0
    or not array['oscars', 'box_office', 'movie_industry', 'imdb_histograms', 'movielens']
    <@ array_agg(distinct source)
