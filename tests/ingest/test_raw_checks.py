"""The reject-share checks of the raw loads, run by Dagster on a real load."""

from __future__ import annotations

import dagster as dg
import pytest

from orchestration.defs.raw_checks import REJECT_SHARE_LIMIT, reject_share

RAW = dg.AssetKey(["raw", "festivals__awards"])
CHECK = dg.AssetCheckKey(RAW, "reject_share_below_limit")


def evaluation(result) -> dg.AssetCheckEvaluation:
    (found,) = [e for e in result.get_asset_check_evaluations() if e.asset_check_key == CHECK]
    return found


def test_every_raw_load_has_a_reject_share_check(defs):
    from orchestration.defs.ingest import ingest_assets

    checks = defs.resolve_asset_graph().asset_check_keys
    for asset in ingest_assets:
        assert dg.AssetCheckKey(asset.key, "reject_share_below_limit") in checks, asset.key


def test_reject_share_is_over_the_rows_read():
    assert reject_share(0, 0) == 0.0
    assert reject_share(99, 1) == pytest.approx(0.01)


def test_a_clean_load_passes_and_a_flood_of_rejects_fails(materialize, db):
    loaded = evaluation(materialize([RAW]))  # the asset, and its checks with it
    assert loaded.passed, loaded.metadata
    rows = loaded.metadata["loaded_rows"].value
    assert rows > 0 and loaded.metadata["reject_share"].value < REJECT_SHARE_LIMIT

    # As many rejects as a file whose new column layout the parser cannot read.
    flood = rows // 10
    with db.cursor() as cur:
        cur.execute(
            "insert into raw._rejects (source, source_file, row_number, raw_text, reason) "
            "select %s, 'test-flood.csv', n, '', 'test' from generate_series(1, %s) as n",
            (RAW.path[-1], flood),
        )
    db.commit()
    try:
        flooded = evaluation(materialize(dg.AssetSelection.checks(CHECK)))
        assert not flooded.passed
        assert flooded.metadata["rejected_rows"].value >= flood
    finally:
        with db.cursor() as cur:
            cur.execute("delete from raw._rejects where source_file = 'test-flood.csv'")
        db.commit()
