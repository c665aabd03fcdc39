"""Who owns which assets: one team per domain, so the Dagster UI can filter and route by it.

Each domain module passes the assets it defines through `owned(<team>, ...)`; the dbt assets
get the team of their model's folder (orchestration/defs/dbt.py).
"""

from collections.abc import Sequence

import dagster as dg

INGEST = "team:ingest"


def team(name: str) -> str:
    return f"team:{name}"


def owned(owner: str, assets: Sequence) -> Sequence:
    """The assets (definitions or specs) with `owner` as the owner of every spec."""
    return dg.map_asset_specs(lambda spec: spec.replace_attributes(owners=[owner]), assets)
