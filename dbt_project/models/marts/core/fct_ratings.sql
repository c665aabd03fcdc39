{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        tags=['monthly'],
        on_schema_change='fail',
        pre_hook="{% if is_incremental() %}delete from {{ this }} where {{ month_window('rated_at') }}{% endif %}",
    )
}}

with

ratings as (

    select * from {{ ref('stg_movielens__ratings') }}
    where {{ month_window('rated_at') }}

),

films as (

    select source_key, film_id
    from {{ ref('bridge_film_sources') }}
    where source = 'movielens'

)

select
    ratings.user_id,
    films.film_id,
    ratings.rating,
    ratings.rated_at,
    'movielens' as source
from ratings
inner join films on ratings.movie_id::text = films.source_key
