with

source as (

    select * from {{ source('imdb_datasets', 'imdb__title_basics') }}

),

renamed as (

    select
        ---------- ids
        tconst as imdb_id,

        ---------- film
        title_type,
        primary_title as title,
        original_title,
        {{ normalize_title('primary_title') }} as title_normalized,
        start_year as release_year,
        runtime_minutes,
        genres,
        is_adult

    from source

)

select * from renamed
