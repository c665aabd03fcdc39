{#- fct_film_metrics' post-hook: an incremental merge only adds and replaces rows, so the
    values that no source gives any more (a film dropped from a list, a source row that now
    resolves to another film) are deleted here, in the model's transaction. -#}
{% macro delete_vanished_film_metrics() -%}
    delete from {{ this }} as existing
    where not exists (
        select 1
        from {{ ref('int_metric_observations') }} as observed
        where observed.film_id = existing.film_id
            and observed.metric_code = existing.metric_code
            and observed.source = existing.source
    )
{%- endmacro %}
