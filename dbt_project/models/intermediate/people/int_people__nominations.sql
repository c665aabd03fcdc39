{#- Every official Oscar nomination of a person, in each score role its category credits
    (pqs_award_categories): Best Director for the director named, a screenplay for the
    writers named (and for a director only when named among them), Best Picture for a
    director only when named among its producers, cinematography for the cinematographer,
    editing for the editor, and so on. weight is the seed's share of a nomination the role
    takes. Tied to the person by IMDb nm id and to the film through bridge_film_sources.
    The Oscars of year N are given at the ceremony of N + 1: known_year. -#}

with

nominations as (

    select * from {{ ref('stg_oscars__nominations') }}
    where is_official_nomination

),

categories as (

    select category, role, weight from {{ ref('pqs_award_categories') }}
    where source = 'oscars'

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
    categories.role as pqs_role,
    nominations.nomination_id,
    films.film_id,
    nominations.canonical_category,
    categories.weight,
    nominations.award_year,
    nominations.award_year + 1 as known_year,
    nominations.is_winner
from nominations
inner join categories on nominations.canonical_category = categories.category
inner join people on nominations.nominee_imdb_id = people.imdb_person_id
left join films on nominations.nomination_id || ':' || nominations.film_position = films.source_key
