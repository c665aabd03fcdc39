with

source as (

    select * from {{ source('raw', 'festivals__awards') }}

),

renamed as (

    select
        ---------- ids
        source_row,
        imdb_id,

        ---------- award
        festival,
        award,
        year as edition_year,
        award <> 'Competition (official selection)' as is_prize,

        ---------- film
        film_title,
        {{ normalize_title('film_title') }} as title_normalized,
        film_year as release_year,

        ---------- people
        {{ clean_person_name('director') }} as director,
        {{ normalize_person_name(clean_person_name('director')) }} as director_normalized

    from source

)

select * from renamed
