"""The read/write API that the `cinegraph` CLI and the console use: plain functions over a
psycopg2 connection (metrics, cohorts, people) and the casting slate for a brief.

It may import `ml`, `ingest` and `orchestration.settings`, never Dagster (tests/test_layering.py
checks it): the pipeline's own writes live in the domain modules `orchestration/defs` calls.
"""
