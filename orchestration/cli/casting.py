"""`cinegraph slate`: a ranked actor slate for a brief, from the latest trained casting model.

The model packages are imported when the command runs, so other commands start fast.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from orchestration.cli.arguments import BUDGET, TEXT, YEAR, checked
from orchestration.cli.warehouse import open_warehouse
from orchestration.settings import settings
from serving import validation

BILL_ORDER = checked(validation.integer, what="bill order", low=1, high=50)
SLATE_SIZE = checked(validation.integer, what="slate size", low=1, high=100)
SHOWN_COLUMNS = [
    "rank",
    "actor_name",
    "p_high",
    "p_cal",
    "p_cal_support",
    "score",
    "atr3",
    "bfd",
    "prior_roles",
]


def render(result, folder: Path) -> str:
    """The slate as a table, then each actor's reasons and alternates."""
    lines = [result.slate[SHOWN_COLUMNS].round(3).to_string(index=False), ""]
    for rank, name in zip(result.slate["rank"], result.slate["actor_name"], strict=True):
        reasons = result.reasons.loc[result.reasons["rank"] == rank, "reason"]
        others = result.alternates.loc[result.alternates["rank"] == rank, "alternate"]
        lines.append(f"{rank}. {name}: " + "; ".join(reasons))
        if len(others):
            lines.append(f"   if not {name}, consider " + ", ".join(others))
    outlook = result.manifest["director_outlook_p"]
    if outlook is not None:
        lines.append(f"\ndirector outlook ({result.brief.director}): p = {outlook:.2f}")
    lines.append(f"\nslate, alternates, reason codes and manifest: {folder}")
    lines.append("stored in the warehouse: marts.casting_slates (after the next dbt build)")
    return "\n".join(lines)


def run(args) -> int:
    from serving.casting import Brief, latest_model, recommend, store_slate, write_slate

    with open_warehouse() as conn:
        model, model_run = latest_model(conn)
    genres = tuple(g.strip() for g in args.genres.split(",") if g.strip())
    brief = Brief(args.year, args.budget, genres, args.bill_order, args.n, args.director)
    result = recommend(model, brief, model_run["run_id"])
    with open_warehouse() as conn:
        store_slate(conn, result, model_run)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    slates = settings().casting_dir / "slates"
    folder = Path(args.out) if args.out else slates / f"{stamp}-{result.brief.year}"
    write_slate(result, folder)
    print(render(result, folder))
    return 0


def register(commands) -> None:
    parser = commands.add_parser("slate", help="recommend an actor slate for a film brief")
    parser.add_argument("--year", type=YEAR, required=True, help="release year of the film")
    parser.add_argument(
        "--budget", type=BUDGET, required=True, help="budget in millions of dollars"
    )
    parser.add_argument(
        "--genres", type=TEXT, required=True, help="comma-separated genres, e.g. Drama,Crime"
    )
    parser.add_argument(
        "--bill-order", type=BILL_ORDER, default=1, help="1 for the lead, 2+ for supporting"
    )
    parser.add_argument("-n", type=SLATE_SIZE, default=10, help="slate size")
    parser.add_argument(
        "--director",
        type=TEXT,
        help="optional director: bumps actors with successful collaborations",
    )
    parser.add_argument(
        "--out", type=TEXT, help="folder for the CSVs and manifest (default: a new run folder)"
    )
    parser.set_defaults(handler=run)
