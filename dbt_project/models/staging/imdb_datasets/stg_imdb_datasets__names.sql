with

source as (

    select * from {{ source('imdb_datasets', 'imdb__name_basics') }}

),

renamed as (

    select
        ---------- ids
        nconst as imdb_person_id,

        ---------- person
        {{ clean_person_name('primary_name') }} as person_name,
        {{ normalize_person_name(clean_person_name('primary_name')) }} as name_normalized,
        birth_year,
        death_year,
        primary_profession,
        known_for_titles

    from source

)

select * from renamed
