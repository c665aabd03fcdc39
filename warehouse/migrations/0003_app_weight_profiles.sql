-- Custom weight profiles, their per-metric weights and the audit trail of every change
-- (ml/metrics/profiles.py), and which model a learned profile came from
-- (ml/people/weight_profile.py). One <category>_weight column per category of the
-- weight_profiles seed: a new category needs a migration that adds its column.
create table if not exists app.custom_weight_profiles (
    profile text primary key,
    description text not null default '',
    rating_weight float8 not null check (rating_weight between 0 and 1),
    award_weight float8 not null check (award_weight between 0 and 1),
    financial_weight float8 not null check (financial_weight between 0 and 1),
    cultural_weight float8 not null check (cultural_weight between 0 and 1),
    popularity_weight float8 not null check (popularity_weight between 0 and 1),
    person_quality_weight float8 not null check (person_quality_weight between 0 and 1),
    created_by text not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint category_weights_sum_to_one check (
        abs(
            rating_weight + award_weight + financial_weight + cultural_weight
            + popularity_weight + person_quality_weight - 1
        ) < 1e-9
    )
);

create table if not exists app.custom_profile_metric_weights (
    profile text not null references app.custom_weight_profiles (profile) on delete cascade,
    metric_code text not null,
    weight float8 not null check (weight >= 0),
    enabled boolean not null,
    primary key (profile, metric_code)
);

create table if not exists app.weight_profile_history (
    id bigserial primary key,
    profile text not null,
    action text not null check (action in ('create', 'update', 'delete')),
    changed_by text not null,
    changed_at timestamptz not null default now(),
    old_values jsonb,
    new_values jsonb,
    change_reason text not null
);

create table if not exists app.ml_weight_profiles (
    profile text primary key,
    ml_model_version text not null,
    ml_model_accuracy float8 not null,
    training_sample_size integer not null,
    training_date date not null,
    model_run_id text not null
);
