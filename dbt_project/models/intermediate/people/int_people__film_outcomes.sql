{#- What each credited film achieved with its audience: IMDb rating and votes, worldwide
    gross and budget, from the registry's per-source observations (ggplot2movies, Movie
    Industry, vega). When several data sets give one, the registry's rule picks it (the
    most reliable feed, then the freshest vintage, then the source name).

    film_score is the IMDb rating normalised by the registry's imdb_rating curve (0-1): the
    film score of every person-quality measure. We use IMDb rather than the registry's
    film_scores because film_scores is computed from the person-quality metrics this
    project feeds back (a cycle), and IMDb covers the most credited films. -#}

{%- set measures = {
    'imdb_rating': 'imdb_rating',
    'imdb_vote_count': 'imdb_votes',
    'worldwide_gross': 'worldwide_gross_usd',
    'production_budget': 'budget_usd',
} -%}

with

credited_films as (

    select distinct film_id from {{ ref('int_people__credits') }}

),

observations as (

    {% for source in ['imdb_histograms', 'movie_industry', 'box_office'] -%}
    select film_id, metric_code, source, raw_value
    from {{ ref('int_metrics__' ~ source) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

preferred as (

    select distinct on (observations.film_id, observations.metric_code)
        observations.film_id,
        observations.metric_code,
        observations.source,
        observations.raw_value
    from observations
    inner join {{ ref('metric_feeds') }} as feeds
        on observations.metric_code = feeds.metric_code
        and observations.source = feeds.source
    where observations.metric_code in (
            {%- for metric_code in measures %}
            '{{ metric_code }}'{{ "," if not loop.last }}
            {%- endfor %}
        )
    order by
        observations.film_id asc, observations.metric_code asc,
        feeds.reliability desc, feeds.vintage desc, observations.source asc

),

per_film as (

    select
        film_id,
        {%- for metric_code, column in measures.items() %}
        max(raw_value) filter (where metric_code = '{{ metric_code }}') as {{ column }},
        {%- endfor %}
        jsonb_object_agg(metric_code, source) as value_sources
    from preferred
    group by film_id

),

rating_curve as (

    select * from {{ ref('metric_definitions') }}
    where code = 'imdb_rating'

)

select
    films.film_id,
    films.title,
    films.release_year,
    films.genres,
    {%- for column in measures.values() %}
    per_film.{{ column }},
    {%- endfor %}
    {{ normalize_metric('per_film.imdb_rating', 'rating_curve') }} as film_score,
    per_film.value_sources
from {{ ref('dim_films') }} as films
inner join credited_films on films.film_id = credited_films.film_id
left join per_film on films.film_id = per_film.film_id
cross join rating_curve
