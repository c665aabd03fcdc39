{#-
    Resolves every person mention (credits and Oscar nominees) to one person key.

    1. A mention with an IMDb name id is that person ("imdb:<nm id>"); two people who share
       a name keep two ids (the two Steve McQueens stay two people).
    2. A mention without one takes the IMDb-keyed person credited on the same film under
       the same name key, else under a compatible name when exactly one is ("same_film":
       'Terence Malick' on a film the Academy credits to Terrence Malick, nm0000517).
       Names meet on their name key (`person_name_key`, after the person_aliases seed):
       word order, accents, honorifics and middle initials do not matter.
    3. Otherwise, the IMDb-keyed people of that name: if exactly one, that person
       ("unique_name"); if several, the one whose credits share the mention's kind of work
       (acting, directing, writing) when exactly one does ("name_and_role").
    4. Otherwise, the person that another mention of the same name on the same film resolved
       to by rules 1-3, when exactly one ("same_film_resolved"): Steve McQueen the writer of
       Shame is the director that rule 3 found for the same film.
    5. Otherwise a name-only person ("name:<name key>"), flagged when IMDb-keyed people of
       that name exist but none could be chosen.
    Values that are not person names (int_person_mentions.not_a_person_reason) are left
    out; film_identity_issues lists them.
-#}

{#- Every mention carries its own columns through the passes: joining the passes back to
    `mentions` on (source, source_key) left the planner guessing a handful of rows and
    choosing a nested loop that ran for minutes. -#}
{%- set mention_columns = [
    'source', 'source_key', 'film_source', 'film_source_key', 'film_id', 'role',
    'billing_order', 'person_name', 'name_normalized', 'name_key', 'imdb_person_id'
] -%}

with

mentions as (

    select
        person_mentions.*,
        films.film_id,
        case
            when person_mentions.role in ('lead_actor', 'actor') then 'acting'
            when person_mentions.role = 'director' then 'directing'
            when person_mentions.role = 'writer' then 'writing'
            else person_mentions.role
        end as work_kind
    from {{ ref('int_person_mentions') }} as person_mentions
    left join {{ ref('int_film_identity') }} as films
        on person_mentions.film_source = films.source
        and person_mentions.film_source_key = films.source_key
    where person_mentions.name_key is not null
        and person_mentions.not_a_person_reason is null

),

keyed as (

    select * from mentions
    where imdb_person_id is not null

),

keyed_work as (

    select distinct imdb_person_id, name_key, work_kind from keyed

),

name_only as (

    select * from mentions
    where imdb_person_id is null

),

same_film_candidates as (

    select distinct
        name_only.source,
        name_only.source_key,
        keyed.imdb_person_id,
        name_only.name_key = keyed.name_key as same_key
    from name_only
    inner join keyed
        on name_only.film_id = keyed.film_id
        and {{ names_compatible('name_only.name_key', 'keyed.name_key') }}

),

same_film as (

    select distinct on (source, source_key)
        source,
        source_key,
        imdb_person_id
    from (
        select
            *,
            count(*) over (partition by source, source_key) as compatible_people
        from same_film_candidates
    ) as candidates
    where same_key or compatible_people = 1
    order by source asc, source_key asc, same_key desc, imdb_person_id asc

),

name_candidates as (

    select
        name_only.source,
        name_only.source_key,
        count(distinct keyed_work.imdb_person_id) as people_with_name,
        count(distinct keyed_work.imdb_person_id) filter (
            where keyed_work.work_kind = name_only.work_kind
        ) as people_with_name_and_work,
        min(keyed_work.imdb_person_id) as any_person,
        min(keyed_work.imdb_person_id) filter (
            where keyed_work.work_kind = name_only.work_kind
        ) as person_with_work
    from name_only
    inner join keyed_work on name_only.name_key = keyed_work.name_key
    group by name_only.source, name_only.source_key

),

first_pass as (

    select
        {%- for column in mention_columns %}
        keyed.{{ column }},
        {%- endfor %}
        'imdb:' || keyed.imdb_person_id as person_key,
        'imdb_id' as match_rule,
        false as name_is_ambiguous
    from keyed

    union all

    select
        {%- for column in mention_columns %}
        name_only.{{ column }},
        {%- endfor %}
        case
            when same_film.imdb_person_id is not null then 'imdb:' || same_film.imdb_person_id
            when name_candidates.people_with_name = 1 then 'imdb:' || name_candidates.any_person
            when name_candidates.people_with_name_and_work = 1
                then 'imdb:' || name_candidates.person_with_work
            else 'name:' || name_only.name_key
        end as person_key,
        case
            when same_film.imdb_person_id is not null then 'same_film'
            when name_candidates.people_with_name = 1 then 'unique_name'
            when name_candidates.people_with_name_and_work = 1 then 'name_and_role'
            else 'name_only'
        end as match_rule,
        same_film.imdb_person_id is null
        and coalesce(name_candidates.people_with_name, 0) > 1
        and coalesce(name_candidates.people_with_name_and_work, 0) <> 1
            as name_is_ambiguous
    from name_only
    left join same_film
        on name_only.source = same_film.source
        and name_only.source_key = same_film.source_key
    left join name_candidates
        on name_only.source = name_candidates.source
        and name_only.source_key = name_candidates.source_key

),

resolved_on_film as (

    select
        film_id,
        name_key,
        min(person_key) as person_key,
        count(distinct person_key) as people
    from first_pass
    where match_rule <> 'name_only'
        and film_id is not null
    group by film_id, name_key

),

resolved as (

    select
        {%- for column in mention_columns %}
        first_pass.{{ column }},
        {%- endfor %}
        case
            when first_pass.match_rule = 'name_only' and on_film.people = 1
                then on_film.person_key
            else first_pass.person_key
        end as person_key,
        case
            when first_pass.match_rule = 'name_only' and on_film.people = 1
                then 'same_film_resolved'
            else first_pass.match_rule
        end as match_rule,
        first_pass.name_is_ambiguous and coalesce(on_film.people, 0) <> 1 as name_is_ambiguous
    from first_pass
    left join resolved_on_film as on_film
        on first_pass.film_id = on_film.film_id
        and first_pass.name_key = on_film.name_key

)

select
    {%- for column in mention_columns %}
    {{ column }},
    {%- endfor %}
    person_key,
    {{ surrogate_id('person_key') }} as person_id,
    match_rule,
    name_is_ambiguous
from resolved
