{#- Each person's career year by year (every role together, each film once): films, their
    mean IMDb rating, the person's own Oscar wins and nominations for that year's films,
    worldwide gross, and two trajectory indicators over the person's last
    var career_window (default 5) rated films up to that year:

    momentum_score     least-squares slope of those films' IMDb ratings over their release
                       years (rating points per year; > 0 rising, < 0 falling)
    consistency_score  1 - 2 x the standard deviation of their registry-normalised scores
                       (1 = every film scored alike, 0 = as spread as 0-1 scores can be)

    Both need two rated films; momentum also two different years. -#}

{%- set window_films = var('career_window', 5) -%}

with

person_films as (

    select distinct person_id, film_id, release_year
    from {{ ref('int_people__credits') }}
    where release_year is not null

),

outcomes as (

    select film_id, imdb_rating, film_score, worldwide_gross_usd
    from {{ ref('int_people__film_outcomes') }}

),

rated as (

    select
        person_films.person_id,
        person_films.release_year,
        outcomes.imdb_rating,
        regr_slope(outcomes.imdb_rating, person_films.release_year) over recent as momentum,
        1 - 2 * stddev_pop(outcomes.film_score) over recent as consistency,
        count(*) over recent as window_films,
        row_number() over (
            partition by person_films.person_id, person_films.release_year
            order by person_films.film_id desc
        ) as latest_in_year
    from person_films
    inner join outcomes on person_films.film_id = outcomes.film_id
    where outcomes.imdb_rating is not null
    window recent as (
        partition by person_films.person_id
        order by person_films.release_year, person_films.film_id
        rows between {{ window_films - 1 }} preceding and current row
    )

),

trajectory as (

    select
        person_id,
        release_year,
        momentum,
        case when window_films >= 2 then consistency end as consistency
    from rated
    where latest_in_year = 1

),

own_awards as (

    -- A nomination counts in the release year of the film it names, which is not its
    -- Oscar year: The Hurt Locker (2008) was nominated for the 2009 Oscars, given at the
    -- 2010 ceremony. Only a nomination whose film is not in dim_films falls back to its
    -- Oscar year. first_ceremony_year says when the year's awards were first decided.
    select
        nominations.person_id,
        coalesce(films.release_year, nominations.award_year) as release_year,
        count(distinct nominations.nomination_id) as nominations,
        count(distinct nominations.nomination_id) filter (where nominations.is_winner)
            as awards_won,
        min(nominations.award_year + 1) as first_ceremony_year
    from {{ ref('int_people__nominations') }} as nominations
    left join {{ ref('dim_films') }} as films on nominations.film_id = films.film_id
    group by nominations.person_id, coalesce(films.release_year, nominations.award_year)

),

yearly as (

    select
        person_films.person_id,
        person_films.release_year as year,
        count(*) as films_count,
        avg(outcomes.imdb_rating) as avg_film_score,
        sum(outcomes.worldwide_gross_usd)::bigint as box_office_total
    from person_films
    inner join outcomes on person_films.film_id = outcomes.film_id
    group by person_films.person_id, person_films.release_year

),

career_years as (

    -- a nominated film the credits lack still gives its year a row
    select person_id, year as release_year from yearly
    union
    select person_id, release_year from own_awards

)

select
    career_years.person_id,
    career_years.release_year as year,
    coalesce(yearly.films_count, 0) as films_count,
    yearly.avg_film_score,
    coalesce(own_awards.awards_won, 0) as awards_won,
    coalesce(own_awards.nominations, 0) as nominations,
    own_awards.first_ceremony_year,
    yearly.box_office_total,
    trajectory.momentum as momentum_score,
    trajectory.consistency as consistency_score
from career_years
left join yearly
    on career_years.person_id = yearly.person_id
    and career_years.release_year = yearly.year
left join own_awards
    on career_years.person_id = own_awards.person_id
    and career_years.release_year = own_awards.release_year
left join trajectory
    on career_years.person_id = trajectory.person_id
    and career_years.release_year = trajectory.release_year
