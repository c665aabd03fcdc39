{#- Directors who debuted recently and already have at least var emerging_min_films
    (default 2) films rated by the cohort. "Recently" is relative to the data, not to today:
    a debut (the first release year of any of their films in dim_films) within
    var emerging_recent_years (default 5) of the last year with a rating event. -#}

{%- set recent_years = var('emerging_recent_years', 5) -%}
{%- set min_films = var('emerging_min_films', 2) -%}

with

data_end as (

    select extract(year from max(rated_at) at time zone 'UTC')::integer as last_year
    from {{ ref('fct_ratings') }}

),

debuts as (

    select credits.person_id, min(films.release_year) as debut_year
    from {{ ref('int_film_credits') }} as credits
    inner join {{ ref('dim_films') }} as films on credits.film_id = films.film_id
    where credits.role = 'director'
    group by credits.person_id

),

emerging as (

    select
        directors.cohort_id,
        directors.cohort,
        directors.strategy,
        directors.person_id,
        debuts.debut_year,
        count(*) as films,
        (sum(directors.score::numeric * directors.raters) / sum(directors.raters))::float8
            as weighted_score,
        array_agg(directors.film_id order by directors.score desc, directors.film_id asc)
            as film_ids
    from {{ ref('int_cohort_people_films') }} as directors
    inner join debuts on directors.person_id = debuts.person_id
    cross join data_end
    where directors.role = 'director'
        and debuts.debut_year >= data_end.last_year - {{ recent_years }}
    group by
        directors.cohort_id, directors.cohort, directors.strategy, directors.person_id,
        debuts.debut_year
    having count(*) >= {{ min_films }}

)

select
    emerging.cohort_id,
    emerging.cohort,
    rank() over (partition by emerging.cohort_id order by emerging.weighted_score desc) as rank,
    emerging.person_id,
    people.name,
    emerging.debut_year,
    data_end.last_year as data_last_year,
    emerging.films,
    emerging.weighted_score,
    emerging.film_ids,
    emerging.strategy
from emerging
cross join data_end
inner join {{ ref('dim_people') }} as people on emerging.person_id = people.person_id
