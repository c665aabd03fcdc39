"""Write the measured figures of `bench/results.json` into README.md and docs/*.md.

A figure is a marked span; the text between the markers is rewritten, the markers stay:

    holdout AUROC <!-- figure:casting_auroc_holdout:.3f -->0.741<!-- /figure -->

`figure:KEY` shows the value as results.json holds it; `figure:KEY:SPEC` formats it with a
Python format spec (`.3f`, `.1%`, `,d`). A table of several figures:

    <!-- table:casting_auroc_holdout,casting_auroc_best_baseline:.3f -->
    | figure | value |
    ...
    <!-- /table -->

`python scripts/render_figures.py` rewrites the files; `--check` changes nothing and exits 1
listing every figure that differs from results.json (or names a key it does not have), which
is what the test suite runs, so a document cannot drift from the measurements.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"

FIGURE = re.compile(
    r"(?P<open><!-- figure:(?P<key>[\w.-]+)(?::(?P<spec>[^ >]+))? -->)"
    r"(?P<value>.*?)(?P<close><!-- /figure -->)",
    re.DOTALL,
)
TABLE = re.compile(
    r"(?P<open><!-- table:(?P<keys>[\w.,-]+)(?::(?P<spec>[^ >]+))? -->\n)"
    r"(?P<value>.*?)(?P<close><!-- /table -->)",
    re.DOTALL,
)


# What a figure that results.json does not have "measures": always drift, never written.
MISSING = "(not in results.json)"


@dataclass(frozen=True)
class Drift:
    path: Path
    key: str
    shown: str
    measured: str

    def __str__(self) -> str:
        shown, measured = (v.strip().replace("\n", " ")[:60] for v in (self.shown, self.measured))
        where = self.path.relative_to(ROOT)
        return f"{where}: {self.key} shows {shown!r}, results.json gives {measured!r}"


def documents(root: Path = ROOT) -> list[Path]:
    return [root / "README.md", *sorted((root / "docs").glob("*.md"))]


def formatted(results: dict, key: str, spec: str | None) -> str:
    if key not in results:
        return MISSING
    value = results[key]
    if value is None:
        return "n/a"
    return format(value, spec) if spec else str(value)


def _table(results: dict, keys: str, spec: str | None) -> str:
    values = [formatted(results, key, spec) for key in keys.split(",")]
    if MISSING in values:
        return MISSING
    rows = [f"| `{key}` | {value} |" for key, value in zip(keys.split(","), values, strict=True)]
    return "\n".join(["| figure | value |", "| --- | --- |", *rows]) + "\n"


def render(text: str, results: dict) -> tuple[str, list[tuple[str, str, str]]]:
    """The text with every marked figure rewritten, and (key, shown, measured) per change.
    A figure missing from results.json is left as it is and reported as a change."""
    changes: list[tuple[str, str, str]] = []

    def figure(match: re.Match) -> str:
        measured = formatted(results, match["key"], match["spec"])
        if measured != match["value"]:
            changes.append((match["key"], match["value"], measured))
        return match[0] if measured == MISSING else match["open"] + measured + match["close"]

    def table(match: re.Match) -> str:
        measured = _table(results, match["keys"], match["spec"])
        if measured != match["value"]:
            changes.append((match["keys"], match["value"], measured))
        return match[0] if measured == MISSING else match["open"] + measured + match["close"]

    return TABLE.sub(table, FIGURE.sub(figure, text)), changes


def drift(results: dict, paths: list[Path]) -> list[Drift]:
    found = []
    for path in paths:
        _, changes = render(path.read_text(), results)
        found += [Drift(path, *change) for change in changes]
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report drift, change nothing")
    args = parser.parse_args(argv)
    results = json.loads(RESULTS.read_text())
    paths = documents()
    if args.check:
        drifted = drift(results, paths)
        for item in drifted:
            print(item)
        return 1 if drifted else 0
    missing = [item for item in drift(results, paths) if item.measured == MISSING]
    for item in missing:
        print(item)
    for path in paths:
        text, changes = render(path.read_text(), results)
        if changes:
            path.write_text(text)
            print(f"{path.relative_to(ROOT)}: {len(changes)} figure(s) rewritten")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
