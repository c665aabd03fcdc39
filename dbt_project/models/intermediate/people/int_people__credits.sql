{#- The credits person quality is computed from: every credit of bridge_film_people except
    'nominee' (Best Picture producers and the like, honoured for the film rather than a
    craft), with the score role it counts for (lead and supporting actors are both
    'actor') and the film's release year (null for the few undated films: they count in the
    current scores, never in an as-of year). -#}

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
    films.release_year
from credits
inner join films on credits.film_id = films.film_id
