-- Regression guard: rows without an IMDb id that share a name and a director with an
-- IMDb-keyed film, within a year, yet cluster apart. 8 on the demo data before directors were
-- checked against every name and year of a film (E.T. the Extra-Terrestrial twice, Mulholland
-- Dr. twice, There Will Be Blood, Yi Yi, Fanny and Alexander, Au Revoir les Enfants),
-- 0 since; it must stay 0. Returns the rows.
with

directors as (

    {{ director_mentions() }}

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
