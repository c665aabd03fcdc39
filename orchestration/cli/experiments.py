"""`cinegraph experiments create|status|stop` and `cinegraph feedback`.

The statistics (power, assignment, analysis) live in `ml.experiments`; this module parses and
prints. Model packages are imported when a command runs, so `import orchestration.cli` stays
light.
"""

from __future__ import annotations

from datetime import datetime

from ingest.feedback import KINDS
from orchestration.cli.warehouse import open_warehouse


def _floats(text: str) -> list[float]:
    return [float(part) for part in text.split(",")]


def create(args) -> int:
    from ml.experiments import ExperimentDesign, planned_sample_size
    from ml.experiments.store import create_experiment

    design = ExperimentDesign(
        args.name,
        tuple(args.arms.split(",")),
        tuple(_floats(args.allocation)),
        args.kind,
        mde=args.mde,
        baseline_rate=args.baseline_rate,
        outcome_sd=args.outcome_sd,
        alpha=args.alpha,
        power=args.power,
    )
    with open_warehouse() as conn:
        create_experiment(conn, design, args.hypothesis, args.metric, args.planned_end)
    planned = ", ".join(f"{arm} {n}" for arm, n in planned_sample_size(design).items())
    print(f"experiment {design.name} running; planned users per arm: {planned}")
    return 0


def status(args) -> int:
    from serving.experiments import experiments, latest_results

    with open_warehouse() as conn:
        if args.name is None:
            listed = experiments(conn)
            print("(no experiments)" if listed.empty else listed.to_string(index=False))
            return 0
        summary, arms, effects = latest_results(conn, args.name)
    if summary is None:
        print(f"{args.name}: not analysed yet")
        return 0
    print(f"{args.name}: {summary['status']} (analysed {summary['analysed_at']:%Y-%m-%d %H:%M})")
    print(summary["reason"])
    print(f"sample ratio chi-square p = {summary['srm_p_value']}")
    print(arms.to_string(index=False, float_format=lambda v: f"{v:.4f}"))
    if not effects.empty:
        print(effects.to_string(index=False, float_format=lambda v: f"{v:.4f}"))
    return 0


def stop(args) -> int:
    from ml.experiments.store import stop_experiment

    with open_warehouse() as conn:
        stopped = stop_experiment(conn, args.name)
    print(f"experiment {args.name} stopped at {stopped.stopped_at:%Y-%m-%d %H:%M}")
    return 0


def feedback(args) -> int:
    from ingest.feedback import Feedback, record_feedback
    from serving.metrics import resolve_film

    context = {
        key: value
        for key in ("surface", "profile", "strategy", "experiment", "arm")
        if (value := getattr(args, key)) is not None
    }
    with open_warehouse() as conn:
        film_id, title, year = resolve_film(conn, args.film)
        record_feedback(conn, [Feedback(args.user, film_id, args.kind, args.value, context)])
    print(f"recorded: user {args.user} {args.kind} {title} ({year})")
    return 0


def register(commands) -> None:
    parser = commands.add_parser("experiments", help="A/B experiments: create, status, stop")
    actions = parser.add_subparsers(dest="experiments_command", required=True)
    new = actions.add_parser("create", help="define and start an experiment")
    new.add_argument("name")
    new.add_argument("--hypothesis", required=True)
    new.add_argument("--arms", required=True, help="comma-separated; the first is the control")
    new.add_argument("--allocation", required=True, help="comma-separated shares summing to 1")
    new.add_argument("--kind", choices=("rate", "mean"), default="rate")
    new.add_argument("--metric", required=True, choices=KINDS, help="the feedback kind measured")
    new.add_argument("--mde", type=float, required=True, help="minimum detectable effect")
    new.add_argument("--baseline-rate", type=float, help="rates: the control's expected rate")
    new.add_argument("--outcome-sd", type=float, help="means: the outcome's standard deviation")
    new.add_argument("--alpha", type=float, default=0.05)
    new.add_argument("--power", type=float, default=0.8)
    new.add_argument("--planned-end", type=datetime.fromisoformat, help="ISO date or time")
    new.set_defaults(handler=create)
    show = actions.add_parser("status", help="every experiment, or one's latest results")
    show.add_argument("name", nargs="?")
    show.set_defaults(handler=status)
    end = actions.add_parser("stop", help="stop a running experiment")
    end.add_argument("name")
    end.set_defaults(handler=stop)

    event = commands.add_parser("feedback", help="record one feedback event")
    event.add_argument("user", type=int)
    event.add_argument("film", help="film_id, IMDb tt id, title or 'Title (year)'")
    event.add_argument("kind", choices=KINDS)
    event.add_argument("--value", type=float, help="stars for 'rated'")
    event.add_argument("--surface", default="cli")
    for key in ("profile", "strategy", "experiment", "arm"):
        event.add_argument(f"--{key}")
    event.set_defaults(handler=feedback)
