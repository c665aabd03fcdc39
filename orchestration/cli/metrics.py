"""`cinegraph metrics list|normalize|coverage`, `cinegraph score`, `cinegraph search` and
`cinegraph top` (a profile's leaderboard).

`metrics list` and `metrics normalize` read the registry seeds and need no warehouse; the
other commands query it through `serving.metrics`.
"""

from __future__ import annotations

import json
import math

from orchestration.cli.arguments import LIMIT, OFFSET, TEXT, add_json, print_json
from orchestration.cli.warehouse import open_warehouse

REGISTRY_COLUMNS = [
    "code",
    "category",
    "source",
    "normalization_type",
    "normalization_params",
    "raw_scale_min",
    "raw_scale_max",
    "normalized_weight",
    "source_reliability",
    "coverage_threshold",
    "active",
]
COVERAGE_COLUMNS = [
    "category",
    "metric_code",
    "source",
    "films_with_data",
    "total_films",
    "coverage_share",
    "coverage_threshold",
    "median_value",
    "clamped_values",
]
BREAKDOWN_COLUMNS = [
    "category",
    "metric_code",
    "source",
    "raw_value",
    "normalized_value",
    "effective_weight",
    "category_score",
    "contribution",
]


def _cell(value) -> object:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{value:.4g}" if isinstance(value, float) else value


def _table(rows: list[dict], columns: list[str]) -> str:
    """Rows as an aligned text table; missing values print as '-', floats with 4 digits."""
    import pandas as pd

    if not rows:
        return "(none)"
    return pd.DataFrame(rows)[columns].map(_cell).to_string(index=False)


def list_metrics(args) -> int:
    from ml.metrics import categories, metric_definitions

    rows = [
        {**vars(d), "normalization_params": json.dumps(d.normalization_params)}
        for d in metric_definitions().values()
        if args.category in (None, d.category)
    ]
    if not rows:
        raise LookupError(
            f"unknown category {args.category!r}; valid categories: {', '.join(categories())}"
        )
    if args.json:
        print_json(rows)
        return 0
    print(_table(rows, REGISTRY_COLUMNS))
    return 0


def normalize(args) -> int:
    from ml.metrics import metric

    definition = metric(args.code)
    raw = None if args.value.lower() in ("null", "none") else float(args.value)
    result = definition.normalize(raw)
    top = "" if definition.raw_scale_max is None else f"{definition.raw_scale_max:g}"
    scale = f"{definition.raw_scale_min:g}..{top}"
    shown = "null" if result.value is None else f"{result.value:.6g}"
    print(
        f"{definition.code} {args.value} -> {shown}  "
        f"({definition.normalization_type} {json.dumps(definition.normalization_params)}, "
        f"raw scale {scale})"
    )
    if result.clamped:
        print(f"note: {args.value} is outside the raw scale and was clamped to it")
    return 0


def coverage(args) -> int:
    from serving.metrics import below_threshold, latest_coverage, lost_data

    with open_warehouse() as conn:
        rows = below_threshold(conn) if args.below_threshold else latest_coverage(conn, args.level)
        lost = lost_data(conn)
    if args.json:
        print_json({"coverage": rows, "lost": lost})
        return 0
    if rows:
        print(f"snapshot {rows[0]['snapshot_at']:%Y-%m-%d %H:%M:%S %Z}")
    print(_table(rows, COVERAGE_COLUMNS))
    for row in lost:
        print(
            f"LOST: {row['metric_code']} had {row['most_films_before']} films until "
            f"{row['last_snapshot_with_data']:%Y-%m-%d}, none now"
        )
    return 0


def score(args) -> int:
    from serving.metrics import calculate_movie_score

    with open_warehouse() as conn:
        result = calculate_movie_score(conn, args.film, args.profile)
    total = (
        "no score (no weighted category has data)"
        if result.total_score is None
        else f"{result.total_score:.4f}"
    )
    print(
        f"{result.title} ({result.release_year}), film_id {result.film_id}, "
        f"profile {result.profile}"
    )
    print(f"total score     {total}")
    if result.ranked_score is not None:
        print(
            f"ranked score    {result.ranked_score:.4f} (the total shrunk towards the "
            "profile's prior by its coverage; what rankings order by)"
        )
    print(
        f"weight coverage {result.weight_coverage:.1%} of the profile's weight had data "
        f"({result.metrics_used} metrics, {result.categories_used} weighted categories)"
    )
    if result.available_coverage is not None:
        print(
            f"available cov.  {result.available_coverage:.1%} of the weight this deployment's "
            "feeds can fill"
        )
    for category, value in result.category_scores.items():
        print(f"  {category:<15} {'-' if value is None else f'{value:.4f}'}")
    if args.explain:
        print()
        print(_table([vars(row) for row in result.breakdown], BREAKDOWN_COLUMNS))
    return 0


def _filters(args) -> list[dict]:
    """--min/--max NAME=VALUE (a category or a metric, normalised) and
    --min-raw/--max-raw METRIC=VALUE."""
    from ml.metrics import categories

    filters = []
    for option, bound in (
        ("min", "min_normalized"),
        ("max", "max_normalized"),
        ("min_raw", "min_raw_value"),
        ("max_raw", "max_raw_value"),
    ):
        for item in getattr(args, option) or []:
            name, separator, value = item.partition("=")
            if not separator:
                raise ValueError(f"--{option.replace('_', '-')} takes NAME=VALUE, got {item!r}")
            key = (
                "category" if name in categories() and not option.endswith("raw") else "metric_code"
            )
            filters.append({key: name, bound: value})
    return filters


def _print_ranked(result, as_json: bool) -> int:
    from ml.metrics import categories

    if as_json:
        print_json(result.rows)
        return 0
    print(f"profile {result.profile} (scores from marts.{result.scored_from})")
    print(
        _table(
            result.rows,
            [
                "film_id",
                "film_label",
                "release_year",
                "ranked_score",
                "total_score",
                "weight_coverage",
                "available_coverage",
                *[f"{c}_score" for c in categories()],
            ],
        )
    )
    return 0


def search(args) -> int:
    from serving.metrics import search_movies

    with open_warehouse() as conn:
        result = search_movies(conn, _filters(args), args.profile, args.limit, args.offset)
    return _print_ranked(result, args.json)


def top(args) -> int:
    from serving.metrics import leaderboard

    with open_warehouse() as conn:
        result = leaderboard(conn, args.profile, args.limit, args.offset, args.include_untitled)
    return _print_ranked(result, args.json)


def register(commands) -> None:
    metrics = commands.add_parser("metrics", help="the metric registry: list, normalise, coverage")
    actions = metrics.add_subparsers(dest="metrics_command", required=True)
    listing = actions.add_parser("list", help="every metric definition")
    listing.add_argument("--category", type=TEXT, help="only this category")
    add_json(listing)
    listing.set_defaults(handler=list_metrics)
    tester = actions.add_parser("normalize", help="normalise a raw value as the warehouse does")
    tester.add_argument("code", type=TEXT, help="metric code, e.g. metacritic_score")
    tester.add_argument("value", type=TEXT, help="raw value (or null)")
    tester.set_defaults(handler=normalize)
    cover = actions.add_parser("coverage", help="the newest coverage snapshot")
    cover.add_argument(
        "--level",
        default="metric",
        choices=["metric", "metric_source", "category"],
        help="what one row is",
    )
    cover.add_argument(
        "--below-threshold", action="store_true", help="only active metrics under their threshold"
    )
    add_json(cover)
    cover.set_defaults(handler=coverage)

    scorer = commands.add_parser("score", help="a film's score under a weight profile")
    scorer.add_argument("film", type=TEXT, help="film_id, IMDb id, title or 'Title (year)'")
    scorer.add_argument("--profile", type=TEXT, default="balanced", help="weight profile")
    scorer.add_argument("--explain", action="store_true", help="show every metric's contribution")
    scorer.set_defaults(handler=score)

    board = commands.add_parser("top", help="a profile's leaderboard, best ranked score first")
    board.add_argument("--profile", type=TEXT, default="balanced", help="weight profile")
    board.add_argument("--limit", type=LIMIT, default=20, help="how many films")
    board.add_argument("--offset", type=OFFSET, default=0, help="films to skip (paging)")
    board.add_argument(
        "--include-untitled",
        action="store_true",
        help="also list the films no source gives a title (shown as imdb:tt...)",
    )
    add_json(board)
    board.set_defaults(handler=top)

    finder = commands.add_parser("search", help="films by metric values, best ranked score first")
    finder.add_argument(
        "--min",
        action="append",
        type=TEXT,
        metavar="NAME=VALUE",
        help="a category's score or a metric's normalised value at least VALUE",
    )
    finder.add_argument(
        "--max",
        action="append",
        type=TEXT,
        metavar="NAME=VALUE",
        help="a category's score or a metric's normalised value at most VALUE",
    )
    finder.add_argument(
        "--min-raw",
        action="append",
        type=TEXT,
        metavar="METRIC=VALUE",
        help="raw value at least VALUE",
    )
    finder.add_argument(
        "--max-raw",
        action="append",
        type=TEXT,
        metavar="METRIC=VALUE",
        help="raw value at most VALUE",
    )
    finder.add_argument("--profile", type=TEXT, default="balanced", help="weight profile")
    finder.add_argument("--limit", type=LIMIT, default=20, help="how many films")
    finder.add_argument("--offset", type=OFFSET, default=0, help="films to skip (paging)")
    add_json(finder)
    finder.set_defaults(handler=search)
