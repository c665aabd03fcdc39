-- The casting model's feature rows and evaluation (orchestration/defs/casting.py), replaced
-- whole on each run. The feature set follows the training data (one affinity per genre of
-- the training era, pqs_asof when person quality exists), so the features are one jsonb
-- object per row next to the fixed keys.
-- Before this catalogue the asset recreated these tables with a column per feature: drop
-- them once so the fixed shape below replaces the old one.
drop table if exists ml.casting_features;
drop table if exists ml.casting_evaluation;

create table ml.casting_features (
    film_id bigint not null,
    title text,
    year bigint not null,
    split text not null,
    resonance float8,
    actor_id bigint,
    actor_name text,
    director_id bigint,
    director_name text,
    feature_values jsonb not null
);

create table ml.casting_evaluation (
    scorer text not null,
    metric text not null,
    value float8,
    run_id text not null,
    created_at timestamptz not null
);
