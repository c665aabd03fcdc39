"""Casting slate recommender: a leakage-safe temporal classifier of film resonance per actor,
calibrated slates for a producer's brief, alternates and reason codes.

Plain Python (pandas, scikit-learn); no Dagster. See docs/casting.md.
"""
