"""Ingest assets under Dagster: metadata, and a broken source file that changes nothing."""

from __future__ import annotations

import dagster as dg

from ingest.files import oscars

OSCARS = dg.AssetKey(["raw", "oscars__nominations"])


def _rows(db) -> list[tuple]:
    with db.cursor() as cur:
        cur.execute("select count(*), max(_loaded_at) from raw.oscars__nominations")
        rows = cur.fetchall()
    db.commit()
    return rows


def test_ingest_metadata_reports_rows_and_rejects(materialize):
    result = materialize([OSCARS])
    [event] = result.get_asset_materialization_events()
    metadata = event.materialization.metadata
    assert metadata["rows"].value == 19_204
    assert metadata["rejects"].value == 0
    assert metadata["elapsed_s"].value > 0


def test_a_renamed_column_fails_naming_file_and_column_and_keeps_the_table(
    materialize, db, tmp_path
):
    materialize([OSCARS])
    before = _rows(db)
    header, *rows = oscars.DEMO_FILE.read_text().splitlines()
    broken = tmp_path / "oscars.tsv"
    broken.write_text("\n".join([header.replace("NomineeIds", "NomineeIDs"), *rows[:50]]) + "\n")

    config = {"ops": {"raw__oscars__nominations": {"config": {"path": str(broken)}}}}
    result = materialize([OSCARS], run_config=config, check=False)

    assert not result.success
    [failure] = [event for event in result.all_events if event.is_step_failure]
    error, messages = failure.event_specific_data.error, []
    while error is not None:  # Dagster wraps the asset's exception: read the whole chain
        messages.append(error.message)
        error = error.cause
    message = "\n".join(messages)
    assert str(broken) in message and "NomineeIds" in message
    assert _rows(db) == before
