{{ config(materialized='view') }}

{#- Film mentions of the live connectors, in the shape of int_film_mentions (which unions
    them in). Each carries the IMDb id its source knows, which identity matches first:
    TMDb's external_ids, the IMDb datasets' own tconst, a MovieLens archive's links.csv. -#}

with

tmdb as (

    select
        'tmdb' as source,
        tmdb_id::text as source_key,
        title,
        title_normalized,
        release_year,
        imdb_id
    from {{ ref('stg_tmdb__movies') }}

),

imdb_datasets as (

    select
        'imdb_datasets' as source,
        imdb_id as source_key,
        title,
        title_normalized,
        release_year,
        imdb_id
    from {{ ref('stg_imdb_datasets__titles') }}

),

movielens_archive as (

    select
        'movielens_archive' as source,
        movies.movie_id::text as source_key,
        movies.title,
        movies.title_normalized,
        movies.release_year,
        links.imdb_id
    from {{ ref('stg_movielens_archive__movies') }} as movies
    left join {{ ref('stg_movielens_archive__links') }} as links
        on movies.movie_id = links.movie_id

)

select * from tmdb
union all
select * from imdb_datasets
union all
select * from movielens_archive
