with

source as (

    select * from {{ source('imdb_datasets', 'imdb__title_ratings') }}

),

renamed as (

    select
        ---------- ids
        tconst as imdb_id,

        ---------- measures
        average_rating,
        num_votes

    from source

)

select * from renamed
