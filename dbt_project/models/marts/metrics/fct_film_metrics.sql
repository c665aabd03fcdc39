{{
    config(
        materialized='incremental',
        unique_key=['film_id', 'metric_code', 'source'],
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        indexes=[
            {'columns': ['film_id', 'metric_code', 'source'], 'unique': True},
            {'columns': ['metric_code', 'source']},
        ],
        post_hook=[
            "{% if is_incremental() %}{{ delete_vanished_film_metrics() }}{% endif %}",
            "analyze {{ this }}",
        ],
    )
}}

{#- The latest value each source gives each film for each metric. Incremental: a run
    rewrites only the rows whose content changed (compared by row_hash) and, in its
    post-hook (same transaction), deletes the rows no source gives any more. changed_at
    says when a row last changed here; the full history is in marts.metric_timeseries. -#}

with

latest as (

    select distinct on (film_id, metric_code, source) *
    from {{ ref('int_metric_observations') }}
    order by film_id asc, metric_code asc, source asc, observed_at desc

),

hashed as (

    select
        film_id,
        metric_code,
        category,
        source,
        raw_value,
        normalized_value,
        is_clamped,
        reliability,
        observed_at,
        detail,
        md5(
            row(
                category, raw_value, normalized_value, is_clamped, reliability, observed_at, detail
            )::text
        )
            as row_hash
    from latest

)

select
    hashed.*,
    '{{ run_started_at }}'::timestamptz as changed_at
from hashed
{% if is_incremental() -%}
where not exists (
        select 1
        from {{ this }} as existing
        where existing.film_id = hashed.film_id
            and existing.metric_code = hashed.metric_code
            and existing.source = hashed.source
            and existing.row_hash = hashed.row_hash
    )
{%- endif %}
