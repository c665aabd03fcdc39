{#-
    Cleaned here: scraped column headers standing in for a person ('Directors', 28 rows;
    'Director', 3) and the writer 'Anonymous' become null (clean_person_name).
-#}

with

source as (

    select * from {{ source('raw', 'movie_industry__movies') }}

),

renamed as (

    select
        ---------- ids
        source_row,

        ---------- film
        name as title,
        {{ normalize_title('name') }} as title_normalized,
        year as release_year,
        rating as mpaa_rating,
        genre,
        country,
        company,
        runtime as runtime_min,

        ---------- release
        released as released_text,
        released_date as release_date,
        released_precision as release_date_precision,
        released_country as release_country,

        ---------- people
        {{ clean_person_name('director') }} as director,
        {{ normalize_person_name(clean_person_name('director')) }} as director_normalized,
        {{ clean_person_name('writer') }} as writer,
        {{ normalize_person_name(clean_person_name('writer')) }} as writer_normalized,
        {{ clean_person_name('star') }} as lead_actor,
        {{ normalize_person_name(clean_person_name('star')) }} as lead_actor_normalized,

        ---------- money
        budget as budget_usd,
        gross as gross_usd,

        ---------- ratings
        score as imdb_score,
        votes as imdb_votes

    from source

)

select * from renamed
