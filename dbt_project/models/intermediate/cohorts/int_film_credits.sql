{#- Directors and actors of each film, for the people insights: lead actors and actors are
    both `actor`, one row per film, person and role. -#}

select distinct
    film_id,
    person_id,
    case when role = 'lead_actor' then 'actor' else role end as role
from {{ ref('bridge_film_people') }}
where role in ('director', 'lead_actor', 'actor')
