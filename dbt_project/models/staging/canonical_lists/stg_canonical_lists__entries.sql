{#-
    `rank` means a position for most lists but the induction year for the National Film
    Registry: it is split into list_rank and induction_year.
-#}

with

source as (

    select * from {{ source('raw', 'canonical_lists__entries') }}

),

renamed as (

    select
        ---------- ids
        source_row,
        imdb_id,

        ---------- list
        list as list_code,
        case when list <> 'nfr' then rank end as list_rank,
        case when list = 'nfr' then rank end as induction_year,

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
