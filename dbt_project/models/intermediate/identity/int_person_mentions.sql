{#- Every credit or nomination that names a person, with the film mention it belongs to.
    movie_industry gives a director, a writer and the lead star (billing order 1); vega a
    director; festival and list rows a director. Director and writer strings may name
    several people ('Michael Powell/Emeric Pressburger', 'A & B', 'A and B', 'A, B'): they
    are split, except before a suffix ('Sammy Davis, Jr.'). The Oscars give their nominees
    with IMDb nm ids, in the role their category honours ('nominee' where the category
    honours the film, e.g. Best Picture producers); the nominees of the short-film
    categories are that film's directors for identity matching (counts_as_director).
    Companies are not people.

    name_key folds a name for matching (`person_name_key`), then the person_aliases seed
    maps stage names, renames and misspellings to the canonical name's key. A value that
    is not a person keeps a not_a_person_reason: the film's own title in the director
    column ('Killer of Sheep'), or a string longer than 300 characters. -#}

with

aliases as (

    select
        {{ person_name_key(normalize_words('alias_name')) }} as alias_key,
        {{ person_name_key(normalize_words('canonical_name')) }} as canonical_key
    from {{ ref('person_aliases') }}

),

movie_industry as (

    select
        'movie_industry' as film_source,
        movies.source_row::text as film_source_key,
        movies.title_normalized as film_title_normalized,
        credits.role,
        credits.billing_order,
        credits.person_name,
        null::text as imdb_person_id,
        credits.role <> 'lead_actor' as may_list_several,
        credits.role = 'director' as counts_as_director
    from {{ ref('stg_movie_industry__movies') }} as movies
    cross join lateral (
        values
        ('director', null::integer, movies.director),
        ('writer', null::integer, movies.writer),
        ('lead_actor', 1, movies.lead_actor)
    ) as credits (role, billing_order, person_name)

),

box_office as (

    select
        'box_office' as film_source,
        record_index::text as film_source_key,
        title_normalized as film_title_normalized,
        'director' as role,
        null::integer as billing_order,
        director as person_name,
        null::text as imdb_person_id,
        true as may_list_several,
        true as counts_as_director
    from {{ ref('stg_box_office__movies') }}

),

oscars as (

    select
        'oscars' as film_source,
        nomination_id || ':' || film_position as film_source_key,
        title_normalized as film_title_normalized,
        coalesce(person_role, 'nominee') as role,
        null::integer as billing_order,
        nominee_name as person_name,
        case when nominee_kind = 'person' then nominee_imdb_id end as imdb_person_id,
        false as may_list_several,
        person_role = 'director'
        or canonical_category like 'SHORT %'
        or canonical_category = 'DOCUMENTARY (Short Subject)' as counts_as_director
    from {{ ref('stg_oscars__nominations') }}
    where nominee_kind is distinct from 'company'
        and (film_title is not null or film_imdb_id is not null)

),

listed_directors as (

    select
        'festivals' as film_source,
        source_row::text as film_source_key,
        title_normalized as film_title_normalized,
        'director' as role,
        null::integer as billing_order,
        director as person_name,
        null::text as imdb_person_id,
        true as may_list_several,
        true as counts_as_director
    from {{ ref('stg_festivals__awards') }}

    union all

    select
        'canonical_lists',
        source_row::text,
        title_normalized,
        'director',
        null::integer,
        director,
        null::text,
        true,
        true
    from {{ ref('stg_canonical_lists__entries') }}

),

connectors as (

    select
        film_source,
        film_source_key,
        null::text as film_title_normalized,
        role,
        billing_order,
        person_name,
        imdb_person_id,
        false as may_list_several,
        role = 'director' as counts_as_director
    from {{ ref('int_connector_person_mentions') }}

),

credits as (

    select * from movie_industry
    union all
    select * from box_office
    union all
    select * from oscars
    union all
    select * from listed_directors
    union all
    select * from connectors

),

split as (

    select
        credits.film_source,
        credits.film_source_key,
        credits.film_title_normalized,
        credits.role,
        credits.billing_order,
        credits.imdb_person_id,
        credits.counts_as_director,
        coalesce(btrim(named.person_name), credits.person_name) as person_name,
        length(credits.person_name) > 300 as too_long
    from credits
    left join
        lateral regexp_split_to_table(
            credits.person_name,
            '\s*(?:/|&|,(?!\s*(?:jr|sr|ii|iii)\M)|\s+and\s+)\s*',
            'i'
        ) as named (person_name)
        on credits.may_list_several and length(credits.person_name) <= 300
    where credits.person_name is not null

),

normalized as (

    select
        split.*,
        {{ normalize_person_name('split.person_name') }} as name_normalized
    from split
    where split.person_name <> ''

),

keyed as (

    select
        normalized.*,
        {{ person_name_key('normalized.name_normalized') }} as own_key
    from normalized

),

mentions as (

    select
        keyed.film_source,
        keyed.film_source_key,
        keyed.role,
        keyed.billing_order,
        keyed.person_name,
        keyed.name_normalized,
        coalesce(aliases.canonical_key, keyed.own_key) as name_key,
        keyed.imdb_person_id,
        keyed.counts_as_director,
        case
            when keyed.too_long then 'longer than 300 characters: not a person name'
            when keyed.counts_as_director
                and {{ normalize_title('keyed.person_name') }} = keyed.film_title_normalized
                then 'the film''s own title in a person column: not a person name'
        end as not_a_person_reason
    from keyed
    left join aliases on keyed.own_key = aliases.alias_key
    where keyed.name_normalized is not null

)

select
    film_source || '/' || role || ':' || film_source_key || ':'
    || row_number() over (
        partition by film_source, film_source_key, role order by person_name
    ) as source_key,
    film_source as source,
    *
from mentions
