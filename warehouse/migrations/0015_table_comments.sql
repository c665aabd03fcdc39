-- What every table of the catalogue holds, as table comments a BI tool or psql's \dt+ shows
-- (dbt's marts get theirs from persist_docs). A later migration that adds a table comments it.

comment on table app.schema_migrations is
'The catalogue migrations applied to this warehouse (warehouse/migrations): version, name, when, '
'and the file''s checksum.';
comment on table raw._rejects is
'Source records a parser could not read, with the record as given and every reason; never dropped'
' silently.';

comment on table app.users is
'App users who are not MovieLens users (ids from 1,000,000 up).';
comment on table app.rating_events is
'Rating, like and favourite events entered after the MovieLens snapshot (inbox files, the CLI, '
'Letterboxd exports), as given; validated into marts.fct_ratings.';
comment on table app.cohorts is
'Named cohorts (a name and a description); their members are in app.cohort_members.';
comment on table app.cohort_members is
'Members of the named cohorts (one row per cohort and user).';
comment on table app.follows is
'Who follows whom: the follows:<user> cohorts are a user and the people they follow.';
comment on table app.custom_weight_profiles is
'Weight profiles made through the API or the console: category weights and the ranking constants,'
' editable.';
comment on table app.custom_profile_metric_weights is
'Per-metric weight overrides of the custom weight profiles.';
comment on table app.weight_profile_history is
'Every change of a custom weight profile: who, when, why, the values before and after.';
comment on table app.ml_weight_profiles is
'Weight profiles published by the learning loop, with the model version, holdout accuracy, sample'
' size and run that produced them.';
comment on table app.feedback_events is
'Feedback on films from the app (rated, liked, disliked, pick clicked or dismissed, watched) with'
' its context (surface, profile, experiment arm), one row per event.';
comment on view app.feedback is
'Ratings and likes of app.rating_events and the feedback events as one feedback stream, without a'
' copy.';
comment on table app.experiments is
'A/B experiments: hypothesis, arms and allocation, primary metric, planned sample size and '
'horizon.';
comment on table app.experiment_assignments is
'The arm each user is assigned to in each experiment (deterministic, one row per experiment and '
'user).';
comment on table app.experiment_exposures is
'When an assigned user was first exposed to their arm.';
comment on table app.conversations is
'What users told the companion (loved it, hated it, a mood ...), with what was learned from it, '
'its significance and the extractor used.';
comment on table app.taste_profiles is
'Each user''s learned taste (preferences JSON) from ratings and conversations.';
comment on table app.recommendation_refresh_queue is
'Users whose picks need a refresh, one row per user with the latest trigger, film and time.';

comment on table ml.model_runs is
'The model run registry: every fit with its model name, parameters, metrics (holdout and '
'baseline) and manifest.';
comment on table ml.user_clusters is
'The taste cluster of each user from the latest clustering run, with the distance to its centre.';
comment on table ml.rating_prediction_holdout is
'The rating predictor''s holdout: each held-out rating with the predictions of the model and of '
'its baselines, per run.';
comment on table ml.casting_features is
'The casting model''s rows per film and actor with their split (train, validation, test) and '
'resonance target, as of the film''s year.';
comment on table ml.casting_evaluation is
'The casting model''s evaluation per run: each scorer''s (model and baselines) value of each '
'metric.';
comment on table ml.person_quality_scores is
'Current Person Quality Score per person and role: raw measures, component scores (0-1), '
'total_pqs, coverage, percentile and version. Published as marts.person_quality_scores.';
comment on table ml.person_quality_asof is
'PQS per person, role and year from what was known on 1 January of the year (leakage-safe '
'history). Published as marts.person_quality_asof.';
comment on table ml.movie_gravitas_scores is
'Current gravitas per film from its people''s PQS, with components and effective weights. '
'Published as marts.movie_gravitas_scores.';
comment on table ml.movie_gravitas_asof is
'Each film''s gravitas from its people''s PQS as of its release year. Published as '
'marts.movie_gravitas_asof.';
comment on table ml.people_input_state is
'The input hash of each person and film the PQS and gravitas were last computed from: an '
'incremental run recomputes only the units whose inputs changed.';
comment on table ml.metric_timeseries is
'Every metric observation with its time, append-only, partitioned by calendar month (UTC). '
'Published as marts.metric_timeseries.';
comment on materialized view ml.metric_timeseries_daily is
'Daily rollup of ml.metric_timeseries per film, metric, source and day; refreshed by each append.';
comment on view ml.metric_trends is
'Per film, metric and source: the latest value and its change over the feed''s last 7 and 30 days.';
comment on view ml.rising_films is
'Films whose normalised value rose over their feed''s last 30 days, ranked per metric and feed.';
comment on table ml.personal_picks is
'Each user''s precomputed picks from the companion''s refreshes: rank, predicted rating, '
'confidence, reason and anchor.';
comment on table ml.experiment_results is
'Every analysis run of the experiments: one row per arm and per treatment effect on the control.';
comment on table ml.learned_profile_runs is
'Each run of the learned weight profiles: the weights, holdout NDCG and Spearman against the '
'balanced profile, the gain and whether it was published.';

comment on table app.casting_slates is
'The casting slates computed for briefs by the CLI and the console, newest kept: one row per '
'slate actor, with the brief (jsonb), calibrated probability, reasons, alternates and the '
'model that scored it. BI reads it as marts.casting_slates.';
