-- The personal companion (docs/companion.md): what users say, their learned taste, the queue
-- of users whose picks need a refresh, and the precomputed picks.

create table if not exists app.conversations (
    conversation_id bigint generated always as identity primary key,
    user_id integer not null,
    film_id bigint,
    conversation_type text not null check (conversation_type in (
        'loved_it', 'hated_it', 'want_more_like_this', 'mood_request', 'general_preference'
    )),
    said text not null check (length(said) between 1 and 2000),
    learned jsonb not null,
    significance real not null,
    extractor text not null check (extractor in ('offline', 'llm')),
    extractor_version text not null,
    fallback_reason text,
    created_at timestamptz not null default now()
);

create index if not exists conversations_user on app.conversations (user_id, created_at);

create table if not exists app.taste_profiles (
    user_id integer primary key,
    preferences jsonb not null,
    updated_at timestamptz not null default now()
);

-- One row per user: a second event before the refresh collapses onto the first and keeps
-- the latest trigger, film and time.
create table if not exists app.recommendation_refresh_queue (
    user_id integer primary key,
    trigger_type text not null check (
        trigger_type in ('new_rating', 'chat_learning', 'manual_refresh', 'stale')
    ),
    film_id bigint,
    queued_at timestamptz not null default clock_timestamp()
);

create index if not exists refresh_queue_queued_at
on app.recommendation_refresh_queue (queued_at);

create or replace function app.enqueue_refresh(
    p_user_id integer, p_trigger text, p_film_id bigint
) returns void language sql as $$
    insert into app.recommendation_refresh_queue (user_id, trigger_type, film_id, queued_at)
    values (p_user_id, p_trigger, p_film_id, clock_timestamp())
    on conflict (user_id) do update
    set trigger_type = excluded.trigger_type,
        film_id = excluded.film_id,
        queued_at = excluded.queued_at
$$;

-- A rating event names its film by MovieLens id, IMDb id or title (fct_ratings resolves it
-- later), so its queue row has no film_id.
create or replace function app.enqueue_after_rating() returns trigger language plpgsql as $$
begin
    if new.rating is not null or new.liked or new.favorite then
        perform app.enqueue_refresh(new.user_id, 'new_rating', null);
    end if;
    return null;
end
$$;

create or replace function app.enqueue_after_conversation() returns trigger
language plpgsql as $$
begin
    perform app.enqueue_refresh(new.user_id, 'chat_learning', new.film_id);
    return null;
end
$$;

drop trigger if exists rating_events_enqueue_refresh on app.rating_events;
create trigger rating_events_enqueue_refresh
after insert or update of rating, liked, favorite on app.rating_events
for each row execute function app.enqueue_after_rating();

drop trigger if exists conversations_enqueue_refresh on app.conversations;
create trigger conversations_enqueue_refresh
after insert on app.conversations
for each row execute function app.enqueue_after_conversation();

create table if not exists ml.personal_picks (
    user_id integer not null,
    film_id bigint not null,
    rank smallint not null check (rank >= 1),
    predicted_rating real not null,
    confidence real not null check (confidence between 0 and 1),
    score real not null,
    reason text not null,
    discovery_source text not null check (discovery_source in (
        'trending', 'similar_to_rated', 'mood_match', 'people_you_love', 'friends_loved',
        'cohort_top'
    )),
    anchor_film_id bigint,
    anchor_person_id bigint,
    anchor_user_id integer,
    anchor_conversation_id bigint,
    model_version text not null,
    generated_at timestamptz not null default now(),
    primary key (user_id, rank)
);
