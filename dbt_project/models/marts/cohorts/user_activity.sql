{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        tags=['monthly'],
        on_schema_change='fail',
        pre_hook="{% if is_incremental() %}delete from {{ this }} where {{ month_window('occurred_at') }}{% endif %}",
        post_hook="create index if not exists user_activity_occurred_at on {{ this }} (occurred_at)",
    )
}}

{#- The activity feed: one row per user action (rated, rewatched, liked, favorited) with its
    time, monthly like fct_ratings. An entry is a rewatch when the user logged the same film
    earlier (in any month). -#}

with

window_ratings as (

    select * from {{ ref('fct_ratings') }}
    where {{ month_window('rated_at') }}

),

first_entries as (

    select user_id, film_id, min(rated_at) as first_rated_at
    from {{ ref('fct_ratings') }}
    where (user_id, film_id) in (select user_id, film_id from window_ratings)
    group by user_id, film_id

),

ratings as (

    select
        window_ratings.*,
        window_ratings.rated_at > first_entries.first_rated_at as is_rewatch
    from window_ratings
    inner join first_entries
        on window_ratings.user_id = first_entries.user_id
        and window_ratings.film_id = first_entries.film_id

)

select
    user_id,
    film_id,
    case when is_rewatch then 'rewatched' else 'rated' end as action,
    rated_at as occurred_at,
    rating,
    source
from ratings
where rating is not null or is_rewatch
union all
select user_id, film_id, 'liked', rated_at, rating, source
from ratings
where liked
union all
select user_id, film_id, 'favorited', rated_at, rating, source
from ratings
where favorite
