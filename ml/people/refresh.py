"""Refresh the person-quality tables from the `int_people__*` models.

`refresh_current` keeps `ml.person_quality_scores` and `ml.movie_gravitas_scores`
current, incrementally: it fingerprints the inputs, compares them with the last
calculation's fingerprints (`ml.people_input_state`) and recomputes only the dependency
closure (`ml.people.incremental`). With no stored state, another calculation version or
`full=True` the closure is everything. Every write of a refresh is one transaction.

`refresh_asof` rebuilds the as-of history (`person_quality_asof`, `movie_gravitas_asof`)
in full: it is history, rebuilt whole in a few seconds whenever its inputs change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import NamedTuple

import pandas as pd

from ml.people import store
from ml.people.config import PeopleConfig, people_config
from ml.people.graph import CollaborationGraph, StationaryScore
from ml.people.history import gravitas_asof, gravitas_current, peer_by_year, person_quality_asof
from ml.people.incremental import (
    FILM,
    Closure,
    changed_units,
    closure,
    credited_people,
    everyone,
    fingerprints,
)
from ml.people.inputs import PeopleInputs, read_inputs
from ml.people.quality import CURRENT, KEY, current_keys, person_quality


@dataclass(frozen=True)
class RefreshResult:
    closure: Closure
    people_rows: int
    film_rows: int
    percentile_ranks_moved: int
    peer: StationaryScore
    calculation_version: str
    calculated_at: datetime

    def metadata(self) -> dict:
        return {
            "mode": "full" if self.closure.full else "incremental",
            "people_recomputed": len(self.closure.people),
            "films_recomputed": len(self.closure.films),
            "changed_films": self.closure.changed_films,
            "changed_people": self.closure.changed_people,
            "peer_moved": self.closure.peer_moved,
            "person_role_rows_written": self.people_rows,
            "gravitas_rows_written": self.film_rows,
            "percentile_ranks_moved": self.percentile_ranks_moved,
            "calculation_version": self.calculation_version,
            "peer_graph": self.peer.summary(),
        }


def _stamped(frame: pd.DataFrame, config: PeopleConfig, calculated_at: datetime) -> pd.DataFrame:
    return frame.assign(calculation_version=config.calculation_version, calculated_at=calculated_at)


class Plan(NamedTuple):
    closure: Closure
    unchanged: pd.DataFrame | None  # stored (person_id, role, total_pqs) outside the closure
    state: pd.DataFrame  # fingerprint rows to write
    state_keys: list[str] | None  # the state rows they replace; None = the whole state


def _plan(conn, inputs: PeopleInputs, peer: pd.Series, config: PeopleConfig, full: bool) -> Plan:
    state = fingerprints(inputs)
    previous = None if full else store.read_state(conn, config.calculation_version)
    if previous is None:
        return Plan(everyone(inputs.credits), None, state, None)
    changes = changed_units(previous, state)
    credited_before = store.read_state_people(conn, changes.loc[changes["unit"] == FILM, "unit_key"].tolist())
    stored = store.read_stored_scores(conn)
    stored_peer = stored.drop_duplicates("person_id").set_index("person_id")["peer_centrality"]
    plan = closure(changes, inputs.credits, credited_before, stored_peer, peer, set(stored["person_id"].tolist()))
    unchanged = stored[~stored["person_id"].isin(plan.people)]
    return Plan(plan, unchanged, state[state["unit_key"].isin(changes["unit_key"])], changes["unit_key"].tolist())


def _state_rows(state: pd.DataFrame, credits: pd.DataFrame, config: PeopleConfig) -> pd.DataFrame:
    """Fingerprints with the people credited on each film (the next closure's 'before')."""
    people = credited_people(credits, state.loc[state["unit"] == FILM, "unit_id"])
    return state.assign(people=people.reindex(state["unit_id"]).to_numpy(),
                        calculation_version=config.calculation_version)


def refresh_current(conn, full: bool = False, config: PeopleConfig | None = None) -> RefreshResult:
    """Recompute the closure of what changed (everything when `full`) and write it."""
    config = config or people_config()
    inputs = read_inputs(conn)
    peer = CollaborationGraph(inputs.pairs, inputs.films).stationary(config)
    plan = _plan(conn, inputs, peer.scores, config, full)
    calculated_at = datetime.now(timezone.utc)

    people = sorted(plan.closure.people)
    subset = inputs.for_people(people)
    scores = person_quality(subset, config, peer_by_year(peer, CURRENT), current_keys(subset.credits))
    scores = _stamped(scores.reset_index(), config, calculated_at).assign(
        valid_until=calculated_at + timedelta(days=config.valid_days), percentile_rank=None
    )
    totals = pd.concat([frame[["person_id", "role", "total_pqs"]]
                        for frame in (plan.unchanged, scores) if frame is not None])
    films = sorted(plan.closure.films)
    film_credits = inputs.credits[inputs.credits["film_id"].isin(films)]
    gravitas = gravitas_current(film_credits, totals.assign(year=CURRENT).set_index(KEY), config)
    gravitas = _stamped(gravitas.rename_axis("film_id").reset_index(), config, calculated_at)

    full_write = plan.closure.full
    with conn, conn.cursor() as cur:
        store.write_rows(cur, store.SCHEMA, store.PQS_TABLE, store.pqs_columns(config), scores,
                         None if full_write else ("person_id", people))
        store.write_rows(cur, store.SCHEMA, store.GRAVITAS_TABLE, store.gravitas_columns(config), gravitas,
                         None if full_write else ("film_id", films))
        moved = store.update_percentile_ranks(cur)
        store.write_rows(cur, *store.STATE, store.STATE_COLUMNS, _state_rows(plan.state, inputs.credits, config),
                         None if plan.state_keys is None else ("unit_key", plan.state_keys))
    return RefreshResult(plan.closure, len(scores), len(gravitas), moved, peer,
                         config.calculation_version, calculated_at)


@dataclass(frozen=True)
class AsofResult:
    person_rows: int
    film_rows: int
    years: int
    peer_iterations: dict[int, int]
    calculation_version: str

    def metadata(self) -> dict:
        iterations = list(self.peer_iterations.values())
        return {
            "person_role_year_rows": self.person_rows,
            "gravitas_rows": self.film_rows,
            "years": self.years,
            "peer_iterations_max": max(iterations, default=0),
            "peer_iterations_mean": round(sum(iterations) / max(len(iterations), 1), 1),
            "calculation_version": self.calculation_version,
        }


def refresh_asof(conn, config: PeopleConfig | None = None) -> AsofResult:
    """Rebuild the as-of PQS history and the as-of gravitas of every dated film."""
    config = config or people_config()
    inputs = read_inputs(conn)
    calculated_at = datetime.now(timezone.utc)
    asof, iterations = person_quality_asof(inputs, config)
    films = gravitas_asof(inputs, asof, config)
    release_years = inputs.films.set_index("film_id")["release_year"]
    people = _stamped(asof.reset_index(), config, calculated_at)
    people = people.assign(as_of_year=people["year"] - 1, pqs=people["total_pqs"])
    films = _stamped(films.rename_axis("film_id").reset_index(), config, calculated_at)
    films["release_year"] = release_years.reindex(films["film_id"]).to_numpy()
    with conn, conn.cursor() as cur:
        store.write_rows(cur, store.SCHEMA, store.ASOF_TABLE, store.asof_columns(config), people)
        store.write_rows(cur, store.SCHEMA, store.GRAVITAS_ASOF_TABLE,
                         store.gravitas_columns(config, as_of=True), films)
    return AsofResult(len(people), len(films), len(iterations), iterations, config.calculation_version)
