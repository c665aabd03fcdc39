"""One truth in two languages: the dbt macro and ml.metrics agree on every active metric."""

from __future__ import annotations

import math

from psycopg2.extras import RealDictCursor

from ml.metrics import metric_definitions

TOLERANCE = 1e-9


def test_sql_and_python_normalise_every_grid_value_alike(registry_built, db):
    with db.cursor(cursor_factory=RealDictCursor) as cur:
        cur.execute("select * from marts.metric_normalization_curves")
        rows = cur.fetchall()
    definitions = metric_definitions()
    active = {code for code, d in definitions.items() if d.active}
    assert {row["metric_code"] for row in rows} == active
    mismatches = []
    for row in rows:
        python = definitions[row["metric_code"]].normalize(row["raw_value"])
        sql_value = row["normalized_value"]
        same_value = (python.value is None and sql_value is None) or (
            python.value is not None
            and sql_value is not None
            and math.isclose(python.value, sql_value, rel_tol=0, abs_tol=TOLERANCE)
        )
        if not same_value or python.clamped != row["is_clamped"]:
            mismatches.append((row["metric_code"], row["raw_value"], sql_value, python))
    assert not mismatches, mismatches[:10]
    # the grid really probes every curve: nulls, clamping both ways, and values inside
    assert sum(row["raw_value"] is None for row in rows) == len(active)
    assert any(row["is_clamped"] and row["raw_value"] < 0 for row in rows)
    assert any(row["is_clamped"] and row["raw_value"] > 250 for row in rows)
    assert len(rows) > 40 * len(active)


def test_pinned_values_in_the_warehouse(registry_built, db):
    with db.cursor() as cur:
        cur.execute(
            "select metric_code, raw_value, normalized_value "
            "from marts.metric_normalization_curves "
            "where (metric_code, raw_value) in (('metacritic_score', 85), ('afi_top_100', 25), "
            "('oscar_wins', 2), ('bom_domestic', 1e8))"
        )
        found = {(code, raw): value for code, raw, value in cur.fetchall()}
    assert round(found[("metacritic_score", 85)], 9) == 0.85
    assert round(found[("afi_top_100", 25)], 3) == 0.777
    assert round(found[("oscar_wins", 2)], 9) == 0.8
    assert round(found[("bom_domestic", 1e8)], 3) == 0.889
