{#- The partition window [window_start, window_end) of a monthly run.

    Dagster (and the benchmark) pass it as the environment variables CINEGRAPH_WINDOW_START
    and CINEGRAPH_WINDOW_END: dbt discards its whole partial parse whenever --vars change,
    which every month would, and re-parsing the project cost more than a month's models; an
    env_var change re-parses only the files that use it. By hand, without those variables,
    the vars `min_date` and `max_date` apply (`--vars` or the defaults in dbt_project.yml,
    which cover every month). -#}
{% macro window_start() -%}
    '{{ env_var("CINEGRAPH_WINDOW_START", var("min_date")) }}'::timestamptz
{%- endmacro %}

{% macro window_end() -%}
    '{{ env_var("CINEGRAPH_WINDOW_END", var("max_date")) }}'::timestamptz
{%- endmacro %}

{#- The half-open partition window on a timestamp column. -#}
{% macro month_window(column) -%}
    {{ column }} >= {{ window_start() }} and {{ column }} < {{ window_end() }}
{%- endmacro %}

{#- The window, where the first partition's also takes everything dated before it: the
    monthly partitions start at var('first_rating_month'), and an event dated earlier must
    still land somewhere (rating_rejects) rather than in no partition at all. -#}
{% macro month_window_from_first(column) -%}
    {%- set first = "'" ~ var("first_rating_month") ~ "'::timestamptz" %}
    ({{ column }} >= {{ window_start() }} or {{ window_start() }} <= {{ first }}) and {{ column }} < {{ window_end() }}
{%- endmacro %}
