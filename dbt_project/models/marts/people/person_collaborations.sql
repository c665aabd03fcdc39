{#- Every pair of people who worked on a film together, with what their films achieved:
    how many films, their mean and best IMDb rating, total worldwide gross, and the prizes
    those films won (Oscars won plus festival prizes). person_a_id < person_b_id. -#}

with

shared_films as (

    select * from {{ ref('int_people__collaboration_films') }}

),

outcomes as (

    select film_id, imdb_rating, worldwide_gross_usd from {{ ref('int_people__film_outcomes') }}

),

prizes as (

    select
        film_id,
        sum(case when kind = 'oscar' then raw_value else 1 end) filter (where is_prize) as prizes
    from {{ ref('int_people__film_recognition') }}
    group by film_id

)

select
    shared_films.person_a_id,
    shared_films.person_b_id,
    count(*) as collaboration_count,
    avg(outcomes.imdb_rating) as avg_movie_score,
    max(outcomes.imdb_rating) as best_movie_score,
    sum(outcomes.worldwide_gross_usd)::bigint as total_revenue,
    coalesce(sum(prizes.prizes), 0)::integer as total_awards,
    min(shared_films.release_year) as first_year,
    max(shared_films.release_year) as last_year,
    array_agg(shared_films.film_id order by shared_films.release_year, shared_films.film_id)
        as film_ids
from shared_films
inner join outcomes on shared_films.film_id = outcomes.film_id
left join prizes on shared_films.film_id = prizes.film_id
group by shared_films.person_a_id, shared_films.person_b_id
