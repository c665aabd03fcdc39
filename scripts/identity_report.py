"""Regenerate the README's match-rate table from `marts.identity_match_report`, so the table
cannot drift from the warehouse: `python scripts/identity_report.py` rewrites the lines
between the two `identity-match-report` markers of README.md (`--print` shows the table
instead). Run it on a warehouse materialised with the demo data."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
START, END = "<!-- identity-match-report:start -->", "<!-- identity-match-report:end -->"
# The sources as the README names them.
LABELS = {
    "box_office": "box_office (vega)",
    "imdb_histograms": "imdb_histograms (ggplot2movies)",
    "oscars": "oscars (film mentions)",
}
COLUMNS = [
    ("source_rows", "rows"),
    ("by_imdb_id", "by IMDb id"),
    ("by_title_year", "title + year"),
    ("by_alt_title_year", "another name + year"),
    ("by_director_fuzzy", "fuzzy, same director"),
    ("by_cluster", "title-year cluster"),
    ("director_confirmed", "director confirmed"),
    ("director_rejected", "director check failed"),
    ("ambiguous", "ambiguous"),
    ("unresolvable", "unresolvable"),
    ("imdb_film_pct", "on an IMDb-keyed film"),
    ("cross_source_pct", "shares a film with another source"),
]


def _cell(column: str, value) -> str:
    return f"{float(value):.2f}%" if column.endswith("_pct") else f"{int(value):,}"


def table(conn) -> str:
    names = ", ".join(column for column, _ in COLUMNS)
    with conn.cursor() as cur:
        cur.execute(f"select source, {names} from marts.identity_match_report order by source")
        rows = cur.fetchall()
    header = "| source | " + " | ".join(label for _, label in COLUMNS) + " |"
    rule = "| --- | " + " | ".join("---:" for _ in COLUMNS) + " |"
    lines = [header, rule]
    for source, *values in rows:
        cells = " | ".join(
            _cell(column, value) for (column, _), value in zip(COLUMNS, values, strict=True)
        )
        lines.append(f"| {LABELS.get(source, source)} | {cells} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--print", action="store_true", help="print the table, leave README.md")
    args = parser.parse_args(argv)
    from orchestration.settings import settings
    from orchestration.warehouse import connect

    conn = connect(settings().warehouse)
    generated = table(conn)
    conn.close()
    if args.print:
        print(generated)
        return 0
    text = README.read_text()
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(text):
        sys.exit(f"README.md has no {START} ... {END} markers")
    README.write_text(pattern.sub(lambda _: f"{START}\n{generated}\n{END}", text))
    return 0


if __name__ == "__main__":
    sys.exit(main())
