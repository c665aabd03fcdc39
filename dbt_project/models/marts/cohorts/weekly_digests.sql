{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['cohort_id', 'week_start'],
        on_schema_change='fail',
        post_hook=[
            "delete from {{ this }} where film_id is null",
            "create index if not exists weekly_digests_week on {{ this }} (cohort_id, week_start)",
        ],
    )
}}

{#- "Most rated this week" per cohort: the top var digest_size (default 10) films of each
    ISO week (Monday, UTC) by the number of cohort members who rated or liked them.

    Incremental like cohort_film_stats: a refresh recomputes every cohort's weeks that
    overlap a rating month loaded since its watermark, and every week of a cohort whose
    membership changed, and replaces them (delete+insert by (cohort_id, week_start)). A
    (cohort, week) left without activity is written as one row without a film and removed
    by the post-hook. -#}

{%- set digest_size = var('digest_size', 10) -%}

with

cohorts as (

    select cohort_id, membership_hash from {{ ref('dim_cohorts') }}

),

loads as (

    select * from {{ ref('int_rating_month_loads') }}

),

{% if is_incremental() %}

stored as (

    select cohort_id, week_start, membership_hash, source_loaded_at from {{ this }}

),

touched_weeks as (

    -- timestamps without time zone: the weeks of a month are calendar arithmetic in UTC
    select distinct weeks.week_start::date as week_start
    from ({{ new_month_loads('loads', 'stored') }}) as new_loads
    cross join generate_series(
        date_trunc('week', new_loads.rating_month::timestamp),
        new_loads.rating_month::timestamp + interval '1 month' - interval '1 day',
        interval '1 week'
    ) as weeks (week_start)

),

changed_cohorts as (

    {{ changed_cohorts('cohorts', 'stored') }}

),

{% endif %}

member_ratings as not materialized (

    select
        members.cohort_id,
        members.cohort,
        ratings.rated_at,
        (date_trunc('week', ratings.rated_at, 'UTC') at time zone 'UTC')::date as week_start,
        ratings.film_id,
        ratings.user_id,
        ratings.rating,
        ratings.liked
    from {{ ref('fct_ratings') }} as ratings
    inner join {{ ref('cohort_members') }} as members on ratings.user_id = members.user_id

),

{% if is_incremental() %}

refreshed as (

    -- every cohort's touched weeks (bounded on rated_at first, which is indexed), and the
    -- other weeks of the cohorts whose membership changed
    select * from member_ratings
    where rated_at >= (select min(week_start)::timestamp from touched_weeks) at time zone 'UTC'
        and rated_at
        < (select (max(week_start) + 7)::timestamp from touched_weeks) at time zone 'UTC'
        and week_start in (select week_start from touched_weeks)
    union all
    select * from member_ratings
    where cohort_id in (select cohort_id from changed_cohorts)
        and week_start not in (select week_start from touched_weeks)

),

{% endif %}

weekly as (

    select
        cohort_id,
        cohort,
        week_start,
        film_id,
        count(distinct user_id) as members_active,
        count(rating) as ratings,
        count(*) filter (where liked) as likes,
        avg(rating) as mean_rating
    from {% if is_incremental() %}refreshed{% else %}member_ratings{% endif %}
    group by 1, 2, 3, 4

),

ranked as (

    select
        *,
        row_number() over (
            partition by cohort_id, week_start order by members_active desc, likes desc, film_id asc
        ) as rank
    from weekly

),

digests as (

    select * from ranked
    where rank <= {{ digest_size }}
    {% if is_incremental() %}
    union all
    select distinct
        stored.cohort_id, null::text, stored.week_start, null::bigint, 0, 0, 0, null::numeric,
        null::bigint
    from stored
    where (
        stored.week_start in (select week_start from touched_weeks)
        or stored.cohort_id in (select cohort_id from changed_cohorts)
    )
    and not exists (
        select 1 from ranked
        where ranked.cohort_id = stored.cohort_id and ranked.week_start = stored.week_start
    )
    {% endif %}

)

select
    digests.*,
    cohorts.membership_hash,
    (select max(loaded_at) from loads) as source_loaded_at
from digests
left join cohorts on digests.cohort_id = cohorts.cohort_id
