{{ config(materialized='view', tags=['monthly']) }}

{#- Every rating event, MovieLens (the demo ratings and a MovieLens archive's) and app, in
    one shape, with its film resolved and the reason it cannot be used (null when it can). No
    window here: the monthly models filter on rated_at and PostgreSQL pushes that filter into
    every branch.

    A film is found by the first reference of the event that resolves: a MovieLens movie id
    (through bridge_film_sources), an IMDb id, or a normalised title with the exact release
    year (ambiguous when several films match). Archive ratings name their film by the IMDb id
    links.csv gives its movie id, as the identity layer keys archive films: the bridge knows
    the demo's movie ids only. A user is known when MovieLens has them (the demo ratings or
    the archive, for its own ratings) or they are registered in app.users. -#}

with

movielens as (

    select
        'movielens' as source,
        null::text as source_file,
        null::integer as source_row,
        null::bigint as event_id,
        user_id,
        movie_id,
        null::text as imdb_id,
        null::text as film_title,
        null::integer as film_year,
        rating::numeric as rating,
        false as liked,
        false as favorite,
        false as rewatch,
        rated_at,
        null::timestamptz as loaded_at
    from {{ ref('stg_movielens__ratings') }}

),

movielens_archive as (

    select
        'movielens_archive' as source,
        null::text as source_file,
        null::integer as source_row,
        null::bigint as event_id,
        ratings.user_id,
        ratings.movie_id,
        links.imdb_id,
        null::text as film_title,
        null::integer as film_year,
        ratings.rating::numeric as rating,
        false as liked,
        false as favorite,
        false as rewatch,
        ratings.rated_at,
        null::timestamptz as loaded_at
    from {{ ref('stg_movielens_archive__ratings') }} as ratings
    left join {{ ref('stg_movielens_archive__links') }} as links
        on ratings.movie_id = links.movie_id

),

app as (

    select
        source,
        source_file,
        source_row,
        event_id,
        user_id,
        movie_id,
        imdb_id,
        film_title,
        film_year,
        rating::numeric as rating,
        liked,
        favorite,
        rewatch,
        event_at as rated_at,
        loaded_at
    from {{ ref('stg_app__rating_events') }}

),

events as (

    select * from movielens
    union all
    select * from movielens_archive
    union all
    select * from app

),

known_users as (

    select distinct user_id from {{ ref('stg_movielens__ratings') }}
    union
    select user_id from {{ ref('stg_app__users') }}

),

movielens_films as (

    select source_key::integer as movie_id, film_id
    from {{ ref('bridge_film_sources') }}
    where source = 'movielens'

),

titles as (

    select
        title_normalized,
        release_year,
        min(film_id) as film_id,
        count(*) as matches
    from {{ ref('dim_films') }}
    group by title_normalized, release_year

),

resolved as (

    select
        events.*,
        coalesce(movielens_films.film_id, imdb.film_id, titles.film_id) as film_id,
        titles.matches as title_matches,
        known_users.user_id is not null or events.source = 'movielens_archive' as user_known,
        concat_ws(
            ' ',
            'movie_id ' || events.movie_id,
            'imdb_id ' || events.imdb_id,
            quote_literal(events.film_title) || coalesce(' (' || events.film_year || ')', '')
        ) as film_reference
    from events
    left join movielens_films
        on events.movie_id = movielens_films.movie_id and events.source <> 'movielens_archive'
    left join {{ ref('dim_films') }} as imdb
        on movielens_films.film_id is null and events.imdb_id = imdb.imdb_id
    left join titles
        on movielens_films.film_id is null
        and imdb.film_id is null
        and {{ normalize_title('events.film_title') }} = titles.title_normalized
        and events.film_year = titles.release_year
    left join known_users on events.user_id = known_users.user_id

)

select
    source,
    source_file,
    source_row,
    event_id,
    user_id,
    case when title_matches > 1 then null else film_id end as film_id,
    film_reference,
    rating,
    liked,
    favorite,
    rewatch,
    rated_at,
    loaded_at,
    nullif(concat_ws(
        '; ',
        case when rating is null and not (liked or favorite)
                then 'no rating, like or favourite'
        end,
        case when rating < 0.5 or rating > 5
                then 'rating ' || rating || ' is outside 0.5-5'
        end,
        case when rating * 2 <> round(rating * 2)
                then 'rating ' || rating || ' is off the half-star grid'
        end,
        case when not user_known
                then 'unknown user ' || user_id
        end,
        case when rated_at < '{{ var("first_rating_month") }}'::timestamptz
                then 'rated '
                    || to_char(rated_at at time zone 'UTC', 'YYYY-MM-DD')
                    || ', before the first rating month {{ var("first_rating_month") }}'
        end,
        case
            when title_matches > 1
                then 'ambiguous film: '
                    || film_reference
                    || ' matches '
                    || title_matches
                    || ' films'
            when film_id is null
                then 'unknown film: ' || film_reference
        end
    ), '') as reject_reason
from resolved
