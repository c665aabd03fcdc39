-- A source without IMDb ids lists each film once: two of its rows on one film must be the
-- same film (same normalised title and year; vega repeats a few). Returns the films where
-- a source put two different rows.
select
    identity.source,
    identity.film_id,
    array_agg(distinct identity.title || ' (' || identity.usable_year || ')') as rows
from {{ ref('int_film_identity') }} as identity
inner join {{ ref('identity_sources') }} as sources on identity.source = sources.source
where not sources.has_imdb_ids
    and identity.film_id is not null
group by identity.source, identity.film_id
-- A row value: distinct (title, year) pairs. sqlfluff reads the brackets as a function call.
having
    count(distinct (identity.title_normalized, identity.usable_year)) > 1  -- noqa: ST08,LT01,LT06
