with

source as (

    select * from {{ source('movielens_archive', 'movielens_archive__links') }}

),

renamed as (

    select
        ---------- ids
        movie_id,
        imdb_id,
        tmdb_id

    from source

)

select * from renamed
