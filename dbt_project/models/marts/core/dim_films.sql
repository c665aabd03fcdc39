{#- One row per real film: the canonical title from the most trusted source that has one,
    the release year of the IMDb-keyed record (or of the cluster's first mention), genres
    from every source that has them, and how many sources know the film. -#}

{{ config(indexes=[
    {'columns': ['film_id'], 'unique': true},
    {'columns': ['imdb_id']},
]) }}

with

identity as (

    select * from {{ ref('int_film_identity') }}
    where film_id is not null

),

sources as (

    select * from {{ ref('identity_sources') }}

),

canonical as (

    select distinct on (identity.film_id)
        identity.film_id,
        identity.film_key,
        identity.title,
        identity.title_normalized,
        identity.release_year
    from identity
    inner join sources on identity.source = sources.source
    order by
        identity.film_id,
        identity.title is null,
        identity.release_year is null,
        -- the year that keyed the film wins; then the most trusted title
        identity.match_rule <> 'imdb_id',
        sources.title_priority

),

coverage as (

    select
        film_id,
        max(imdb_id) as imdb_id,
        array_agg(distinct source order by source) as sources,
        count(*) as source_rows
    from identity
    group by film_id

),

genres as (

    select
        film_id,
        array_agg(distinct genre order by genre) as genres
    from {{ ref('int_film_genres') }}
    group by film_id

)

select
    canonical.film_id,
    canonical.film_key,
    canonical.title,
    canonical.title_normalized,
    canonical.release_year,
    coverage.imdb_id,
    coalesce(genres.genres, '{}'::text[]) as genres,
    coverage.sources,
    cardinality(coverage.sources) as source_count,
    coverage.source_rows
from canonical
inner join coverage on canonical.film_id = coverage.film_id
left join genres on canonical.film_id = genres.film_id
