"""`cinegraph`: run the warehouse, materialise the platform, and query what it built.

Each module of this package registers its own subcommands; `main` only wires them up.
"""

from __future__ import annotations

import sys
from importlib.metadata import version

import psycopg2.errors

from orchestration.cli import (
    casting,
    cohorts,
    companion,
    console,
    experiments,
    materialize,
    metrics,
    people,
    sources,
    warehouse,
)
from orchestration.cli.arguments import Parser, fail
from orchestration.warehouse import WarehouseError

COMMAND_MODULES = [
    warehouse,
    materialize,
    casting,
    cohorts,
    companion,
    console,
    sources,
    metrics,
    people,
    experiments,
]


def build_parser() -> Parser:
    parser = Parser(prog="cinegraph", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"cinegraph {version('cinegraph')}")
    commands = parser.add_subparsers(dest="command", required=True)
    for module in COMMAND_MODULES:
        module.register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args) or 0
    except (ValueError, LookupError, WarehouseError) as exc:
        # User errors (unknown film, bad brief, bad metric) and a warehouse that cannot start
        # (busy port, unwritable folder) get one clear line, not a traceback.
        return fail(str(exc))
    except psycopg2.errors.UndefinedTable as exc:
        return fail(f"{exc.diag.message_primary}: run `cinegraph materialize` first", 1)
    except OSError as exc:
        return fail(str(exc), 1)


if __name__ == "__main__":
    sys.exit(main())
