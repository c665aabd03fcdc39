{#- Source rows the identity layer could not resolve, and why: nothing is lost silently. -#}

select
    'film' as entity,
    source,
    source_key,
    coalesce(title, '') || coalesce(' (' || release_year || ')', '') as mention,
    unresolved_reason as reason
from {{ ref('int_film_identity') }}
where film_id is null

union all

select
    'person' as entity,
    source,
    source_key,
    person_name as mention,
    'name shared by several IMDb-keyed people; kept as a name-only person' as reason
from {{ ref('int_person_identity') }}
where name_is_ambiguous

union all

select
    'person' as entity,
    source,
    source_key,
    person_name as mention,
    'credited on a film that could not be resolved' as reason
from {{ ref('int_person_identity') }}
where film_id is null
