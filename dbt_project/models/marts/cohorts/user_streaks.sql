{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='user_id',
        on_schema_change='fail',
        post_hook="delete from {{ this }} where active_days is null",
    )
}}

{#- Per user: active days, the longest streak of consecutive days with activity, and bursts
    (days with at least var burst_min_ratings, default 20, entries: binge sessions).
    Streaks use the gaps-and-islands trick: consecutive days minus their row number share
    one anchor date.

    Incremental per user, like rewatches: a refresh recomputes the users who rated in the
    rating-month loads newer than its watermark (delete+insert by user_id); a user left with
    no entry is written as a row without activity and removed by the post-hook. -#}

{%- set burst_min = var('burst_min_ratings', 20) -%}

with

{{ per_user_refresh_scope(ref('int_rating_month_loads')) }}

days as (

    select
        user_id,
        (rated_at at time zone 'UTC')::date as active_day,
        count(*) as entries
    from {{ ref('fct_ratings') }}
    {% if is_incremental() %}
    where user_id in (select user_id from touched_users)
    {% endif %}
    group by user_id, active_day

),

islands as (

    select
        *,
        active_day - (row_number() over (partition by user_id order by active_day))::integer
            as anchor
    from days

),

streaks as (

    select
        user_id,
        min(active_day) as streak_start,
        max(active_day) as streak_end,
        count(*) as streak_days
    from islands
    group by user_id, anchor

),

longest as (

    select distinct on (user_id) user_id, streak_start, streak_end, streak_days
    from streaks
    order by user_id asc, streak_days desc, streak_start desc

),

busiest as (

    select distinct on (user_id) user_id, active_day, entries
    from days
    order by user_id asc, entries desc, active_day desc

),

totals as (

    select
        user_id,
        count(*) as active_days,
        sum(entries) as entries,
        count(*) filter (where entries >= {{ burst_min }}) as burst_days,
        min(active_day) as first_active_day,
        max(active_day) as last_active_day
    from days
    group by user_id

),

users as (

    select
        totals.user_id,
        totals.active_days,
        totals.entries,
        totals.first_active_day,
        totals.last_active_day,
        longest.streak_days as longest_streak_days,
        longest.streak_start as longest_streak_start,
        longest.streak_end as longest_streak_end,
        busiest.active_day as busiest_day,
        busiest.entries as busiest_day_entries,
        totals.burst_days,
        {{ burst_min }} as burst_min_entries
    from totals
    inner join longest on totals.user_id = longest.user_id
    inner join busiest on totals.user_id = busiest.user_id

),

rows as (

    select * from users
    {% if is_incremental() %}
    union all
    select user_id, null, null, null, null, null, null, null, null, null, null, null
    from touched_users
    where user_id not in (select user_id from users)
    {% endif %}

)

select
    rows.*,
    (select max(loaded_at) from loads) as source_loaded_at
from rows
