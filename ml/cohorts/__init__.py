"""Cohort models on plain DataFrames (no Dagster): taste clusters and rating predictors.

Inputs are rating frames with columns user_id, film_id, rating, rated_at (as in
`marts.fct_ratings`); `ml.cohorts.data` holds the thin functions that read them.
"""
