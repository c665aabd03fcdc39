{{ config(materialized='view') }}

{#- Credits of the live connectors in the shape of int_person_mentions' mentions (which
    unions them in), in its role vocabulary. The three top-billed actors of a film are
    lead actors, the others actors. From TMDb crew: Director, writers (Screenplay, Writer,
    Story), Director of Photography and composers; other jobs have no role here. From the
    IMDb datasets: directors and writers of title.crew (complete lists), actors,
    cinematographers and composers of title.principals, with IMDb name ids. -#}

with

tmdb_cast as (

    select
        'tmdb' as film_source,
        tmdb_id::text as film_source_key,
        case when billing_order <= 3 then 'lead_actor' else 'actor' end as role,
        billing_order,
        person_name,
        name_normalized,
        null::text as imdb_person_id
    from {{ ref('stg_tmdb__cast') }}

),

tmdb_crew as (

    select
        'tmdb' as film_source,
        tmdb_id::text as film_source_key,
        case
            when job = 'Director' then 'director'
            when job in ('Screenplay', 'Writer', 'Story') then 'writer'
            when job = 'Director of Photography' then 'cinematographer'
            else 'composer'
        end as role,
        null::integer as billing_order,
        person_name,
        name_normalized,
        null::text as imdb_person_id
    from {{ ref('stg_tmdb__crew') }}
    where job in (
            'Director', 'Screenplay', 'Writer', 'Story', 'Director of Photography',
            'Original Music Composer', 'Music'
        )

),

imdb_principals as (

    select
        imdb_id,
        imdb_person_id,
        category,
        row_number() over (
            partition by imdb_id, category in ('actor', 'actress') order by ordering
        ) as position
    from {{ ref('stg_imdb_datasets__principals') }}
    where category in ('actor', 'actress', 'cinematographer', 'composer')

),

imdb_credits as (

    select
        imdb_id,
        imdb_person_id,
        case
            when category not in ('actor', 'actress') then category
            when position <= 3 then 'lead_actor'
            else 'actor'
        end as role,
        case when category in ('actor', 'actress') then position end as billing_order
    from imdb_principals

    union all

    select imdb_id, imdb_person_id, role, null::integer as billing_order
    from {{ ref('stg_imdb_datasets__crew') }}

),

imdb as (

    select
        'imdb_datasets' as film_source,
        imdb_credits.imdb_id as film_source_key,
        imdb_credits.role,
        imdb_credits.billing_order,
        names.person_name,
        names.name_normalized,
        imdb_credits.imdb_person_id
    from imdb_credits
    left join {{ ref('stg_imdb_datasets__names') }} as names
        on imdb_credits.imdb_person_id = names.imdb_person_id

)

select * from tmdb_cast
union all
select * from tmdb_crew
union all
select * from imdb
