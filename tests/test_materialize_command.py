"""`cinegraph materialize` as a user sees it: a short output with a line per stage, Dagster's
and dbt's logs in a file, a summary that folds partitions and says why tables are empty, and
runs the Dagster UI lists under a job name with what launched them."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from orchestration.cli.materialize_output import summary_lines

MAX_OUTPUT_LINES = 60


@pytest.mark.nodb
def test_the_summary_folds_partitions_and_groups_empty_tables_by_reason():
    relations = [
        ("ml", "metric_timeseries", 15),
        ("ml_partitions", "metric_timeseries_2016_09", 10),
        ("ml_partitions", "metric_timeseries_2016_10", 5),
        ("marts", "film_scores", 100),
        ("raw", "tmdb__movies", 0),
        ("raw", "tmdb__credits", 0),
        ("app", "feedback", 0),
    ]
    reasons = {"raw.tmdb__movies": "tmdb off: set TMDB_API_KEY"}
    lines = summary_lines(relations, reasons, verbose=False)
    text = "\n".join(lines)
    assert "ml_partitions.metric_timeseries_YYYY_MM: 2 monthly partitions, 15 rows" in text
    assert "metric_timeseries_2016" not in text
    assert re.search(r"^ml_partitions\s+2\s+15\s+0$", text, re.M), text
    assert "1 tmdb off: set TMDB_API_KEY: raw.tmdb__movies" in text
    assert "1 no rows: raw.tmdb__credits" in text
    assert re.search(r"^marts\s+1\s+100\s+0$", text, re.M), text
    assert "film_scores" not in text  # one line per table only with --verbose
    assert "marts.film_scores" in "\n".join(summary_lines(relations, reasons, verbose=True))


@pytest.mark.slow
def test_the_main_command_prints_a_short_story_and_logs_the_rest(materialized, instance):
    cli = Path(sys.executable).with_name("cinegraph")
    run = subprocess.run([str(cli), "materialize"], capture_output=True, text=True, timeout=3600)
    output = (run.stdout + run.stderr).splitlines()
    assert run.returncode == 0, "\n".join(output[-40:])
    assert len(output) < MAX_OUTPUT_LINES, "\n".join(output)
    stages = [line.split()[0] for line in output if re.match(r"^\w+\s+ok\s+\d+ of \d+", line)]
    assert stages == [
        "upstream_python",
        "upstream",
        "monthly",
        "upstream_leaves",
        "downstream_python",
        "downstream",
        "downstream_beside",
        "downstream_tail",
    ]
    assert any("monthly partitions" in line for line in output)
    assert any("tmdb off: set TMDB_API_KEY or TMDB_API_TOKEN" in line for line in output)
    # stdout (the summary, the log's path) then stderr (the progress lines): search, not index
    log = Path(next(line for line in output if line.startswith("Dagster and dbt log: "))[21:])
    assert "ASSET_MATERIALIZATION" in log.read_text()

    import dagster as dg

    records = instance.get_run_records(filters=dg.RunsFilter(tags={"cinegraph/launched_by": "cli"}))
    assert {r.dagster_run.job_name for r in records} >= {
        "everything__upstream_python",
        "everything__upstream",
        "everything__upstream_leaves",
        "everything__monthly",
        "everything__downstream_python",
        "everything__downstream_beside",
        "everything__downstream",
        "everything__downstream_tail",
    }


@pytest.mark.slow
def test_a_ranged_month_says_its_figures_are_the_ranges(materialized, instance):
    import dagster as dg

    # The ratings' last month: no other test re-runs it alone, so its event is the ranged run's.
    records = instance.fetch_materializations(
        dg.AssetRecordsFilter(
            asset_key=dg.AssetKey(["raw", "movielens__ratings"]), asset_partitions=["2016-10-01"]
        ),
        limit=1,
    ).records
    metadata = records[0].asset_materialization.metadata
    assert metadata["figures_cover"].value == "the whole range of the run, not this month alone"
    by_month = metadata["rows_by_month"].value
    assert sum(by_month.values()) == 100_004
    assert max(by_month) == "2016-10"
    assert metadata["months_with_rows"].value == len(by_month)


@pytest.mark.slow
def test_the_build_stops_at_the_last_month_with_ratings(materialized, instance):
    """The demo's ratings end in October 2016: the months after it, up to today, stay
    unmaterialised instead of showing ten empty years as built."""
    import dagster as dg

    from orchestration.materialize_all import PARTITION_RANGE_END_TAG, PARTITION_RANGE_START_TAG

    first_build = instance.get_runs(dg.RunsFilter(job_name="everything__monthly"))[-1]
    assert first_build.tags[PARTITION_RANGE_START_TAG] == "1995-01-01"
    assert first_build.tags[PARTITION_RANGE_END_TAG] == "2016-10-01"
    later = instance.fetch_materializations(
        dg.AssetRecordsFilter(
            asset_key=dg.AssetKey(["raw", "movielens__ratings"]), asset_partitions=["2016-11-01"]
        ),
        limit=1,
    ).records
    assert not later


def _cinegraph(*args: str) -> subprocess.CompletedProcess:
    cli = Path(sys.executable).with_name("cinegraph")
    return subprocess.run([str(cli), *args], capture_output=True, text=True, timeout=1800)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--select", "key:"], "not a Dagster selection"),
        (["--select", 'key:"marts/no_such_table"'], "names no asset"),
        (["--select", 'key:"raw/movielens__ratings"'], "add --partition YYYY-MM-01"),
        (["--select", 'key:"raw/movielens__ratings"', "--partition", "1990-01-01"], "not a month"),
        (["--partition", "2000-11-01"], "--partition needs --select"),
    ],
)
def test_a_bad_selection_is_one_clear_line(warehouse, dbt_manifest, args, message):
    run = _cinegraph("materialize", "--quiet", *args)
    assert run.returncode == 2
    assert message in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1, run.stderr


@pytest.mark.slow
def test_one_month_of_the_selected_assets(materialized, db):
    run = _cinegraph(
        "materialize",
        "--quiet",
        "--select",
        'key:"raw/movielens__ratings"',
        "--partition",
        "2000-11-01",
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert 'materialized key:"raw/movielens__ratings"' in run.stdout
    with db.cursor() as cur:
        cur.execute("select count(*) from raw.movielens__ratings")
        assert cur.fetchone()[0] == 100_004
