"""`cinegraph pqs top`, `cinegraph person NAME` and `cinegraph gravitas FILM`.

Thin printers over `serving.people`: every number shown is a stored column, with
the components next to each total. The ranking is `pqs top` because `cinegraph people` is
the cohorts' command (a cohort's top directors and actors).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from orchestration.cli.arguments import LIMIT, TEXT, add_json, print_json
from orchestration.cli.warehouse import open_warehouse

if TYPE_CHECKING:
    import pandas as pd

CAREER_COLUMNS = [
    "year",
    "films_count",
    "avg_film_score",
    "awards_won",
    "nominations",
    "box_office_total",
    "momentum_score",
    "consistency_score",
]


def _table(frame: pd.DataFrame) -> str:
    if frame.empty:
        return "(none)"
    return frame.to_string(index=False, float_format=lambda v: f"{v:.3f}", na_rep="-")


def _short(column: str) -> str:
    return column.removesuffix("_score")


def top(args) -> int:
    from serving.people import top_people

    with open_warehouse() as conn:
        rows = top_people(conn, args.role, args.n)
    rows = rows.drop(columns="person_id").rename(columns=_short)
    if args.json:
        print_json(rows)
        return 0
    print(f"top {len(rows)} {args.role}s by PQS (components 0-1; percentile within the role)")
    print(_table(rows))
    return 0


def person(args) -> int:
    from serving.people import person_profile

    with open_warehouse() as conn:
        profiles = person_profile(conn, args.name)
    if len(profiles) > 1:
        print(f"{len(profiles)} different people are named {args.name!r}; each is shown.\n")
    for profile in profiles:
        print(
            f"{profile.name}  (person_id {profile.person_id}, IMDb {profile.imdb_person_id or '-'})"
        )
        score_columns = [
            "role",
            "total_pqs",
            "percentile_rank",
            "films_analyzed",
            "weight_coverage",
            *[c for c in profile.scores.columns if c.endswith("_score")],
        ]
        print(_table(profile.scores[score_columns].rename(columns=_short)))
        print("\ncareer trajectory")
        print(_table(profile.career[CAREER_COLUMNS]))
        if not profile.asof.empty:
            print("\nPQS as of each year (data before 1 January)")
            history = profile.asof.pivot(
                index="year", columns="role", values="total_pqs"
            ).reset_index()
            print(_table(history))
        if profile.scores.empty:
            print("(no person-quality score: no credit in a scored role)")
        print()
    return 0


def _gravitas_lines(label: str, row: dict | None) -> list[str]:
    if row is None:
        return [f"{label}: none (no weighted component has a scored person)"]
    parts = ", ".join(
        f"{name} {row[f'{name}_pqs']:.3f} x {row[f'{name}_weight']:.2f}"
        for name in row["components_present"]
    )
    return [
        f"{label}: {row['total_gravitas_score']:.4f} = {parts}  ({row['people_count']} people, "
        f"calculation {row['calculation_version']})"
    ]


def gravitas(args) -> int:
    from serving.people import film_gravitas, predict_movie_success

    with open_warehouse() as conn:
        film = film_gravitas(conn, args.film)
        try:
            predicted = predict_movie_success(conn, film.film_id)
        except (LookupError, ValueError) as exc:
            predicted = str(exc)
    print(f"{film.title} ({film.release_year}), film_id {film.film_id}")
    print(
        "\n".join(
            _gravitas_lines("gravitas as of release (scores, search, model)", film.asof)
            + _gravitas_lines("current gravitas (knows awards after release)", film.current)
        )
    )
    print("\npeople (current PQS in the credit's role)")
    print(_table(film.people.drop(columns="person_id")))
    if isinstance(predicted, str):
        print(f"\nprediction: {predicted}")
        return 0
    print(
        f"\npredicted from as-of gravitas {predicted['gravitas']:.3f} "
        f"(model run {predicted['run_id']}):"
    )
    for target, values in predicted["predictions"].items():
        low, high = values["prediction_interval"]
        actual = "-" if values["actual"] is None else f"{values['actual']:.2f}"
        print(
            f"  {target:<20} {values['predicted']:.2f}  "
            f"95% interval {low:.2f} .. {high:.2f}  actual {actual}"
        )
    return 0


def register(commands) -> None:
    pqs = commands.add_parser("pqs", help="person quality scores (PQS)")
    actions = pqs.add_subparsers(dest="pqs_command", required=True)
    ranking = actions.add_parser("top", help="the best people of a role by PQS")
    ranking.add_argument(
        "--role", default="director", type=TEXT, help="a role of ml.people.config.ROLES"
    )
    ranking.add_argument("-n", type=LIMIT, default=20, help="how many people")
    add_json(ranking)
    ranking.set_defaults(handler=top)
    profile = commands.add_parser(
        "person", help="one person's PQS components and career trajectory"
    )
    profile.add_argument("name", type=TEXT, help="full name, person_id or IMDb nm id")
    profile.set_defaults(handler=person)
    film = commands.add_parser(
        "gravitas", help="a film's gravitas, its people and predicted success"
    )
    film.add_argument("film", type=TEXT, help="film_id, IMDb tt id, title or 'Title (year)'")
    film.set_defaults(handler=gravitas)
