-- The evidence shrinkage of a custom profile's ranked score (ml/metrics/profiles.py):
-- ranked_score = (weight_coverage * total_score + ranking_k * ranking_prior)
--                / (weight_coverage + ranking_k).
-- Profiles stored before these columns read the default profile's (marts.dim_weight_profiles).

alter table app.custom_weight_profiles
add column if not exists ranking_k float8 check (ranking_k > 0),
add column if not exists ranking_prior float8 check (ranking_prior between 0 and 1);
