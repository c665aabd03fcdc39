"""What every `cinegraph` command's options accept: the rules of `serving.validation` as
argparse types, and a parser whose errors are one line.

A value that breaks a rule stops the command before it opens the warehouse: exit code 2,
`cinegraph <command>: error: argument --x: <rule>` on stderr, nothing read or written.
"""

from __future__ import annotations

import argparse
import json
import sys

from serving import validation


class DefaultsHelp(argparse.ArgumentDefaultsHelpFormatter):
    """Each option's help ends with its default, unless there is none (None, or a flag off)."""

    def _get_help_string(self, action):
        if action.default is None or action.default is False:
            return action.help
        return super()._get_help_string(action)


class Parser(argparse.ArgumentParser):
    """Help that shows each option's default; usage errors on one line (no usage dump)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", DefaultsHelp)
        super().__init__(*args, **kwargs)

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def fail(message: str, code: int = 2) -> int:
    """Print a user-facing error as one line; the exit code to return."""
    print(f"cinegraph: {' '.join(message.split())}", file=sys.stderr)
    return code


def add_json(parser) -> None:
    parser.add_argument(
        "--json", action="store_true", help="print the rows as JSON records instead of a table"
    )


def print_json(rows) -> None:
    """Rows (a data frame or a list of dicts) as JSON records, times in ISO 8601."""
    if hasattr(rows, "to_json"):
        print(rows.to_json(orient="records", date_format="iso", indent=2))
    else:
        print(json.dumps(rows, indent=2, default=str))


def checked(rule, **options):
    """An argparse type from a validation rule: the rule's ValueError becomes the error."""

    def convert(value: str):
        try:
            return rule(value, **options)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    convert.__name__ = rule.__name__
    return convert


TEXT = checked(validation.text)
LIMIT = checked(validation.limit)
OFFSET = checked(validation.integer, low=0, high=validation.MAX_ROWS)
ID = checked(validation.integer)
YEAR = checked(validation.integer, what="year", low=1870, high=2100)
DAYS = checked(validation.integer, what="days", low=1, high=36_500)
PORT = checked(validation.integer, what="port", low=1024, high=65_535)
BUDGET = checked(validation.number, what="budget", low=0.001, high=10_000)
DATE = checked(validation.calendar_date)
MONDAY = checked(validation.monday)
RATING = checked(validation.rating)
RATING_TIME = checked(validation.rating_time)
IMDB_ID = checked(validation.imdb_title_id)
USER_IDS = checked(validation.user_ids)
EXISTING_FILE = checked(validation.existing_file)
