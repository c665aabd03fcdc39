"""Benchmarks: `python bench/run.py [--repeat N] [name ...]` runs them, updates results.json,
prints a table.

Each module in BENCHES exposes `run() -> dict[str, float]` of flat, named figures. Results
are merged into the existing JSON so one benchmark can be re-run alone; only measured
values are written. With `--repeat N` each benchmark runs N times and results.json takes the
median of each figure (booleans: true only if every run says so). Every run is appended to
runs.jsonl with the commit, the time, the machine's load average before and after, and its
figures, so a median can be traced back to the runs it came from.
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"
RUNS = HERE / "runs.jsonl"

# Module names under bench/, in run order (later ones may rely on earlier materialisations).
BENCHES = [
    "foundation",
    "first_run",
    "casting",
    "cohorts",
    "metrics",
    "connectors",
    "people",
    "identity",
    "learning",
    "companion",
    "hostile",
    "hardening",
    "console",
    "sanity",
    "bi",
]


def _commit() -> str:
    head = subprocess.run(
        ["git", "-C", str(HERE), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    dirty = subprocess.run(["git", "-C", str(HERE), "status", "--porcelain"], capture_output=True)
    return head.stdout.strip() + ("-dirty" if dirty.stdout.strip() else "")


def _logged_run(name: str, module) -> dict:
    load_before = os.getloadavg()
    figures = module.run()
    record = {
        "bench": name,
        "commit": _commit(),
        "finished_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "figures": figures,
    }
    with RUNS.open("a") as log:
        log.write(json.dumps(record, sort_keys=True) + "\n")
    return figures


def median_figures(runs: list[dict]) -> dict:
    """Per figure, the median over the runs that measured it (booleans: all of them true)."""
    merged = {}
    for key in dict.fromkeys(k for run in runs for k in run):
        values = [run[key] for run in runs if key in run]
        if all(isinstance(v, bool) for v in values):
            merged[key] = all(values)
        elif all(isinstance(v, int | float) for v in values):
            merged[key] = statistics.median(values)
        else:
            merged[key] = values[-1]
    return merged


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "names", nargs="*", default=BENCHES, help=f"benchmarks to run (default all: {BENCHES})"
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs per benchmark; the median is kept (default 1)"
    )
    args = parser.parse_args(argv)
    sys.path.insert(0, str(HERE.parent))
    import bench._env  # noqa: F401 - points the settings at the bench warehouse first

    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    for name in args.names:
        module = importlib.import_module(f"bench.{name}")
        runs = [_logged_run(name, module) for _ in range(args.repeat)]
        results.update(median_figures(runs))
        RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    width = max(map(len, results), default=10)
    print(f"{'figure':<{width}}  value")
    for key in sorted(results):
        print(f"{key:<{width}}  {results[key]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
