"""Partitions shared by ingest, dbt incrementals and downstream Python assets.

Ratings are partitioned by the calendar month of the rating timestamp; MovieLens' first
ratings are from 1995, and months with no ratings simply load zero rows.
"""

import dagster as dg

from ingest.app_events import RATINGS_START

monthly_ratings = dg.MonthlyPartitionsDefinition(start_date=RATINGS_START, timezone="UTC")
