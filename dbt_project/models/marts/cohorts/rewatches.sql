{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='user_id',
        on_schema_change='fail',
        post_hook=[
            "delete from {{ this }} where film_id is null",
            "create index if not exists rewatches_user_id on {{ this }} (user_id)",
        ],
    )
}}

{#- Rewatches: a user with several entries for one film, with the ratings in time order and
    how the latest differs from the first.

    Incremental per user: a refresh recomputes the users who rated in the rating-month loads
    newer than its watermark and replaces their rows (delete+insert by user_id). A user left
    without rewatches is written as one row without a film and removed by the post-hook.
    When no refreshed user keeps a row, the watermark stays where it was and the next
    refresh recomputes those users again: more work, the same rows. -#}

with

{{ per_user_refresh_scope(ref('int_rating_month_loads')) }}

rewatched as (

    select
        user_id,
        film_id,
        count(*) as entries,
        min(rated_at) as first_rated_at,
        max(rated_at) as last_rated_at,
        array_agg(rating order by rated_at) as ratings,
        (array_agg(rating order by rated_at desc) filter (where rating is not null))[1]
        - (array_agg(rating order by rated_at) filter (where rating is not null))[1]
            as rating_change
    from {{ ref('fct_ratings') }}
    {% if is_incremental() %}
    where user_id in (select user_id from touched_users)
    {% endif %}
    group by user_id, film_id
    having count(*) > 1

),

rows as (

    select * from rewatched
    {% if is_incremental() %}
    union all
    select user_id, null, null, null, null, null, null
    from touched_users
    where user_id not in (select user_id from rewatched)
    {% endif %}

)

select
    rows.*,
    (select max(loaded_at) from loads) as source_loaded_at
from rows
