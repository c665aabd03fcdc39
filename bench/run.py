"""Benchmarks: `python bench/run.py [name ...]` runs them, updates results.json, prints a table.

Each module in BENCHES exposes `run() -> dict[str, float]` of flat, named figures. Results
are merged into the existing JSON so one benchmark can be re-run alone; only measured
values are written.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"

# Module names under bench/, in run order (later ones may rely on earlier materialisations).
BENCHES = [
    "foundation",
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
    "sanity",
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "names", nargs="*", default=BENCHES, help=f"benchmarks to run (default all: {BENCHES})"
    )
    args = parser.parse_args(argv)
    sys.path.insert(0, str(HERE.parent))
    import bench._env  # noqa: F401 - points the settings at the bench warehouse first

    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    for name in args.names:
        module = importlib.import_module(f"bench.{name}")
        figures = module.run()
        results.update(figures)
        RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    width = max(map(len, results), default=10)
    print(f"{'figure':<{width}}  value")
    for key in sorted(results):
        print(f"{key:<{width}}  {results[key]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
