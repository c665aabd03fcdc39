{#-
    One row per nomination, film and nominee, as the raw table is exploded. The person role
    tells the person metrics which credit a nomination honours; it is null for categories
    that honour the film, a company or a craft we do not track, and for company nominees.
-#}

with

source as (

    select * from {{ source('raw', 'oscars__nominations') }}

),

renamed as (

    select
        ---------- ids
        nomination_id,
        film_position,
        nominee_position,

        ---------- award
        ceremony,
        award_year,
        year as award_year_label,
        class as award_class,
        canonical_category,
        category,
        coalesce(winner, false) as is_winner,
        coalesce(note, '') not like '%NOT AN OFFICIAL NOMINATION%' as is_official_nomination,

        ---------- film
        film_title,
        film_imdb_id,
        {{ normalize_title('film_title') }} as title_normalized,
        award_year as release_year,

        ---------- nominee
        credited_name,
        {{ clean_person_name('nominee_name') }} as nominee_name,
        {{ normalize_person_name(clean_person_name('nominee_name')) }} as nominee_name_normalized,
        nominee_imdb_id,
        case
            when nominee_imdb_id like 'nm%' then 'person'
            when nominee_imdb_id like 'co%' then 'company'
        end as nominee_kind,

        ---------- text
        detail,
        note,
        citation,

        ---------- person role
        case
            when nominee_imdb_id like 'co%' then null
            when canonical_category like 'DIRECTING%' then 'director'
            when canonical_category in (
                    'ACTOR IN A LEADING ROLE', 'ACTRESS IN A LEADING ROLE'
                ) then 'lead_actor'
            when canonical_category in (
                    'ACTOR IN A SUPPORTING ROLE', 'ACTRESS IN A SUPPORTING ROLE'
                ) then 'actor'
            when canonical_category like 'WRITING%' then 'writer'
            when canonical_category like 'CINEMATOGRAPHY%' then 'cinematographer'
            when canonical_category in (
                    'MUSIC (Original Score)', 'MUSIC (Original Song Score or Adaptation Score)'
                ) then 'composer'
        end as person_role

    from source

),

final as (

    select
        *,
        person_role is not null as is_person_category
    from renamed

)

select * from final
