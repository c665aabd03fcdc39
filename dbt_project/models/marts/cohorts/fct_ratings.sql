{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        tags=['monthly'],
        on_schema_change='fail',
        pre_hook="{% if is_incremental() %}delete from {{ this }} where {{ month_window('rated_at') }}{% endif %}",
        post_hook=[
            "create index if not exists fct_ratings_film_id on {{ this }} (film_id)",
            "create index if not exists fct_ratings_user_id on {{ this }} (user_id, rated_at)",
            "create index if not exists fct_ratings_rated_at on {{ this }} (rated_at)",
        ],
    )
}}

{#- Rating events resolved to films, one partition per rating month. A run owns the window
    [window_start, window_end): the pre-hook deletes it and the select re-inserts it, in one
    transaction, so re-running a month gives the same rows.

    Events that collapse on (user, film, rated_at) become one row: the rating of the most
    recently loaded event that has one (app events after MovieLens: a user's later entry
    wins), liked and favourite if any of them says so, and how many events were collapsed.
    Events with a reject reason are in rating_rejects instead. -#}

with

events as (

    select * from {{ ref('int_rating_events') }}
    where {{ month_window('rated_at') }}
        and reject_reason is null

),

collapsed as (

    select
        user_id,
        film_id,
        rating,
        bool_or(liked) over same_key as liked,
        bool_or(favorite) over same_key as favorite,
        rated_at,
        source,
        count(*) over same_key as collapsed_events,
        row_number() over (
            partition by user_id, film_id, rated_at
            order by
                rating is null, loaded_at desc nulls last, event_id desc nulls last,
                film_reference asc
        ) as pick
    from events
    window same_key as (partition by user_id, film_id, rated_at)

)

select
    user_id,
    film_id,
    rating,
    liked,
    favorite,
    rated_at,
    source,
    collapsed_events::integer as collapsed_events
from collapsed
where pick = 1
