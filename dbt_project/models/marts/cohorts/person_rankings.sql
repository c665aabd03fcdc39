{#- Top directors and actors per cohort: the mean of their films' cohort scores weighted by
    each film's raters, and how many of their films are in the cohort's top percentile
    (var people_top_percentile, default 0.9: the top 10%). A person needs at least
    var people_min_films (default 3) films rated by the cohort. Scores use var
    people_strategy (default 'bayesian'); lead actors and actors are both `actor`. -#}

{%- set min_films = var('people_min_films', 3) -%}
{%- set top_percentile = var('people_top_percentile', 0.9) -%}

with

people as (

    select
        cohort_id,
        cohort,
        role,
        person_id,
        strategy,
        count(*) as films,
        (sum(score::numeric * raters) / sum(raters))::float8 as weighted_score,
        count(*) filter (where percentile >= {{ top_percentile }}) as top_percentile_films,
        sum(raters)::bigint as ratings,
        array_agg(film_id order by score desc, film_id asc) as film_ids
    from {{ ref('int_cohort_people_films') }}
    group by cohort_id, cohort, role, person_id, strategy
    having count(*) >= {{ min_films }}

)

select
    people.cohort_id,
    people.cohort,
    people.role,
    rank() over (
        partition by people.cohort_id, people.role order by people.weighted_score desc
    ) as rank,
    people.person_id,
    dim_people.name,
    people.films,
    people.weighted_score,
    people.top_percentile_films,
    people.ratings,
    people.film_ids,
    people.strategy,
    {{ top_percentile }}::float8 as top_percentile
from people
inner join {{ ref('dim_people') }} as dim_people on people.person_id = dim_people.person_id
