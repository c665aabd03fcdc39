{#- Observations from a source whose rows each describe one film (a data set snapshot):
    every row is tied to its film through bridge_film_sources, each column in `metric_columns`
    ({metric_code: column}) becomes one observation, and null values are left out (a missing
    value is no observation, never a 0).

    When several rows of the source resolve to one film (duplicate titles), the row matched
    with the highest confidence wins, then the lowest source key; `detail` keeps the source
    key and how many rows competed, so the value traces back to its row. observed_at is null:
    the union fills in the feed's vintage from the metric_feeds seed. -#}
{% macro metrics_from_film_rows(source_name, relation, key_column, metric_columns) -%}

with

source_rows as (

    select * from {{ relation }}

),

films as (

    {{ metric_source_films(source_name) }}

),

observations as (

    select
        films.film_id,
        films.confidence,
        films.source_key,
        measures.metric_code,
        measures.raw_value
    from source_rows
    inner join films on source_rows.{{ key_column }}::text = films.source_key
    cross join lateral (
        values
        {%- for metric_code, column in metric_columns.items() %}
            ('{{ metric_code }}', source_rows.{{ column }}::float8){% if not loop.last %},{% endif %}
        {%- endfor %}
    ) as measures (metric_code, raw_value)
    where measures.raw_value is not null

)

select distinct on (film_id, metric_code)
    film_id,
    metric_code,
    '{{ source_name }}' as source,
    raw_value,
    null::timestamptz as observed_at,
    jsonb_build_object(
        'source_key', source_key,
        'match_confidence', confidence,
        'source_rows', count(*) over (partition by film_id, metric_code)
    ) as detail
from observations
order by film_id, metric_code, confidence desc, length(source_key), source_key

{%- endmacro %}
