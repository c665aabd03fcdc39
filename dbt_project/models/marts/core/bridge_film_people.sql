{#- Who worked on which film in which role, from every source that says so. -#}

{{ config(indexes=[
    {'columns': ['film_id', 'person_id', 'role'], 'unique': true},
    {'columns': ['person_id']},
]) }}

select
    film_id,
    person_id,
    role,
    min(billing_order) as billing_order,
    array_agg(distinct source order by source) as sources,
    min(match_rule) filter (where match_rule <> 'imdb_id') is null as matched_by_imdb_id
from {{ ref('int_person_identity') }}
where film_id is not null
group by film_id, person_id, role
