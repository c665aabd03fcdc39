{#- The archive's titles carry an alternate title in parentheses ('Seven (a.k.a. Se7en)')
    and the article at the end ('Deer Hunter, The'); the display title drops the first and
    fronts the second. The loader already split the year off. -#}

with

source as (

    select * from {{ source('movielens_archive', 'movielens_archive__movies') }}

),

without_alternate as (

    select
        *,
        regexp_replace(title, ' \((a\.k\.a\. )?[^()]+\)$', '') as main_title
    from source

),

renamed as (

    select
        ---------- ids
        movie_id,

        ---------- film
        {{ front_article('main_title') }} as title,
        title as title_as_given,
        {{ normalize_title('main_title') }} as title_normalized,
        year as release_year,

        ---------- genres
        nullif(genres, '(no genres listed)') as genres

    from without_alternate

)

select * from renamed
