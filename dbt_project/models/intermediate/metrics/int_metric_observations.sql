{#- Every metric observation of every source, normalised: the union of the per-source
    models int_metrics__<source>. Adding a source is adding one such model (the contract
    is in _metrics__models.yml) and its name to `feeds` below.

    observed_at is the source's own time where it has one, else the feed's vintage from
    metric_feeds; reliability is the feed's, else the metric's source_reliability. -#}

{%- set feeds = [
    'movielens',
    'imdb_histograms',
    'box_office',
    'movie_industry',
    'oscars',
    'festivals',
    'canonical_lists',
    'tmdb',
    'people',
] -%}

with

observations as (

    {% for feed in feeds -%}
    select film_id, metric_code, source, raw_value, observed_at, detail
    from {{ ref('int_metrics__' ~ feed) }}
    where metric_code is not null
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

definitions as (

    select * from {{ ref('metric_definitions') }}

),

feeds as (

    select * from {{ ref('metric_feeds') }}

)

select
    observations.film_id,
    observations.metric_code,
    definitions.category,
    observations.source,
    observations.raw_value,
    {{ normalize_metric('observations.raw_value', 'definitions') }} as normalized_value,
    {{ metric_is_clamped('observations.raw_value', 'definitions') }} as is_clamped,
    coalesce(feeds.reliability, definitions.source_reliability) as reliability,
    coalesce(observations.observed_at, feeds.vintage::timestamp at time zone 'UTC') as observed_at,
    feeds.metric_code is not null as is_registered_feed,
    observations.detail
from observations
left join definitions on observations.metric_code = definitions.code
left join feeds
    on observations.metric_code = feeds.metric_code
    and observations.source = feeds.source
