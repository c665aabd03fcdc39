"""Hostile `cinegraph` calls are refused at the boundary: exit 2, one line on stderr, no
traceback, nothing written; and the validation rules the CLI and the console share."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from orchestration.cli import main
from serving import validation

APP_TABLES = ["users", "rating_events", "cohorts", "cohort_members", "follows"]
INJECTION = "all'; drop table app.rating_events; --"
RATE = ["rate", "--user", "15", "--movie-id", "1"]

HOSTILE = [
    ["rankings", "--rated-from", "2016-02-30"],
    ["rankings", "--rated-to", "yesterday"],
    ["rankings", "--top", "0"],
    ["rankings", "--cohort", ""],
    ["rankings", "--cohort", "x" * 100_000],
    ["rankings", "--person", "a\x00b"],
    ["digest", "--week", "2016-13-01"],
    ["digest", "--week", "2016-10-11"],
    [*RATE, "--rating", "4", "--at", ""],
    [*RATE, "--rating", "4", "--at", "1900-01-01"],
    [*RATE, "--rating", "1e308"],
    [*RATE, "--rating", "nan"],
    [*RATE, "--rating", "3.3"],
    [*RATE, "--rating", "0"],
    ["rate", "--user", "-1", "--movie-id", "1", "--rating", "4"],
    ["rate", "--user", "15", "--imdb-id", INJECTION, "--rating", "4"],
    ["people", "--limit", "99999999999999999999"],
    ["people", "--limit", "-5"],
    ["divergences", "--min-raters", "abc"],
    ["activity", "--days", "0"],
    ["overlap", "--top", "7"],
    ["predict", "--user", "15", "--film-id", "99999999999999999999"],
    ["cohorts", "create", "--name", "club", "--csv", "/nonexistent.csv"],
    ["cohorts", "create", "--name", "club", "--members", INJECTION],
    ["cohorts", "follow", "--user", "15", "--members", ""],
    ["search", "--offset", "-1"],
    ["pqs", "top", "-n", "0"],
    ["slate", "--year", "2000", "--budget", "nan", "--genres", "Drama"],
    ["slate", "--year", "99999", "--budget", "10", "--genres", "Drama"],
    ["ui", "--port", "0"],
    ["metrics", "coverage", "--level", INJECTION],
    ["status", "--bogus"],
]


def app_rows(db) -> list[int]:
    counts = []
    with db.cursor() as cur:
        for table in APP_TABLES:
            cur.execute(f"select count(*) from app.{table}")
            counts.append(cur.fetchone()[0])
    db.rollback()
    return counts


@pytest.mark.parametrize("argv", HOSTILE, ids=lambda argv: " ".join(argv)[:60])
def test_a_hostile_call_exits_2_with_one_line_and_writes_nothing(argv, db, capsys):
    before = app_rows(db)
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    err = capsys.readouterr().err
    assert stopped.value.code == 2
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert err.startswith("cinegraph") and ": error: " in err
    assert app_rows(db) == before


@pytest.mark.parametrize(
    "argv",
    [
        ["rate", "--user", "15", "--rating", "4"],
        ["rate", "--user", "15", "--title", "Toy Story", "--rating", "4"],
        RATE,
        ["cohorts", "create", "--members", "15"],
    ],
)
def test_an_incomplete_write_is_refused_before_the_warehouse(argv, db, capsys):
    before = app_rows(db)
    assert main(argv) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    assert app_rows(db) == before


@pytest.mark.parametrize(
    ("rule", "value"),
    [
        (validation.calendar_date, "2016-02-30"),
        (validation.calendar_date, "2016-2-3"),
        (validation.monday, "2016-10-11"),
        (validation.rating, "nan"),
        (validation.rating, "inf"),
        (validation.rating, "1e308"),
        (validation.rating, "3.3"),
        (validation.rating, "5.5"),
        (validation.limit, "99999999999999999999"),
        (validation.limit, "0"),
        (validation.integer, "2147483648"),
        (validation.text, ""),
        (validation.text, "x" * 201),
        (validation.text, "a\x00b"),
        (validation.rating_time, ""),
        (validation.rating_time, "1994-12-31"),
        (validation.imdb_title_id, "tt1' or 1=1"),
        (validation.user_ids, "15,abc"),
        (validation.existing_file, "/nonexistent.csv"),
    ],
)
def test_a_rule_refuses_with_one_line(rule, value):
    with pytest.raises(ValueError) as refused:
        rule(value)
    assert "\n" not in str(refused.value) and len(str(refused.value)) < 200


def test_the_rules_return_typed_values(tmp_path):
    assert validation.calendar_date("2016-02-29") == date(2016, 2, 29)
    assert validation.monday("2016-10-10") == date(2016, 10, 10)
    assert validation.rating("3.5") == 3.5 and validation.rating("5") == 5.0
    assert validation.limit(" 20 ") == 20
    assert validation.rating_time("2016-10-16T22:15:00+02:00") == datetime(
        2016, 10, 16, 20, 15, tzinfo=UTC
    )
    assert validation.user_ids("15, 73,,547") == [15, 73, 547]
    (tmp_path / "members.csv").write_text("user_id\n15\n")
    assert validation.existing_file(str(tmp_path / "members.csv")).name == "members.csv"


def test_help_shows_defaults_and_version_prints(capsys):
    with pytest.raises(SystemExit):
        main(["rankings", "--help"])
    assert "(default: 50)" in capsys.readouterr().out
    with pytest.raises(SystemExit) as stopped:
        main(["--version"])
    assert stopped.value.code == 0 and capsys.readouterr().out.startswith("cinegraph 0.")


def test_a_read_command_prints_json_records(capsys):
    assert main(["metrics", "list", "--category", "cultural", "--json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert {"afi_top_100"} <= {record["code"] for record in records}
    assert {record["category"] for record in records} == {"cultural"}


@pytest.mark.slow
def test_follows_activity_works_before_any_follow_and_sees_a_follow_at_once(
    materialized, db, capsys
):
    assert main(["activity", "--cohort", "follows:15", "--days", "7"]) == 0
    own = capsys.readouterr().out
    assert "(none)" not in own
    assert {int(line.split()[2]) for line in own.splitlines()[1:]} == {15}
    assert main(["cohorts", "follow", "--user", "15", "--members", "73"]) == 0
    capsys.readouterr()
    try:
        assert (
            main(["activity", "--cohort", "follows:15", "--days", "36500", "--limit", "100000"])
            == 0
        )
        users = {int(line.split()[2]) for line in capsys.readouterr().out.splitlines()[1:]}
        assert users == {15, 73}
        assert (
            main(
                [
                    "activity",
                    "--cohort",
                    "follows:15",
                    "--days",
                    "36500",
                    "--limit",
                    "100000",
                    "--json",
                ]
            )
            == 0
        )
        assert {r["user_id"] for r in json.loads(capsys.readouterr().out)} == {15, 73}
        assert main(["rankings", "--cohort", "follows:16"]) == 2
        assert "follows nobody" in capsys.readouterr().err
    finally:
        assert main(["cohorts", "unfollow", "--user", "15"]) == 0


@pytest.mark.slow
def test_rate_with_a_unknown_film_writes_nothing_and_a_good_one_writes_one_event(
    materialized, db, capsys
):
    before = app_rows(db)
    assert main([*RATE[:4], "2147483000", "--rating", "4"]) == 2
    assert "no film with movie id 2147483000" in capsys.readouterr().err
    assert app_rows(db) == before
    assert main([*RATE, "--rating", "4.5", "--at", "2016-10-16T20:15:00"]) == 0
    with db.cursor() as cur:
        cur.execute(
            "select rating from app.rating_events where source = 'cli' and user_id = 15 "
            "and event_at = '2016-10-16T20:15:00+00'"
        )
        assert cur.fetchall() == [(4.5,)]
        cur.execute("delete from app.rating_events where source = 'cli' and user_id = 15")
    db.commit()
