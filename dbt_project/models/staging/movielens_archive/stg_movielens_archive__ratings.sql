{{ config(tags=['monthly']) }}

with

source as (

    select * from {{ source('movielens_archive', 'movielens_archive__ratings') }}

),

renamed as (

    select
        ---------- ids
        user_id,
        movie_id,

        ---------- measures
        rating,

        ---------- timestamps
        rated_at

    from source

)

select * from renamed
