-- No title match joins a row to an IMDb-keyed film when both know their directors and none
-- is compatible (`names_compatible`). Returns the offending matches.
with

directors as (

    {{ director_mentions() }}

),

film_directors as (

    select distinct identity.film_id, directors.name_key
    from {{ ref('int_film_identity') }} as identity
    inner join directors
        on identity.source = directors.source
        and identity.source_key = directors.source_key
    where identity.match_rule = 'imdb_id'

),

checked as (

    select
        identity.source,
        identity.source_key,
        identity.film_id,
        identity.title,
        bool_or({{ names_compatible('directors.name_key', 'film_directors.name_key') }})
            as shares_director
    from {{ ref('int_film_identity') }} as identity
    inner join directors
        on identity.source = directors.source
        and identity.source_key = directors.source_key
    inner join film_directors on identity.film_id = film_directors.film_id
    where identity.match_rule in ('title_year', 'alt_title_year', 'director_fuzzy')
    group by identity.source, identity.source_key, identity.film_id, identity.title

)

select * from checked
where not shares_director
