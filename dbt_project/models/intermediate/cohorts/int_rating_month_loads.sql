{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='rating_month',
        tags=['monthly'],
        on_schema_change='fail',
    )
}}

{#- The change log that drives the incremental cohort marts: one row per rating month, written
    whenever the month is (re)loaded, with the films and users rated in it now and
    `touched_film_ids`/`touched_user_ids`, the films and users whose aggregates the load may
    have changed (rated in the month now or before the load, so a rating that disappears is
    noticed too). Downstream models recompute the films or users touched by loads newer than
    their own watermark. -#}

with

current_months as (

    select
        (date_trunc('month', rated_at, 'UTC') at time zone 'UTC')::date as rating_month,
        count(*) as ratings,
        array_agg(distinct film_id order by film_id) as film_ids,
        array_agg(distinct user_id order by user_id) as user_ids
    from {{ ref('fct_ratings') }}
    where {{ month_window('rated_at') }}
    group by rating_month

),

previous_months as (

    {% if is_incremental() %}
    select rating_month, film_ids, user_ids
    from {{ this }}
    where rating_month
        >= (date_trunc('month', {{ window_start() }}, 'UTC') at time zone 'UTC')::date
        and rating_month < ({{ window_end() }} at time zone 'UTC')::date
    {% else %}
    select null::date as rating_month, null::bigint[] as film_ids, null::integer[] as user_ids
    where false
    {% endif %}

)

select
    coalesce(current_months.rating_month, previous_months.rating_month) as rating_month,
    coalesce(current_months.ratings, 0) as ratings,
    {%- for key in ['film_id', 'user_id'] %}
    coalesce(current_months.{{ key }}s, '{}') as {{ key }}s,
    array(
        select distinct id
        from unnest(
                coalesce(current_months.{{ key }}s, '{}')
                || coalesce(previous_months.{{ key }}s, '{}')
            ) as id
        order by id
    ) as touched_{{ key }}s,
    {%- endfor %}
    '{{ run_started_at }}'::timestamptz as loaded_at
from current_months
full join previous_months on current_months.rating_month = previous_months.rating_month
