"""Identity figures, on the warehouse the foundation benchmark materialised.

identity_build_s              dbt's model seconds for the identity models and the core marts
                              (`dbt run`, no tests), target < 30 s; median of 3 runs
identity_build_wall_s         the same runs' wall time, dbt's start and parse included
identity_recall_demo          share of the rows without an IMDb id (MovieLens, movie_industry,
                              vega, ggplot2movies) resolved to an IMDb-keyed film, overall and
                              per source (identity_recall_demo_<source>)
identity_recall_demo_reachable  the same, among the rows that have an IMDb-keyed film to reach:
                              one sharing a name with the row and a year within one of it, or
                              the film the row resolved to (most rows have none: ggplot2movies
                              holds 58,788 titles back to 1893)
identity_false_merge_demo     title matches (title_year, alt_title_year, director_fuzzy) whose
                              directors are known on both sides and share none (target 0): the
                              failures of the dbt test assert_title_matches_share_a_director
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path

# bench._env first: it points the settings at the bench warehouse.
from bench._env import started_warehouse
from bench.cohorts import Dbt

REPEATS = 3
MODELS = ["--select", "path:models/intermediate/identity", "path:models/marts/core"]
ID_LESS = ("movielens", "movie_industry", "box_office", "imdb_histograms")
FALSE_MERGE_TEST = "assert_title_matches_share_a_director"

RECALL = """
with

rows as (

    select source, source_key, film_key, title_normalized, usable_year
    from intermediate.int_film_identity
    where source = any(%(sources)s)

),

keyed_names as (

    select distinct titles.title_normalized, anchors.imdb_id, years.release_year
    from intermediate.int_film_identity as identity
    join intermediate.int_film_titles as titles
        on identity.source = titles.source and identity.source_key = titles.source_key
    join intermediate.int_film_anchors as anchors on identity.imdb_id = anchors.imdb_id
    cross join lateral unnest(anchors.years) as years (release_year)
    where identity.match_rule = 'imdb_id'

),

reachable as (

    select rows.source, rows.source_key
    from rows
    where rows.film_key like 'imdb:%%'

    union

    select titles.source, titles.source_key
    from rows
    join intermediate.int_film_titles as titles
        on rows.source = titles.source and rows.source_key = titles.source_key
    join keyed_names
        on titles.title_normalized = keyed_names.title_normalized
        and keyed_names.release_year between rows.usable_year - 1 and rows.usable_year + 1

)

select
    rows.source,
    count(*) as source_rows,
    count(*) filter (where rows.film_key like 'imdb:%%') as to_imdb_film,
    count(reachable.source_key) as reachable_rows
from rows
left join reachable
    on rows.source = reachable.source and rows.source_key = reachable.source_key
group by rows.source
"""


def _build_and_check() -> tuple[float, float, int]:
    """Median model seconds and wall seconds of REPEATS identity builds, and the failures of
    the dbt test that no title match crosses disjoint directors."""
    models, walls = [], []
    with tempfile.TemporaryDirectory() as root:
        dbt = Dbt(Path(root))
        for _ in range(REPEATS):
            started = time.perf_counter()
            models.append(dbt("run", *MODELS))
            walls.append(time.perf_counter() - started)
        target = dbt.invoke("test", "--select", FALSE_MERGE_TEST)
        results = json.loads((target / "run_results.json").read_text())["results"]
    (failures,) = [r["failures"] for r in results if r["unique_id"].startswith("test.")]
    return statistics.median(models), statistics.median(walls), failures


def run() -> dict[str, float]:
    conn = started_warehouse(needs="raw.movielens__movies")
    build_s, wall_s, false_merges = _build_and_check()
    with conn.cursor() as cur:
        cur.execute(RECALL, {"sources": list(ID_LESS)})
        recall = cur.fetchall()
    conn.close()
    figures = {
        "identity_build_s": round(build_s, 1),
        "identity_build_wall_s": round(wall_s, 1),
        "identity_false_merge_demo": false_merges,
    }
    for source, rows, to_imdb, _ in recall:
        figures[f"identity_recall_demo_{source}"] = round(to_imdb / rows, 4)
    total = sum(rows for _, rows, _, _ in recall)
    figures["identity_recall_demo"] = round(sum(hit for _, _, hit, _ in recall) / total, 4)
    figures["identity_recall_demo_reachable"] = round(
        sum(hit for _, _, hit, _ in recall) / sum(reach for _, _, _, reach in recall), 4
    )
    return figures
