{#- One row per person: IMDb-keyed where any source gave an nm id, keyed by the name key
    (`person_name_key`, after the person_aliases seed) otherwise; the name shown is the
    spelling most credits use. -#}

{{ config(indexes=[
    {'columns': ['person_id'], 'unique': true},
    {'columns': ['imdb_person_id']},
]) }}

with

identity as (

    select * from {{ ref('int_person_identity') }}

),

names as (

    select distinct on (person_id)
        person_id,
        person_name
    from (
        select person_id, person_name, count(*) as mentions
        from identity
        group by person_id, person_name
    ) as name_counts
    order by person_id asc, mentions desc, person_name asc

)

select
    identity.person_id,
    identity.person_key,
    names.person_name as name,
    min(identity.name_normalized) as name_normalized,
    min(identity.name_key) as name_key,
    max(identity.imdb_person_id) as imdb_person_id,
    array_agg(distinct identity.role order by identity.role) as roles,
    count(distinct identity.film_id) as film_count,
    bool_or(identity.name_is_ambiguous) as name_is_ambiguous
from identity
inner join names on identity.person_id = names.person_id
group by identity.person_id, identity.person_key, names.person_name
