with

source as (

    select * from {{ source('tmdb', 'tmdb__movies') }}

),

renamed as (

    select
        ---------- ids
        tmdb_id,
        imdb_id,
        wikidata_id,

        ---------- film
        title,
        original_title,
        {{ normalize_title('title') }} as title_normalized,
        release_date,
        extract(year from release_date)::integer as release_year,
        runtime as runtime_minutes,
        genres,
        status,

        ---------- measures
        budget,
        revenue,
        popularity,
        vote_average,
        vote_count,

        ---------- timestamps
        fetched_at

    from source

)

select * from renamed
