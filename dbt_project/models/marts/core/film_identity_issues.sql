{#- What the identity layer could not resolve, or resolved with a doubt, and why: nothing is
    lost silently. Films: rows without a film; rows whose title or year is unusable; rows
    a title and year matched to an IMDb-keyed film that shares none of their directors
    (left to cluster instead); IMDb-keyed films whose sources disagree on the year by
    more than one (source 'several', keyed by the IMDb id); films no source gives a title
    (source 'several', listed as 'imdb:tt...' and left out of the default leaderboards).
    People: names several
    IMDb-keyed people share, credits on unresolved films, and values that are not person
    names (a film title in the director column). -#}

with

films as (

    select * from {{ ref('int_film_identity') }}

),

people as (

    select * from {{ ref('int_person_identity') }}

)

select
    'film' as entity,
    source,
    source_key,
    coalesce(title, '') || coalesce(' (' || release_year || ')', '') as mention,
    unresolved_reason as reason
from films
where film_id is null

union all

select
    'film',
    source,
    source_key,
    coalesce(title, '') || coalesce(' (' || release_year || ')', ''),
    input_issue || '; resolved by its IMDb id'
from films
where input_issue is not null and film_id is not null

union all

select
    'film',
    source,
    source_key,
    coalesce(title, '') || coalesce(' (' || release_year || ')', ''),
    'title and year match ' || rejected_matches
    || ' but no director in common: not matched (' || match_rule || ')'
from films
where rejected_matches is not null

union all

select
    'film',
    'several',
    anchors.imdb_id,
    coalesce(dim_films.title, '') || ' (' || anchors.imdb_id || ')',
    'sources disagree on the year by more than one: ' || anchors.years_by_source
    || '; the film''s year is ' || dim_films.release_year
from {{ ref('int_film_anchors') }} as anchors
inner join {{ ref('dim_films') }} as dim_films on anchors.imdb_id = dim_films.imdb_id
where anchors.year_spread > 1

union all

select
    'film',
    'several',
    coalesce(imdb_id, film_id::text),
    film_label || coalesce(' (' || release_year || ')', ''),
    'no source gives a title: labelled by its IMDb id and left out of the default leaderboards'
from {{ ref('dim_films') }}
where title is null

union all

select
    'person',
    source,
    source_key,
    person_name,
    'name shared by several IMDb-keyed people; kept as a name-only person'
from people
where name_is_ambiguous

union all

select
    'person',
    source,
    source_key,
    person_name,
    'credited on a film that could not be resolved'
from people
where film_id is null

union all

select
    'person',
    source,
    source_key,
    left(person_name, 300),
    not_a_person_reason
from {{ ref('int_person_mentions') }}
where not_a_person_reason is not null
