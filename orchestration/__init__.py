"""Dagster definitions, resources and the `cinegraph` CLI around the ingest, dbt and ml layers."""
