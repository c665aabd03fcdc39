{#- The API looks rows up by film_id. -#}
{{ config(indexes=[{'columns': ['film_id']}]) }}

-- The ml table as it is (its columns follow the seeds or the catalogue),
-- with the film's title and year.
select
    scores.*,  -- noqa: AM04
    films.title,
    films.release_year
from {{ ref('stg_ml__movie_gravitas_scores') }} as scores
left join {{ ref('dim_films') }} as films on scores.film_id = films.film_id
