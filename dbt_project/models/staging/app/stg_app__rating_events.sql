with

source as (

    select * from {{ source('app', 'rating_events') }}

),

renamed as (

    select
        ---------- ids
        event_id,
        source_row,
        user_id,
        movie_id,
        imdb_id,

        ---------- lineage
        source,
        source_file,

        ---------- film as given
        film_title,
        film_year,

        ---------- measures
        rating,
        liked,
        favorite,
        rewatch,

        ---------- timestamps
        event_at,
        loaded_at

    from source

)

select * from renamed
