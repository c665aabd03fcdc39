{#- Director-actor pairs with several high-ranked films in a cohort: the bipartite
    director-actor graph projected onto pairs, keeping pairs with at least
    var collaboration_min_films (default 2) shared films in the cohort's top percentile
    (var people_top_percentile, default 0.9) under var people_strategy. -#}

{%- set top_percentile = var('people_top_percentile', 0.9) -%}
{%- set min_films = var('collaboration_min_films', 2) -%}

with

directors as (

    select * from {{ ref('int_cohort_people_films') }}
    where role = 'director'

),

actors as (

    select cohort_id, film_id, person_id from {{ ref('int_cohort_people_films') }}
    where role = 'actor'

),

pairs as (

    select
        directors.cohort_id,
        directors.cohort,
        directors.strategy,
        directors.person_id as director_id,
        actors.person_id as actor_id,
        count(*) as shared_films,
        count(*) filter (where directors.percentile >= {{ top_percentile }}) as high_ranked_films,
        avg(directors.score::numeric)::float8 as mean_score,
        array_agg(directors.film_id order by directors.score desc, directors.film_id asc)
        filter (where directors.percentile >= {{ top_percentile }}) as high_ranked_film_ids
    from directors
    inner join actors
        on directors.cohort_id = actors.cohort_id
        and directors.film_id = actors.film_id
        and directors.person_id <> actors.person_id
    group by
        directors.cohort_id,
        directors.cohort,
        directors.strategy,
        directors.person_id,
        actors.person_id
    having count(*) filter (where directors.percentile >= {{ top_percentile }}) >= {{ min_films }}

)

select
    pairs.cohort_id,
    pairs.cohort,
    pairs.director_id,
    directors.name as director_name,
    pairs.actor_id,
    actors.name as actor_name,
    pairs.shared_films,
    pairs.high_ranked_films,
    pairs.mean_score,
    pairs.high_ranked_film_ids,
    pairs.strategy
from pairs
inner join {{ ref('dim_people') }} as directors on pairs.director_id = directors.person_id
inner join {{ ref('dim_people') }} as actors on pairs.actor_id = actors.person_id
