{#- title.crew's director and writer arrays, one row per title, person and role. -#}

with

source as (

    select * from {{ source('imdb_datasets', 'imdb__title_crew') }}

),

unnested as (

    select tconst, director as nconst, 'director' as role
    from source
    cross join lateral unnest(directors) as director

    union all

    select tconst, writer, 'writer'
    from source
    cross join lateral unnest(writers) as writer

)

select distinct
    ---------- ids
    tconst as imdb_id,
    nconst as imdb_person_id,

    ---------- credit
    role

from unnested
