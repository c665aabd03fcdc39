{#- The weighted metric categories, in display order: one `<category>_weight` column each
    in the weight_profiles seed and one `<category>_score` column each in film_scores.
    ml.metrics.categories() reads the same list from the seed's header (a test compares). -#}
{% macro metric_categories() -%}
    {{ return(['rating', 'award', 'financial', 'cultural', 'popularity', 'person_quality']) }}
{%- endmacro %}


{#- A date or year-precision time as a UTC timestamp: observations whose source gives only a
    year are observed on 1 January of that year. -#}
{% macro utc_year_start(year_expression) -%}
    make_timestamptz(({{ year_expression }})::integer, 1, 1, 0, 0, 0, 'UTC')
{%- endmacro %}
