"""`cinegraph`: run the warehouse, materialise the platform, and query what it built.

Each module of this package registers its own subcommands; `main` only wires them up.
"""

from __future__ import annotations

import argparse
import sys

from orchestration.cli import (
    casting,
    cohorts,
    experiments,
    materialize,
    metrics,
    people,
    sources,
    warehouse,
)

COMMAND_MODULES = [warehouse, materialize, casting, cohorts, sources, metrics, people, experiments]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cinegraph", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for module in COMMAND_MODULES:
        module.register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args) or 0
    except (ValueError, LookupError) as exc:
        # User errors (unknown film, bad brief, bad metric) get one clear line, not a traceback.
        print(f"cinegraph: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
