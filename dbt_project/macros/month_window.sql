{#- The half-open partition window [min_date, max_date) on a timestamp column. -#}
{% macro month_window(column) -%}
    {{ column }} >= '{{ var("min_date") }}'::timestamptz
    and {{ column }} < '{{ var("max_date") }}'::timestamptz
{%- endmacro %}
