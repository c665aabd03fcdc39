{#- The MovieLens cohort's rating and rating count per film, as a history: one observation
    per film and month with ratings, holding the values as of that month's last rating.

    The rating is a Bayesian mean, (stars + m * C) / (ratings + m), with m = 10 prior
    ratings at the cohort's mean C, both cumulative to that month: one 5-star rating cannot
    make a film perfect, and a month's value never changes when later months arrive (the
    time series is append-only). `detail` keeps the inputs. -#}

{%- set prior_ratings = 10 -%}

with

ratings as (

    select film_id, rating, rated_at
    from {{ ref('fct_ratings') }}
    where source = 'movielens'

),

film_months as (

    select
        film_id,
        date_trunc('month', rated_at, 'UTC') as month,
        count(*) as ratings,
        sum(rating) as stars,
        max(rated_at) as last_rated_at
    from ratings
    group by film_id, date_trunc('month', rated_at, 'UTC')

),

cohort_months as (

    select
        month,
        sum(sum(stars)) over (order by month) / sum(sum(ratings)) over (order by month)
            as cohort_mean
    from film_months
    group by month

),

film_history as (

    select
        film_months.film_id,
        film_months.last_rated_at,
        sum(film_months.ratings) over history as ratings,
        sum(film_months.stars) over history as stars,
        cohort_months.cohort_mean
    from film_months
    inner join cohort_months on film_months.month = cohort_months.month
    window history as (partition by film_months.film_id order by film_months.month)

)

select
    film_history.film_id,
    measures.metric_code,
    'movielens' as source,
    measures.raw_value,
    film_history.last_rated_at as observed_at,
    jsonb_build_object(
        'ratings', film_history.ratings,
        'mean_stars', round(film_history.stars / film_history.ratings, 4),
        'prior_mean', round(film_history.cohort_mean, 4),
        'prior_ratings', {{ prior_ratings }}
    ) as detail
from film_history
cross join lateral (
    values
    (
        'movielens_rating',
        (
            (film_history.stars + {{ prior_ratings }} * film_history.cohort_mean)
            / (film_history.ratings + {{ prior_ratings }})
        )::float8
    ),
    ('movielens_rating_count', film_history.ratings::float8)
) as measures (metric_code, raw_value)
