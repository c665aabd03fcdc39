-- The casting slates computed by the serving layer (serving/casting/store.py, called by
-- `cinegraph slate` and the console's casting page): one row per slate actor, with the brief
-- it answered, the model version that scored it and the actor's reasons and alternates, so a
-- slate can be read back (marts.casting_slates) without the CSV files. The store keeps the
-- most recent slates only (serving.casting.store.RETAINED_SLATES).

create table if not exists app.casting_slates (
    slate_id uuid not null,
    computed_at timestamptz not null,
    brief jsonb not null,
    rank integer not null check (rank >= 1),
    actor_id bigint not null,
    actor_name text not null,
    p_cal float8 check (p_cal between 0 and 1),
    score float8,
    -- the reason-code sentences, strongest first, joined by '; '
    reasons text,
    -- similar, less-exposed actors to consider instead, joined by '; ' (null when none)
    alternates text,
    model_run_id text,
    model_version text,
    primary key (slate_id, rank)
);

create index if not exists casting_slates_computed_at on app.casting_slates (computed_at);

-- The console computes slates too (its role may create nothing, only write these rows).
grant insert, delete on app.casting_slates to console_app;
