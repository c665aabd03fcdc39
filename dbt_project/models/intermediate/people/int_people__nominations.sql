{#- Every official Oscar nomination of a person in a category that honours a craft we
    score (directing, acting, writing, cinematography, score), tied to the person by IMDb
    nm id and to the film through bridge_film_sources. The Oscars of year N are given at
    the ceremony of N + 1: known_year. -#}

with

nominations as (

    select * from {{ ref('stg_oscars__nominations') }}
    where is_official_nomination
        and person_role is not null

),

people as (

    select person_id, imdb_person_id from {{ ref('dim_people') }}
    where imdb_person_id is not null

),

films as (

    select source_key, film_id from {{ ref('bridge_film_sources') }}
    where source = 'oscars'

)

select
    people.person_id,
    case nominations.person_role when 'lead_actor' then 'actor' else nominations.person_role end
        as pqs_role,
    nominations.nomination_id,
    films.film_id,
    nominations.canonical_category,
    nominations.award_year,
    nominations.award_year + 1 as known_year,
    nominations.is_winner
from nominations
inner join people on nominations.nominee_imdb_id = people.imdb_person_id
left join films on nominations.nomination_id || ':' || nominations.film_position = films.source_key
