"""Person quality scores (PQS), movie gravitas, their as-of history and what gravitas is worth.

Plain functions on DataFrames and psycopg2 connections, no Dagster: `inputs` reads the
`int_people__*` models, `quality` scores people, `graph` computes the peer score, `gravitas`
rolls people up into films, `history` runs current and as-of scores, `incremental` finds
what a change touches, `refresh` writes the tables, `gravitas_model` is the OLS.
"""
