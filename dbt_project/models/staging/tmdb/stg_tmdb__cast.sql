with

source as (

    select * from {{ source('tmdb', 'tmdb__cast') }}

),

renamed as (

    select
        ---------- ids
        tmdb_id,
        credit_id,
        person_tmdb_id,

        ---------- person
        {{ clean_person_name('name') }} as person_name,
        {{ normalize_person_name(clean_person_name('name')) }} as name_normalized,

        ---------- credit
        character,
        cast_order + 1 as billing_order

    from source

)

select * from renamed
