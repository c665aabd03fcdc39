{#- Genres per film from every source that has them, in one vocabulary (the genre_map seed). -#}

with

labels as (

    select 'movielens' as source, movie_id::text as source_key, unnest(genre_list) as label
    from {{ ref('stg_movielens__movies') }}

    union all

    select 'movie_industry', source_row::text, genre
    from {{ ref('stg_movie_industry__movies') }}

    union all

    select 'box_office', record_index::text, major_genre
    from {{ ref('stg_box_office__movies') }}

    union all

    select 'imdb_histograms', titles.source_row_id::text, flags.label
    from {{ ref('stg_imdb_histograms__titles') }} as titles
    cross join
        lateral (
            values
            ('action', titles.is_action),
            ('animation', titles.is_animation),
            ('comedy', titles.is_comedy),
            ('drama', titles.is_drama),
            ('documentary', titles.is_documentary),
            ('romance', titles.is_romance),
            ('short', titles.is_short)
        ) as flags (label, is_set)
    where flags.is_set

)

select distinct
    identity.film_id,
    genre_map.genre,
    labels.source
from labels
inner join {{ ref('genre_map') }} as genre_map on lower(labels.label) = genre_map.source_genre
inner join {{ ref('int_film_identity') }} as identity
    on labels.source = identity.source
    and labels.source_key = identity.source_key
where identity.film_id is not null
