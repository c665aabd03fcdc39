-- The app's own users, rating events, cohorts and follows (ingest/app_events.py).
-- App user ids start at 1,000,000 (app_events.APP_USER_ID_START) so they never collide with
-- a MovieLens user id.
create table if not exists app.users (
    user_id integer primary key check (user_id >= 1000000),
    handle text not null unique,
    source text not null,
    created_at timestamptz not null default now()
);

create table if not exists app.rating_events (
    event_id bigserial primary key,
    source text not null,
    source_file text not null,
    source_row integer not null,
    user_id integer not null,
    movie_id integer,
    imdb_id text,
    film_title text,
    film_year integer,
    rating numeric(4, 1),
    liked boolean not null default false,
    favorite boolean not null default false,
    rewatch boolean not null default false,
    event_at timestamptz not null,
    loaded_at timestamptz not null default now(),
    unique (source, source_file, source_row),
    check (movie_id is not null or imdb_id is not null or film_title is not null)
);

create index if not exists rating_events_event_at on app.rating_events (event_at);

create table if not exists app.cohorts (
    cohort_name text primary key check (cohort_name ~ '^[a-z0-9][a-z0-9_-]*$'),
    description text not null default '',
    created_at timestamptz not null default now()
);

create table if not exists app.cohort_members (
    cohort_name text not null references app.cohorts on delete cascade,
    user_id integer not null,
    added_at timestamptz not null default now(),
    primary key (cohort_name, user_id)
);

create table if not exists app.follows (
    follower_id integer not null,
    followee_id integer not null,
    created_at timestamptz not null default now(),
    primary key (follower_id, followee_id),
    check (follower_id <> followee_id)
);
