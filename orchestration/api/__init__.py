"""Plain-Python query APIs over the warehouse: functions that take a psycopg2 connection.

No Dagster imports here: the CLI, notebooks and the Dagster assets all call the same code.
"""
