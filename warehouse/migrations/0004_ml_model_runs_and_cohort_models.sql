-- The model run registry (ml/runs.py) and the tables the cohort models replace per run
-- (ml/cohorts/data.py).
create table if not exists ml.model_runs (
    run_id text primary key,
    model_name text not null,
    created_at timestamptz not null default now(),
    params jsonb not null,
    metrics jsonb not null,
    manifest jsonb not null
);

create table if not exists ml.user_clusters (
    user_id integer primary key,
    cluster integer not null,
    distance real not null,
    run_id text not null
);

create table if not exists ml.rating_prediction_holdout (
    user_id integer not null,
    film_id bigint not null,
    rated_at timestamptz not null,
    rating real not null,
    pred_global_mean real not null,
    pred_film_mean real not null,
    pred_bias_baseline real not null,
    pred_histogram real not null,
    run_id text not null
);
