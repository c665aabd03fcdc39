{#- The credits person quality is computed from: every credit of bridge_film_people except
    'nominee' (Best Picture producers and the like, honoured for the film rather than a
    craft), with the score role it counts for (lead and supporting actors are both
    'actor') and the film's release year (null for the few undated films: they count in the
    current scores, never in an as-of year).

    known_year is the first year our sources could name the person on the film. A
    catalogue or festival credit is known at release. A credit that only an outcome of the
    film gives (an Oscar nomination, a canonical-list entry) was not known before the
    outcome: the year after release at the earliest (the ceremony; a list comes later
    still). The as-of scores count a credit only once known, so a supporting actor we know
    only through a later nomination never reaches the film's as-of gravitas. -#}

{%- set outcome_sources = ['oscars', 'canonical_lists'] -%}

with

credits as (

    select * from {{ ref('bridge_film_people') }}
    where role <> 'nominee'

),

films as (

    select film_id, release_year from {{ ref('dim_films') }}

)

select
    credits.film_id,
    credits.person_id,
    credits.role as credit_role,
    case credits.role when 'lead_actor' then 'actor' else credits.role end as pqs_role,
    credits.billing_order,
    films.release_year,
    case
        when credits.sources <@ array[
                {%- for source in outcome_sources %}
                '{{ source }}'{{ "," if not loop.last }}
                {%- endfor %}
            ]::text[]
            then films.release_year + 1
        else films.release_year
    end as known_year
from credits
inner join films on credits.film_id = films.film_id
