"""`cinegraph picks --user N [--json]` and `cinegraph tell --user N "..." [--film FILM]`.

Thin printers over `serving.companion`, imported when a command runs (it loads the
companion's model code), so other commands start fast.
"""

from __future__ import annotations

import json

from orchestration.cli.warehouse import open_warehouse
from orchestration.settings import settings

PICK_COLUMNS = ["rank", "title", "release_year", "confidence", "discovery_source", "reason"]


def llm_config():
    """The LLM extractor's endpoint when CINEGRAPH_LLM_URL and _MODEL are set, else None."""
    from ml.companion.conversation.llm import LLMConfig

    config = settings()
    if not (config.llm_url and config.llm_model):
        return None
    return LLMConfig(config.llm_url, config.llm_model, config.llm_api_key)


def picks(args) -> int:
    from serving import companion as api

    with open_warehouse() as conn:
        result = api.picks(conn, args.user)
    frame = result.picks
    if args.json:
        rows = json.loads(frame.to_json(orient="records", date_format="iso"))
        print(
            json.dumps(
                {
                    "user_id": result.user_id,
                    "status": result.status,
                    "fallback": result.fallback,
                    "picks": rows,
                },
                indent=2,
            )
        )
        return 0
    if result.fallback:
        print(
            f"picks for user {args.user} are {result.status}: your taste cluster's favourites "
            "meanwhile; a refresh is queued"
        )
    text = frame[PICK_COLUMNS].to_string(index=False, float_format=lambda v: f"{v:.2f}", na_rep="-")
    print(text if not frame.empty else "(none)")
    return 0


def tell(args) -> int:
    from serving import companion as api

    with open_warehouse() as conn:
        told = api.tell(conn, args.user, args.message, args.film, llm_config())
    learned = told.extraction
    print(
        f"stored as conversation {told.conversation_id} ({learned['conversation_type']}, "
        f"significance {learned['significance']:.2f}, extractor {told.extractor}); "
        "picks refresh queued"
    )
    if told.fallback_reason:
        print(f"note: the LLM was not used: {told.fallback_reason}")
    for p in learned["preferences"]:
        sign = "+" if p["polarity"] > 0 else "-"
        print(f"  {sign}{p['dimension']}: {p['value']} (weight {p['weight']:.2f})")
    return 0


def register(commands) -> None:
    parser = commands.add_parser("picks", help="a user's precomputed picks with their reasons")
    parser.add_argument("--user", type=int, required=True)
    parser.add_argument("--json", action="store_true", help="JSON instead of a table")
    parser.set_defaults(handler=picks)

    parser = commands.add_parser("tell", help="tell the companion what you liked or want")
    parser.add_argument("--user", type=int, required=True)
    parser.add_argument("message", help="what you say (at most 2000 characters)")
    parser.add_argument("--film", help="the film it is about: a film_id or an exact title")
    parser.set_defaults(handler=tell)
