{#- Every name a source row gives its film, one row per (source row, normalised title):
    the title itself ('title'); MovieLens' full title with its parentheticals ('full':
    'Birdman: Or (The Unexpected Virtue of Ignorance)', cut at the parenthesis in the
    title column) and each parenthetical as an alternate title ('alternate': 'Se7en',
    'Ladri di biciclette', 'La grande illusion', with 'a.k.a.' dropped and the article
    fronted); the IMDb datasets' original title ('original'). Identity matches a row
    without an IMDb id against every name of the IMDb-keyed films. -#}

with

mentions as (

    select source, source_key, title, title_normalized from {{ ref('int_film_mentions') }}

),

movielens_titles as (

    select
        'movielens' as source,
        movie_id::text as source_key,
        regexp_replace(title_as_given, '\s*\(\d{4}\)\s*$', '') as full_title
    from {{ ref('stg_movielens__movies') }}

    union all

    select
        'movielens_archive',
        movie_id::text,
        title_as_given
    from {{ ref('stg_movielens_archive__movies') }}

),

parentheticals as (

    select
        movielens_titles.source,
        movielens_titles.source_key,
        {{ front_article("regexp_replace(btrim(parenthetical.title[1]), '^a\\.k\\.a\\. ', '')") }}
            as title
    from movielens_titles
    cross join lateral regexp_matches(movielens_titles.full_title, '\(([^()]+)\)', 'g')
        as parenthetical (title)

),

names as (

    select source, source_key, 'title' as title_kind, title, title_normalized
    from mentions

    union all

    select source, source_key, 'full', full_title, {{ normalize_title('full_title') }}
    from movielens_titles
    where full_title like '%)'

    union all

    select source, source_key, 'alternate', title, {{ normalize_title('title') }}
    from parentheticals

    union all

    select
        'imdb_datasets',
        imdb_id,
        'original',
        original_title,
        {{ normalize_title('original_title') }}
    from {{ ref('stg_imdb_datasets__titles') }}

)

-- A name given twice by one row (an alternate equal to the title) is kept once, as its
-- most direct kind.
select distinct on (source, source_key, title_normalized)
    source,
    source_key,
    title_kind,
    title,
    title_normalized
from names
where title_normalized is not null
order by
    source,
    source_key,
    title_normalized,
    array_position(array['title', 'original', 'alternate', 'full'], title_kind)
