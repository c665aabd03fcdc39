{#- Who made which film with whom: one row per unordered pair of people credited on the
    same film (any scored role) and film. The one definition of a collaboration, for the
    person_collaborations mart and the peer-recognition graph. known_year: when both
    credits were known (int_people__credits), from which the as-of graph counts the pair. -#}

with

film_people as (

    select
        film_id,
        person_id,
        release_year,
        min(known_year) as known_year
    from {{ ref('int_people__credits') }}
    group by film_id, person_id, release_year

)

select
    person_a.person_id as person_a_id,
    person_b.person_id as person_b_id,
    person_a.film_id,
    person_a.release_year,
    greatest(person_a.known_year, person_b.known_year) as known_year
from film_people as person_a
inner join film_people as person_b
    on person_a.film_id = person_b.film_id
    and person_a.person_id < person_b.person_id
