"""The personal companion: a rating model, candidate sources, ranked picks with reasons and
calibrated confidence, and what users say turned into taste preferences. No Dagster here."""
