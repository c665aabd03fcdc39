"""Rebuild the dbt views that are missing from the warehouse, at the start of a run and on
`cinegraph up`.

dbt's renames keep the views that read a rebuilt relation (dbt_project/macros/
rename_relation.sql), so a run never leaves one missing; a warehouse that an older version
left without them (a killed run, a run stopped by `cinegraph down`) or a hand-made
`drop ... cascade` can still lack some. Healing rebuilds exactly those whose inputs exist, with
`dbt run`, from the models' current code. A view is healed when what it reads exists: on a
fresh warehouse, none is.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from orchestration import run_lock, warehouse
from orchestration.dbt_project import dbt_project, prepare_manifest
from orchestration.settings import DBT_PROJECT_DIR, Connection


def _relation(node: dict) -> str:
    return f'"{node["schema"]}"."{node.get("alias") or node.get("identifier") or node["name"]}"'


def view_models(manifest: dict) -> list[str]:
    """Every dbt view, as "schema.name"."""
    return sorted(
        f"{node['schema']}.{node.get('alias') or node['name']}"
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["config"]["materialized"] == "view"
    )


def views_to_heal(conn: Connection, manifest: dict) -> list[str]:
    """The names of the view models that are missing and whose inputs exist or are healed too."""
    relations = {
        uid: _relation(node)
        for uid, node in {**manifest["nodes"], **manifest["sources"]}.items()
        if node["resource_type"] in ("model", "seed", "snapshot", "source")
    }
    db = warehouse.connect(conn)
    try:
        with db.cursor() as cur:
            cur.execute(
                "select name from unnest(%s::text[]) as name where to_regclass(name) is null",
                (sorted(set(relations.values())),),
            )
            absent = {row[0] for row in cur.fetchall()}
    finally:
        db.close()
    # A view over sources alone (staging) is only missing before the first run builds it.
    missing_views = {
        uid: node
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] == "model"
        and node["config"]["materialized"] == "view"
        and relations[uid] in absent
        and any(parent in manifest["nodes"] for parent in node["depends_on"]["nodes"])
    }
    healable = dict(missing_views)
    # Drop the views that read something missing that is not itself healed, until none does.
    while True:
        blocked = {
            uid
            for uid, node in healable.items()
            if any(
                parent in relations and relations[parent] in absent and parent not in healable
                for parent in node["depends_on"]["nodes"]
            )
        }
        if not blocked:
            return sorted(node["name"] for node in healable.values())
        for uid in blocked:
            del healable[uid]


def heal_views(conn: Connection) -> list[str]:
    """Rebuild the missing views that can be rebuilt; return their names. Needs the manifest
    (`prepare_manifest`) and the connection exported to child processes."""
    manifest = json.loads(Path(dbt_project.manifest_path).read_text())
    names = views_to_heal(conn, manifest)
    if names:
        dbt = Path(sys.executable).with_name("dbt")
        done = subprocess.run(
            [str(dbt), "run", "--select", *names, "--project-dir", str(DBT_PROJECT_DIR)]
            + ["--profiles-dir", str(DBT_PROJECT_DIR), "--target", dbt_project.target or "dev"],
            cwd=DBT_PROJECT_DIR,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise RuntimeError(
                "could not rebuild the missing views " + ", ".join(names) + ":\n" + done.stdout
            )
    return names


def heal_when_idle(conn: Connection) -> list[str]:
    """`heal_views` under the materialisation lock (`cinegraph up`); nothing while a
    materialisation runs, which rebuilds them itself."""
    try:
        with run_lock.hold(conn, "cinegraph up"):
            prepare_manifest()
            return heal_views(conn)
    except run_lock.MaterializationBusy:
        return []
