with

source as (

    select * from {{ source('imdb_datasets', 'imdb__title_principals') }}

),

renamed as (

    select
        ---------- ids
        tconst as imdb_id,
        nconst as imdb_person_id,

        ---------- credit
        ordering,
        category,
        job,
        characters

    from source

)

select * from renamed
