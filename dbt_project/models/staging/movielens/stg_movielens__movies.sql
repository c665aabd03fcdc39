{#-
    MovieLens titles put the article last and may add an alternate title in parentheses:
    'City of Lost Children, The (Cité des enfants perdus, La)'. dslabs already split the
    year off; a title still ending in '(1995)' (a raw MovieLens file) gives its year too.
-#}

with

source as (

    select * from {{ source('raw', 'movielens__movies') }}

),

split_title as (

    select
        *,
        substring(title from '\((\d{4})\)\s*$')::integer as year_in_title,
        regexp_replace(title, '\s*\(\d{4}\)\s*$', '') as title_without_year
    from source

),

parts as (

    select
        *,
        coalesce(
            substring(title_without_year from '^(.+?) \((?:a\.k\.a\. )?.+\)$'),
            title_without_year
        ) as main_title,
        substring(title_without_year from '^.+? \((?:a\.k\.a\. )?(.+)\)$') as alternate_title
    from split_title

),

renamed as (

    select
        ---------- ids
        movie_id,

        ---------- film
        {{ front_article('main_title') }} as title,
        {{ front_article('alternate_title') }} as alternate_title,
        title as title_as_given,
        {{ normalize_title('main_title') }} as title_normalized,
        coalesce(year, year_in_title) as release_year,

        ---------- genres
        nullif(genres, '(no genres listed)') as genres,
        string_to_array(nullif(genres, '(no genres listed)'), '|') as genre_list

    from parts

)

select * from renamed
