{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['cohort_id', 'film_id'],
        on_schema_change='fail',
        post_hook=[
            "delete from {{ this }} where watchers = 0",
            "create unique index if not exists cohort_film_stats_pair on {{ this }} (cohort_id, film_id)",
            "create index if not exists cohort_film_stats_film_id on {{ this }} (film_id)",
        ],
    )
}}

{#- Per cohort and film: watchers, raters, mean and spread, likes, favourites, the half-star
    histogram, first and last rating. Each user counts once per film with their current
    opinion (latest rating; liked or favourite if any entry says so).

    Incremental by merge of the affected (cohort, film) pairs only:
    - every cohort's pairs for the films touched by rating-month loads newer than this
      table's watermark (`source_loaded_at`, from int_rating_month_loads), and
    - every pair of a cohort whose membership hash changed, appeared or disappeared.
    Affected pairs are recomputed from fct_ratings and replace the stored ones
    (delete+insert); pairs that no longer have any rating are written as watchers = 0 and
    removed by the post-hook. -#}

{%- set stars = [0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0] -%}

with

cohorts as (

    select cohort_id, cohort, membership_hash from {{ ref('dim_cohorts') }}

),

members as (

    select cohort_id, user_id from {{ ref('cohort_members') }}

),

loads as (

    select * from {{ ref('int_rating_month_loads') }}

),

{% if is_incremental() %}

stored as (

    select cohort_id, film_id, membership_hash, source_loaded_at from {{ this }}

),

touched_films as (

    {{ touched_ids('film', 'loads', 'stored') }}

),

changed_cohorts as (

    {{ changed_cohorts('cohorts', 'stored') }}

),

{% endif %}

ratings as (

    select * from {{ ref('fct_ratings') }}
    {% if is_incremental() %}
    where film_id in (select film_id from touched_films)
        or user_id in (
            select user_id from members
            where cohort_id in (select cohort_id from changed_cohorts)
        )
    {% endif %}

),

opinions as (

    select
        user_id,
        film_id,
        (array_agg(rating order by rated_at desc) filter (where rating is not null))[1] as rating,
        bool_or(liked) as liked,
        bool_or(favorite) as favorite,
        count(*) as entries,
        min(rated_at) as first_rated_at,
        max(rated_at) as last_rated_at
    from ratings
    group by user_id, film_id

),

recomputed as (

    select
        members.cohort_id,
        opinions.film_id,
        count(*) as watchers,
        count(opinions.rating) as raters,
        avg(opinions.rating) as mean_rating,
        stddev_pop(opinions.rating) as stddev_rating,
        count(*) filter (where opinions.liked) as likes,
        count(*) filter (where opinions.favorite) as favorites,
        count(*) filter (where opinions.entries > 1) as repeat_watchers,
        array[
            {%- for star in stars %}
            count(*) filter (where opinions.rating = {{ star }})::integer
            {%- if not loop.last %},{% endif %}
            {%- endfor %}
        ] as bucket_counts,
        min(opinions.first_rated_at) as first_rated_at,
        max(opinions.last_rated_at) as last_rated_at
    from opinions
    inner join members on opinions.user_id = members.user_id
    {% if is_incremental() %}
    where opinions.film_id in (select film_id from touched_films)
        or members.cohort_id in (select cohort_id from changed_cohorts)
    {% endif %}
    group by members.cohort_id, opinions.film_id

),

{% if is_incremental() %}

vanished as (

    select stored.cohort_id, stored.film_id
    from stored
    where (
        stored.film_id in (select film_id from touched_films)
        or stored.cohort_id in (select cohort_id from changed_cohorts)
    )
    and not exists (
        select 1 from recomputed
        where recomputed.cohort_id = stored.cohort_id and recomputed.film_id = stored.film_id
    )

),

{% endif %}

pairs as (

    select * from recomputed
    {% if is_incremental() %}
    union all
    select
        cohort_id, film_id, 0, 0, null, null, 0, 0, 0, null, null, null
    from vanished
    {% endif %}

)

select
    pairs.cohort_id,
    cohorts.cohort,
    pairs.film_id,
    pairs.watchers,
    pairs.raters,
    pairs.mean_rating,
    pairs.stddev_rating,
    pairs.likes,
    pairs.favorites,
    pairs.repeat_watchers,
    pairs.bucket_counts,
    -- shares of raters at 4 stars or more (the high end) and at 3 or 3.5 stars (the middle
    -- between 3 and 4; 4 itself counts as high): buckets 8-10 and 6-7
    (pairs.bucket_counts[8] + pairs.bucket_counts[9] + pairs.bucket_counts[10])::numeric
    / nullif(pairs.raters, 0) as high_share,
    (pairs.bucket_counts[6] + pairs.bucket_counts[7])::numeric
    / nullif(pairs.raters, 0) as crowd_share,
    pairs.first_rated_at,
    pairs.last_rated_at,
    cohorts.membership_hash,
    (select max(loaded_at) from loads) as source_loaded_at
from pairs
left join cohorts on pairs.cohort_id = cohorts.cohort_id
