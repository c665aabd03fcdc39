{#- metric_coverage_stats' figures for one level, over the rows of `alias` (left-joined, so
    a metric or feed without data counts 0 films). -#}
{% macro coverage_statistics(alias) -%}
    count({{ alias }}.film_id) as films_with_data,
        avg({{ alias }}.raw_value) as avg_value,
        min({{ alias }}.raw_value) as min_value,
        max({{ alias }}.raw_value) as max_value,
        percentile_cont(0.5) within group (order by {{ alias }}.raw_value) as median_value,
        avg({{ alias }}.normalized_value) as avg_normalized,
        count(*) filter (where {{ alias }}.is_clamped) as clamped_values
{%- endmacro %}
