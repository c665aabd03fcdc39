{#- The partition window [window_start, window_end) of a monthly run. Dagster (and the
    benchmark) pass it as environment variables, not --vars: dbt discards its whole partial
    parse when --vars change, which every month does, and re-parsing the project cost more
    than a month's models. Unset, the window covers every month. -#}
{% macro window_start() -%}
    '{{ env_var("CINEGRAPH_WINDOW_START", "1900-01-01") }}'::timestamptz
{%- endmacro %}

{% macro window_end() -%}
    '{{ env_var("CINEGRAPH_WINDOW_END", "9999-12-31") }}'::timestamptz
{%- endmacro %}

{#- The half-open partition window on a timestamp column. -#}
{% macro month_window(column) -%}
    {{ column }} >= {{ window_start() }} and {{ column }} < {{ window_end() }}
{%- endmacro %}
