{{ config(materialized='view') }}

{#- Rating histograms per film: the half-star histogram of each cohort (scale 'stars_5',
    buckets 0.5..5.0, counts of raters) and IMDb's global histogram from ggplot2movies on its
    own 10-star scale (scale 'imdb_10', cohort null, votes estimated as share x IMDb votes).
    A view over cohort_film_stats, so it is always as fresh as the incremental stats. -#}

{%- set stars = range(1, 11) -%}

with

cohort_buckets as (

    select
        stats.cohort_id,
        stats.cohort,
        stats.film_id,
        'stars_5' as scale,
        bucket.position / 2.0 as bucket,
        bucket.count::numeric as votes,
        bucket.count::numeric / stats.raters as share
    from {{ ref('cohort_film_stats') }} as stats
    cross join lateral unnest(stats.bucket_counts) with ordinality as bucket (count, position)
    where stats.raters > 0

),

imdb_buckets as (

    {% for star in stars %}
    select
        null::bigint as cohort_id,
        null::text as cohort,
        film_id,
        'imdb_10' as scale,
        {{ star }}::numeric as bucket,
        round(share_{{ star }} * imdb_votes) as votes,
        share_{{ star }} as share
    from {{ ref('int_film_imdb_ratings') }}
    where share_{{ star }} is not null
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from cohort_buckets
union all
select * from imdb_buckets
