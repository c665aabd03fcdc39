{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        full_refresh=false,
        on_schema_change='fail',
        indexes=[{'columns': ['snapshot_at']}],
        pre_hook="""
            do $$
            begin
                -- The history before coverage_share held percentages: converted once, kept.
                if exists (
                    select 1 from information_schema.columns
                    where table_schema = '{{ this.schema }}'
                        and table_name = '{{ this.identifier }}'
                        and column_name = 'coverage_pct'
                ) then
                    alter table {{ this }} rename column coverage_pct to coverage_share;
                    update {{ this }} set coverage_share = coverage_share / 100;
                end if;
            end
            $$
        """,
    )
}}

{#- One coverage snapshot per refresh, appended (full_refresh=false keeps the history
    through a --full-refresh): per metric (the winning value of each film), per metric and
    source (every feed of metric_feeds, fed or not) and per category. Metrics and feeds no
    source fills show 0 films: a visible gap, not an omission. Raw statistics are given
    where values share a scale (metric levels); category rows give normalised ones. -#}

with

films as (

    select count(*) as total_films from {{ ref('dim_films') }}

),

definitions as (

    select * from {{ ref('metric_definitions') }}

),

per_metric as (

    select
        'metric' as level,
        definitions.code as metric_code,
        definitions.category,
        null::text as source,
        {{ coverage_statistics('metric_values') }}
    from definitions
    left join {{ ref('film_metric_values') }} as metric_values
        on definitions.code = metric_values.metric_code
    group by definitions.code, definitions.category

),

per_feed as (

    select
        'metric_source' as level,
        feeds.metric_code,
        definitions.category,
        feeds.source,
        {{ coverage_statistics('observations') }}
    from {{ ref('metric_feeds') }} as feeds
    inner join definitions on feeds.metric_code = definitions.code
    left join {{ ref('fct_film_metrics') }} as observations
        on feeds.metric_code = observations.metric_code
        and feeds.source = observations.source
    group by feeds.metric_code, definitions.category, feeds.source

),

per_category as (

    select
        'category' as level,
        null::text as metric_code,
        definitions.category,
        null::text as source,
        count(distinct metric_values.film_id) as films_with_data,
        null::float8 as avg_value,
        null::float8 as min_value,
        null::float8 as max_value,
        null::float8 as median_value,
        avg(metric_values.normalized_value) as avg_normalized,
        count(*) filter (where metric_values.is_clamped) as clamped_values
    from definitions
    left join {{ ref('film_metric_values') }} as metric_values
        on definitions.code = metric_values.metric_code
    group by definitions.category

),

levels as (

    select * from per_metric
    union all
    select * from per_feed
    union all
    select * from per_category

)

select
    '{{ run_started_at }}'::timestamptz as snapshot_at,
    levels.level,
    levels.metric_code,
    levels.category,
    levels.source,
    films.total_films,
    levels.films_with_data,
    round(
        levels.films_with_data::numeric / nullif(films.total_films, 0), 5
    )::float8 as coverage_share,
    levels.avg_value,
    levels.min_value,
    levels.max_value,
    levels.median_value,
    levels.avg_normalized,
    levels.clamped_values,
    definitions.active,
    definitions.coverage_threshold
from levels
cross join films
left join definitions on levels.metric_code = definitions.code
