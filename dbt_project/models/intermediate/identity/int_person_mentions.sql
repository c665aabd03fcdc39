{#- Every credit or nomination that names a person, with the film mention it belongs to.
    movie_industry gives a director, a writer and the lead star (billing order 1); vega a
    director; festival and list rows a director, co-directors comma-separated; the Oscars
    their nominees with IMDb nm ids, in the role their category honours ('nominee' where
    the category honours the film, e.g. Best Picture producers). Companies are not people. -#}

with

movie_industry as (

    select
        'movie_industry' as film_source,
        movies.source_row::text as film_source_key,
        credits.role,
        credits.billing_order,
        credits.person_name,
        credits.name_normalized,
        null::text as imdb_person_id
    from {{ ref('stg_movie_industry__movies') }} as movies
    cross join lateral (
        values
        ('director', null::integer, movies.director, movies.director_normalized),
        ('writer', null::integer, movies.writer, movies.writer_normalized),
        ('lead_actor', 1, movies.lead_actor, movies.lead_actor_normalized)
    ) as credits (role, billing_order, person_name, name_normalized)

),

box_office as (

    select
        'box_office' as film_source,
        record_index::text as film_source_key,
        'director' as role,
        null::integer as billing_order,
        director as person_name,
        director_normalized as name_normalized,
        null::text as imdb_person_id
    from {{ ref('stg_box_office__movies') }}

),

oscars as (

    select
        'oscars' as film_source,
        nomination_id || ':' || film_position as film_source_key,
        coalesce(person_role, 'nominee') as role,
        null::integer as billing_order,
        nominee_name as person_name,
        nominee_name_normalized as name_normalized,
        case when nominee_kind = 'person' then nominee_imdb_id end as imdb_person_id
    from {{ ref('stg_oscars__nominations') }}
    where nominee_kind is distinct from 'company'
        and (film_title is not null or film_imdb_id is not null)

),

listed_directors as (

    select 'festivals' as film_source, source_row, director from {{ ref('stg_festivals__awards') }}
    union all
    select 'canonical_lists', source_row, director from {{ ref('stg_canonical_lists__entries') }}

),

split_directors as (

    select
        listed_directors.film_source,
        listed_directors.source_row::text as film_source_key,
        'director' as role,
        null::integer as billing_order,
        btrim(co_director.name) as person_name,
        {{ normalize_person_name('btrim(co_director.name)') }} as name_normalized,
        null::text as imdb_person_id
    from listed_directors
    cross join
        lateral regexp_split_to_table(listed_directors.director, ',\s*') as co_director (name)

),

mentions as (

    select * from movie_industry
    union all
    select * from box_office
    union all
    select * from oscars
    union all
    select * from split_directors
    union all
    select
        film_source,
        film_source_key,
        role,
        billing_order,
        person_name,
        name_normalized,
        imdb_person_id
    from {{ ref('int_connector_person_mentions') }}

)

select
    film_source || '/' || role || ':' || film_source_key || ':'
    || row_number() over (
        partition by film_source, film_source_key, role order by person_name
    ) as source_key,
    film_source as source,
    *
from mentions
where name_normalized is not null
