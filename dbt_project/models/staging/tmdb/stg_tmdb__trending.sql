with

source as (

    select * from {{ source('tmdb', 'tmdb__trending') }}

),

renamed as (

    select
        ---------- ids
        tmdb_id,

        ---------- snapshot
        snapshot_hour,
        time_window,
        rank,

        ---------- film
        title,
        {{ normalize_title('title') }} as title_normalized,
        extract(year from release_date)::integer as release_year,

        ---------- measures
        popularity,
        vote_average,
        vote_count

    from source

)

select * from renamed
