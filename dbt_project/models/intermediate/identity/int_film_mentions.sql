{#- Every source row that names a film, in one shape. The source key is the raw table's
    key as text (Oscar films: nomination and film position, as one nomination may name
    several films). Festival rows without a film year use the edition year: films
    premiere at a festival in (or just before) their release year, and matching allows
    one year either way.

    usable_year is the release year when it is within 1870..(this year + 5), the years a
    film can have; input_issue says why a row's title or year is not used (the row stays,
    and film_identity_issues lists it). -#}

with

movielens as (

    select
        'movielens' as source,
        movie_id::text as source_key,
        title,
        title_normalized,
        release_year,
        null::text as imdb_id
    from {{ ref('stg_movielens__movies') }}

),

imdb_histograms as (

    select
        'imdb_histograms' as source,
        source_row_id::text as source_key,
        title,
        title_normalized,
        release_year,
        null::text as imdb_id
    from {{ ref('stg_imdb_histograms__titles') }}

),

oscars as (

    -- A nomination with neither a film title nor a film id honours no film (honorary awards).
    select distinct on (nomination_id, film_position)
        'oscars' as source,
        nomination_id || ':' || film_position as source_key,
        film_title as title,
        title_normalized,
        release_year,
        film_imdb_id as imdb_id
    from {{ ref('stg_oscars__nominations') }}
    where film_title is not null or film_imdb_id is not null
    order by nomination_id, film_position

),

box_office as (

    select
        'box_office' as source,
        record_index::text as source_key,
        title,
        title_normalized,
        release_year,
        null::text as imdb_id
    from {{ ref('stg_box_office__movies') }}

),

movie_industry as (

    select
        'movie_industry' as source,
        source_row::text as source_key,
        title,
        title_normalized,
        release_year,
        null::text as imdb_id
    from {{ ref('stg_movie_industry__movies') }}

),

festivals as (

    select
        'festivals' as source,
        source_row::text as source_key,
        film_title as title,
        title_normalized,
        coalesce(release_year, edition_year) as release_year,
        imdb_id
    from {{ ref('stg_festivals__awards') }}

),

canonical_lists as (

    select
        'canonical_lists' as source,
        source_row::text as source_key,
        film_title as title,
        title_normalized,
        release_year,
        imdb_id
    from {{ ref('stg_canonical_lists__entries') }}

),

mentions as (

    select * from movielens
    union all
    select * from imdb_histograms
    union all
    select * from oscars
    union all
    select * from box_office
    union all
    select * from movie_industry
    union all
    select * from festivals
    union all
    select * from canonical_lists
    union all
    select * from {{ ref('int_connector_film_mentions') }}

),

checked as (

    select
        *,
        release_year between 1870 and extract(year from current_date)::integer + 5
            as year_is_usable
    from mentions

)

select
    source,
    source_key,
    title,
    title_normalized,
    release_year,
    imdb_id,
    case when year_is_usable then release_year end as usable_year,
    case
        when title is not null and title_normalized is null
            then 'empty title (''' || title || ''' has no letters or digits)'
        when not year_is_usable
            then 'release year ' || release_year || ' outside 1870..'
                || (extract(year from current_date)::integer + 5)
    end as input_issue
from checked
