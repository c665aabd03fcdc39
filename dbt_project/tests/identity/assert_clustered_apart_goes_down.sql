-- Regression guard: rows without an IMDb id that share a name and a director with an
-- IMDb-keyed film, within a year, yet cluster apart. 13 on the demo data when this guard was
-- written (Gone with the Wind and The Wizard of Oz credit an uncredited director in vega,
-- City of God only its co-director ...); the count must not grow. Returns the rows when it does.
with

directors as (

    select film_source as source, film_source_key as source_key, name_key
    from {{ ref('int_person_mentions') }}
    where counts_as_director and not_a_person_reason is null and name_key is not null

),

keyed as (

    select identity.film_id, identity.title_normalized, identity.usable_year, directors.name_key
    from {{ ref('int_film_identity') }} as identity
    inner join directors
        on identity.source = directors.source
        and identity.source_key = directors.source_key
    where identity.match_rule = 'imdb_id'

),

apart as (

    select distinct identity.source, identity.source_key, identity.title, identity.usable_year
    from {{ ref('int_film_identity') }} as identity
    inner join directors
        on identity.source = directors.source
        and identity.source_key = directors.source_key
    inner join keyed
        on identity.title_normalized = keyed.title_normalized
        and abs(identity.usable_year - keyed.usable_year) <= 1
        and directors.name_key = keyed.name_key
    where identity.match_rule = 'cluster'

)

select * from apart
where (select count(*) from apart) > 13
