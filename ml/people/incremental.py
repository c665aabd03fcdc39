"""What changed since the last calculation, and who and what must be recomputed for it.

The inputs are fingerprinted per unit of change: a film (its credits, outcomes and
recognition) and a person (their own Oscar nominations). Comparing the fingerprints with
the ones stored at the last calculation gives the changed units; the dependency closure
is then

    people = everyone credited on a changed film, before or after the change
           + every person whose nominations changed
           + every person whose peer centrality moved (the collaboration graph is global:
             a changed credit or film score can move people who never touched the film;
             the graph is recomputed whole, which is cheap, and compared after rounding)
           + every person without a stored score
    films  = every film of those people + the changed films

PQS depends only on a person's own films, awards and collaborations plus their peer
centrality, and gravitas only on its people's PQS, so recomputing exactly this closure
reproduces a full recompute (a test checks both claims).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ml.people.inputs import PeopleInputs

FILM, PERSON = "film", "person"


def _row_hashes(frame: pd.DataFrame, unit: str) -> pd.Series:
    """Order-independent fingerprint of each unit's rows: the sum of their row hashes (mod 2^64)."""
    hashes = pd.util.hash_pandas_object(frame.drop(columns=unit), index=False)
    return hashes.groupby(frame[unit].to_numpy()).sum()


def fingerprints(inputs: PeopleInputs) -> pd.DataFrame:
    """One row per unit: unit_key ('film:<id>' or 'person:<id>'), unit, unit_id, input_hash."""
    film_parts = [
        _row_hashes(
            inputs.credits[["film_id", "person_id", "credit_role", "release_year", "known_year"]],
            "film_id",
        ),
        _row_hashes(
            inputs.films.assign(
                genres=inputs.films["genres"].map(lambda genres: "|".join(sorted(genres)))
            ),
            "film_id",
        ),
        _row_hashes(inputs.recognition, "film_id"),
    ]
    films = pd.concat(film_parts, axis=1).fillna(0).astype("uint64")
    film_hash = pd.Series(
        pd.util.hash_pandas_object(films, index=False).to_numpy(), index=films.index
    )
    person_hash = _row_hashes(inputs.nominations, "person_id")
    units = [
        pd.DataFrame(
            {
                "unit": unit,
                "unit_id": hashes.index.to_numpy(dtype="int64"),
                "input_hash": hashes.to_numpy().astype(str),
            }
        )
        for unit, hashes in ((FILM, film_hash), (PERSON, person_hash))
    ]
    state = pd.concat(units, ignore_index=True)
    return state.assign(unit_key=state["unit"] + ":" + state["unit_id"].astype(str))


def credited_people(credits: pd.DataFrame, film_ids) -> pd.Series:
    """film_id -> sorted ids of the people credited on it (what the state remembers)."""
    films = credits[credits["film_id"].isin(film_ids)]
    return films.groupby("film_id")["person_id"].agg(lambda ids: sorted(set(ids)))


def changed_units(previous: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    """Units whose fingerprint differs, appeared or vanished."""
    before = previous.rename(columns={"input_hash": "input_hash_before"})
    merged = current.merge(before, on=["unit_key", "unit", "unit_id"], how="outer")
    return merged[merged["input_hash"].ne(merged["input_hash_before"])]


@dataclass(frozen=True)
class Closure:
    people: frozenset[int]
    films: frozenset[int]
    full: bool = False
    changed_films: int = 0
    changed_people: int = 0
    peer_moved: int = 0


def closure(
    changes: pd.DataFrame,
    credits: pd.DataFrame,
    credited_before: set[int],
    stored_peer: pd.Series,
    peer: pd.Series,
    stored_people: set[int],
) -> Closure:
    """The people and films to recompute. `credited_before`: the people the last
    calculation had on the changed films; `stored_peer` and `peer`: the rounded peer
    centralities (person_id-indexed) of the last calculation and of the current graph."""
    films = changes[changes["unit"] == FILM]
    persons = changes[changes["unit"] == PERSON]
    credited = set(credits["person_id"].unique().tolist())
    credited_now = set(credits.loc[credits["film_id"].isin(films["unit_id"]), "person_id"].tolist())
    both = pd.concat([stored_peer, peer], axis=1, keys=["before", "now"]).fillna(0.0)
    moved = set(both.index[both["before"].ne(both["now"])].tolist())
    people = (
        credited_now
        | credited_before
        | set(persons["unit_id"].astype("int64").tolist())
        | moved
        | (credited - stored_people)
    )
    touched_films = set(credits.loc[credits["person_id"].isin(people), "film_id"].tolist())
    return Closure(
        people=frozenset(people),
        films=frozenset(touched_films | set(films["unit_id"].astype("int64").tolist())),
        full=False,
        changed_films=len(films),
        changed_people=len(persons),
        peer_moved=len(moved),
    )


def everyone(credits: pd.DataFrame) -> Closure:
    """The closure of a full recompute (which rewrites the tables whole): everyone."""
    people = frozenset(credits["person_id"].unique().tolist())
    return Closure(people, frozenset(credits["film_id"].unique().tolist()), full=True)
