-- Learning from users (ml/experiments/store.py, ingest/feedback.py, ml/metrics/learned_runs.py):
-- feedback events and the view that joins them to the ratings and likes already loaded,
-- experiments with their assignments and exposures, the experiments' daily results and the
-- runs of the learned weight profiles.

create table if not exists app.feedback_events (
    event_id bigserial primary key,
    user_id integer not null,
    film_id bigint not null,
    kind text not null check (
        kind in ('rated', 'liked', 'disliked', 'pick_clicked', 'pick_dismissed', 'watched')
    ),
    value float8,
    -- surface (companion, console, cli), profile or pick strategy, experiment and arm
    context jsonb not null default '{}',
    at timestamptz not null default now(),
    check (kind <> 'rated' or value between 0.5 and 5)
);

create index if not exists feedback_events_user_at on app.feedback_events (user_id, at);

-- Ratings and likes of app.rating_events as feedback, without a copy. Those name their film
-- by the source's reference (a MovieLens movie_id or an imdb_id), which int_rating_events
-- resolves to a film_id; feedback events name the film_id itself.
create or replace view app.feedback as
select
    'feedback_events' as origin,
    event_id,
    user_id,
    film_id,
    null::integer as movie_id,
    null::text as imdb_id,
    kind,
    value,
    context,
    at
from app.feedback_events
union all
select
    'rating_events' as origin,
    events.event_id,
    events.user_id,
    null::bigint as film_id,
    events.movie_id,
    events.imdb_id,
    feedback.kind,
    feedback.value,
    jsonb_build_object('surface', events.source) as context,
    events.event_at as at
from app.rating_events as events
-- each event is a rating, a like, or both
cross join lateral (
    values ('rated', events.rating::float8), ('liked', case when events.liked then 1.0 end)
) as feedback (kind, value)
where feedback.value is not null;

create table if not exists app.experiments (
    name text primary key check (name ~ '^[a-z0-9][a-z0-9_-]*$'),
    hypothesis text not null,
    arms text [] not null check (cardinality(arms) >= 2),
    allocation float8 [] not null,
    kind text not null check (kind in ('rate', 'mean')),
    primary_metric text not null,
    mde float8 not null check (mde > 0),
    baseline_rate float8,
    outcome_sd float8,
    alpha float8 not null default 0.05 check (alpha > 0 and alpha < 1),
    power float8 not null default 0.8 check (power > 0 and power < 1),
    status text not null default 'running' check (status in ('running', 'stopped')),
    started_at timestamptz not null default now(),
    planned_end timestamptz,
    stopped_at timestamptz,
    check (cardinality(arms) = cardinality(allocation))
);

create table if not exists app.experiment_assignments (
    experiment text not null references app.experiments (name) on delete cascade,
    user_id integer not null,
    arm text not null,
    assigned_at timestamptz not null default now(),
    primary key (experiment, user_id)
);

create table if not exists app.experiment_exposures (
    exposure_id bigserial primary key,
    experiment text not null,
    user_id integer not null,
    arm text not null,
    surface text not null,
    at timestamptz not null default now(),
    foreign key (experiment, user_id) references app.experiment_assignments (experiment, user_id)
);

create index if not exists experiment_exposures_experiment
on app.experiment_exposures (experiment, user_id, at);

-- One row per analysis run, experiment and arm (row_kind 'arm') and per treatment's effect
-- on the control (row_kind 'effect'); the columns of the other kind are null.
create table if not exists ml.experiment_results (
    run_id text not null,
    experiment text not null,
    row_kind text not null check (row_kind in ('arm', 'effect')),
    arm text not null,
    control_arm text,
    exposed integer,
    n integer,
    planned_n integer,
    planned_share float8,
    observed_share float8,
    mean float8,
    std float8,
    effect float8,
    ci_low float8,
    ci_high float8,
    confidence float8,
    p_value float8,
    significant boolean,
    srm_p_value float8,
    srm_flagged boolean not null,
    final boolean not null,
    status text not null,
    reason text not null,
    analysed_at timestamptz not null default now(),
    primary key (run_id, experiment, row_kind, arm)
);

create table if not exists ml.learned_profile_runs (
    run_id text not null,
    audience text not null,
    published boolean not null,
    profile text,
    reason text not null,
    weights jsonb not null,
    learned_holdout_ndcg float8,
    learned_holdout_spearman float8,
    balanced_holdout_ndcg float8,
    balanced_holdout_spearman float8,
    ndcg_gain float8,
    gain_ci_low float8,
    gain_ci_high float8,
    train_ratings integer not null,
    train_films integer not null,
    holdout_films integer not null,
    split_at timestamptz not null,
    model_version text not null,
    trained_at timestamptz not null default now(),
    primary key (run_id, audience)
);

-- The first experiment (the design of bench/learning.py's GRAVITAS_PICKS): do gravitas-aware
-- picks in the companion get clicked more than plain ones? A 10% click rate, 2 points to detect.
insert into app.experiments (
    name, hypothesis, arms, allocation, kind, primary_metric, mde, baseline_rate, alpha, power
)
values (
    'gravitas_picks',
    'Picks that weigh the gravitas of a film''s people get clicked more than plain picks.',
    array['plain', 'gravitas'],
    array[0.5, 0.5],
    'rate',
    'pick_clicked',
    0.02,
    0.10,
    0.05,
    0.8
)
on conflict (name) do nothing;
