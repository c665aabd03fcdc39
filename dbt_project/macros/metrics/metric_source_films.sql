{#- The films a source's rows resolved to (bridge_film_sources), keyed by the source key:
    every int_metrics__<source> model starts from this. -#}
{% macro metric_source_films(source_name) -%}
    select source_key, film_id, confidence
    from {{ ref('bridge_film_sources') }}
    where source = '{{ source_name }}'
{%- endmacro %}
