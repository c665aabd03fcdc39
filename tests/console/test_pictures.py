"""Charts in the Dagster UI: the models and checks that have a picture attach it to their
materialisation (or check result) as markdown with the PNG inlined, above its numbers."""

from __future__ import annotations

import base64

import dagster as dg
import pytest

PNG_MAGIC = b"\x89PNG"


def inlined_png(markdown: str) -> bytes:
    encoded = markdown.split("data:image/png;base64,", 1)[1].split(")", 1)[0]
    return base64.b64decode(encoded)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("asset", "label", "numbers"),
    [
        (["ml", "casting_model"], "reliability", "observed"),
        (["ml", "gravitas_ols"], "gravitas_fit", "r_squared"),
        (["ml", "user_clusters"], "cluster_sizes_picture", "users"),
    ],
)
def test_models_attach_their_picture(materialized, instance, asset, label, numbers):
    event = instance.get_latest_materialization_event(dg.AssetKey(asset))
    assert event is not None, asset
    markdown = event.asset_materialization.metadata[label].value
    assert inlined_png(markdown).startswith(PNG_MAGIC)
    assert numbers in markdown.split("base64,", 1)[1]  # the table under the picture


@pytest.mark.slow
def test_the_coverage_check_shows_coverage_by_source(materialized, instance):
    from orchestration.defs.metrics import COVERAGE

    records = instance.event_log_storage.get_asset_check_execution_history(
        dg.AssetCheckKey(COVERAGE, "metrics_meet_coverage_threshold"), limit=1
    )
    markdown = records[0].evaluation.metadata["coverage_by_source"].value
    assert inlined_png(markdown).startswith(PNG_MAGIC)
    assert "coverage_share" in markdown
