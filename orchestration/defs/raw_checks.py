"""Asset checks on the raw loads: the share of a source's rows the parser rejected.

A parser writes the rows it cannot read to `raw._rejects` (with the reason) and loads the
rest, so a load "succeeds" even when a changed file format makes it drop most rows. The
check compares a table's rejects with its loaded rows after every load.

The limit is 1% of the rows read. The vendored demo files reject no row at all; dirty rows
of a healthy real file (a stray malformed line, a film without a year) stay far below 1%,
while a column added, renamed or re-encoded upstream rejects whole swathes of a file. 1% sits
between the two: it stays quiet on clean and slightly dirty files and fails on a format
change long before the marts lose a visible share of their films.

Whole inbox files that could not be loaded are quarantined instead (ingest/inbox.py); the
`every_file_loaded` check of `app/inbox_ratings` warns about those.
"""

import dagster as dg
from psycopg2 import sql

from ingest.loader import RAW_SCHEMA
from orchestration.defs.ingest import ingest_assets
from orchestration.resources import WarehouseResource

REJECT_SHARE_LIMIT = 0.01


def reject_share(loaded: int, rejected: int) -> float:
    """Rejected rows as a share of all the rows the parser read (0 for an empty source)."""
    read = loaded + rejected
    return rejected / read if read else 0.0


def build_reject_share_check(asset_key: dg.AssetKey) -> dg.AssetChecksDefinition:
    table = asset_key.path[-1]

    @dg.asset_check(
        asset=asset_key,
        name="reject_share_below_limit",
        description=(
            f"Rows of {table} the parser rejected (raw._rejects) are below "
            f"{REJECT_SHARE_LIMIT:.0%} of the rows read."
        ),
    )
    def _check(warehouse: WarehouseResource) -> dg.AssetCheckResult:
        with warehouse.connection() as conn, conn.cursor() as cur:
            cur.execute(
                sql.SQL("select count(*) from {}").format(sql.Identifier(RAW_SCHEMA, table))
            )
            loaded = cur.fetchone()[0]
            cur.execute(
                sql.SQL("select count(*) from {} where source = %s").format(
                    sql.Identifier(RAW_SCHEMA, "_rejects")
                ),
                (table,),
            )
            rejected = cur.fetchone()[0]
        share = reject_share(loaded, rejected)
        return dg.AssetCheckResult(
            passed=share < REJECT_SHARE_LIMIT,
            metadata={
                "loaded_rows": loaded,
                "rejected_rows": rejected,
                "reject_share": round(share, 6),
                "limit": REJECT_SHARE_LIMIT,
            },
        )

    return _check


defs = dg.Definitions(asset_checks=[build_reject_share_check(asset.key) for asset in ingest_assets])
