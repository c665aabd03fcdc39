"""Serving: a producer's brief in, a ranked actor slate out.

1. Validate the brief against what the model knows (years, genres, directors); a director
   named in the brief is resolved to their `person_id`.
2. As-of aggregates at the brief's year for every actor, with the train-era bins.
3. Candidates (`candidate_rules`): actors with a role in the last `active_years`, at least
   `min_candidate_roles` roles, at least `min_acting_share` of their credits in acting, no
   known death before the brief's year, a lead before when the brief asks for a lead, and
   one of their last `genre_window` roles in one of the brief's genres (the design's
   "filter by brief": a crime drama's slate does not draw on a fantasy franchise's lead).
4. Features forced into the training contract; `p_base`, `p_rank` (cycle blend) for ranking,
   `p_cal` for display with `p_cal_support`, the calibration rows behind it.
5. Rules: synergy bonus with the brief's director, penalties for a large budget gap and for
   a release pace outside the train-era band, and a diversity penalty per slate actor who
   shares the candidate's main genre (applied greedily while the slate fills).
"""

from __future__ import annotations

import difflib
from dataclasses import asdict, dataclass, replace

import numpy as np
import pandas as pd

from ml.casting.features import DIRECTOR_CONTRACT, actor_features, director_features, synergy_rate
from ml.casting.history import genre_column
from ml.casting.train import CastingModel

SLATE_COLUMNS = [
    "rank",
    "actor_id",
    "actor_name",
    "p_base",
    "p_cal",
    "p_cal_support",
    "p_high",
    "score",
    "synergy_bonus",
    "bfd_penalty",
    "cadence_penalty",
    "diversity_penalty",
    "atr3",
    "dtr3",
    "bfd",
    "release_density",
    "genre_fit",
    "prior_roles",
    "lead_share",
    "last_year",
    "main_genre",
]


@dataclass(frozen=True)
class Brief:
    year: int
    budget_millions: float
    genres: tuple[str, ...]
    bill_order: int = 1
    n: int = 10
    director: str | None = None
    director_id: int | None = None  # set by validate_brief from `director`

    def as_dict(self) -> dict:
        return asdict(self)


def _name_key(names: pd.Series) -> pd.Series:
    """Accent-free, lower-case, punctuation as spaces: how a typed name meets the data's."""
    folded = names.astype("string").str.normalize("NFKD").str.encode("ascii", "ignore")
    words = folded.str.decode("ascii").str.lower().str.replace(r"[^0-9a-z]+", " ", regex=True)
    return words.str.strip()


def _known_directors(model: CastingModel) -> pd.DataFrame:
    """director_id and director_name by name key; of namesakes, the one with most films."""
    films = model.data.films
    counts = films.groupby(["director_id", "director_name"]).size().rename("films").reset_index()
    counts = counts.sort_values(["films", "director_id"], ascending=[False, True])
    keyed = counts.assign(key=_name_key(counts["director_name"]).to_numpy())
    return keyed.drop_duplicates("key").set_index("key")[["director_id", "director_name"]]


def _resolve_director(model: CastingModel, director: str) -> tuple[int, str]:
    directors = _known_directors(model)
    key = _name_key(pd.Series([director])).iloc[0]
    if key in directors.index:
        found = directors.loc[key]
        return int(found["director_id"]), found["director_name"]
    close = difflib.get_close_matches(key, list(directors.index), n=5, cutoff=0.6)
    hint = (
        ", ".join(directors.loc[close, "director_name"])
        or "none close; directors are named as in the data"
    )
    raise LookupError(f"unknown director {director!r}; closest known: {hint}")


def validate_brief(model: CastingModel, brief: Brief) -> Brief:
    """The brief with the director's canonical spelling and person_id.

    Raises ValueError (or LookupError for a director) naming the valid values.
    """
    era = model.data.era
    first, last = era.first_year + 1, era.last_year + 1
    if not first <= brief.year <= last:
        raise ValueError(
            f"year {brief.year} is outside the data: choose a year from {first} to {last}"
        )
    if not brief.budget_millions > 0:
        raise ValueError(
            f"budget must be a positive number of millions, got {brief.budget_millions}"
        )
    unknown = [g for g in brief.genres if g not in era.known_genres]
    if unknown or not brief.genres:
        raise ValueError(
            f"unknown genre(s) {unknown or '(none given)'}; "
            f"valid genres: {', '.join(era.known_genres)}"
        )
    if brief.bill_order < 1 or brief.n < 1:
        raise ValueError("bill order and N must be positive integers (1 = lead)")
    director_id, director = (
        _resolve_director(model, brief.director) if brief.director else (None, None)
    )
    return replace(brief, genres=tuple(brief.genres), director=director, director_id=director_id)


def brief_queries(model: CastingModel, brief: Brief) -> pd.DataFrame:
    """One query row per known actor: the brief's film, cast with that actor."""
    names = model.data.roles.drop_duplicates("actor_id").set_index("actor_id")["actor_name"]
    return pd.DataFrame(
        {
            "actor_id": names.index,
            "actor_name": names.to_numpy(),
            "year": brief.year,
            "budget_decile": model.data.era.budget_decile([brief.budget_millions * 1e6])[0],
            "genres": [list(brief.genres)] * len(names),
            "bill_order": brief.bill_order,
            "director_id": pd.Series([brief.director_id] * len(names), dtype="Int64"),
        }
    )


def candidate_rules(model: CastingModel, brief: Brief, features: pd.DataFrame) -> pd.DataFrame:
    """One boolean column per rule a candidate must pass (module doc, step 3). A person the
    people facts do not know (no acting share, no death year) passes those two rules."""
    params = model.params
    people = model.data.people.reindex(features["actor_id"].astype("int64"))
    acting_share, death_year = (people[c].to_numpy() for c in ("acting_share", "death_year"))
    return pd.DataFrame(
        {
            "active": features["last_year"] >= brief.year - params.active_years,
            "experienced": features["prior_roles"] >= params.min_candidate_roles,
            "actor": ~(acting_share < params.min_acting_share),
            "alive": ~(death_year < brief.year),
            "senior": features["lead_share"] > 0 if brief.bill_order == 1 else True,
            "in_genre": features["genre_fit"] > 0,
        },
        index=features.index,
    )


def candidates(model: CastingModel, brief: Brief) -> tuple[pd.DataFrame, dict[str, int]]:
    """Queries and features of the actors the brief can consider, and how many known actors
    each rule turned away."""
    queries = brief_queries(model, brief)
    data = model.data
    features = actor_features(queries, data.histories, data.era, model.params, data.pqs)
    rules = candidate_rules(model, brief, features.assign(actor_id=queries["actor_id"]))
    keep = rules.all(axis=1)
    own = queries.columns.difference(features.columns)
    pool = pd.concat([queries.loc[keep, own], features[keep]], axis=1).reset_index(drop=True)
    return pool, {rule: int((~passed).sum()) for rule, passed in rules.items()}


def director_outlook(model: CastingModel, brief: Brief, pool: pd.DataFrame) -> float | None:
    """The director head's probability that the brief's film resonates with this director.

    Any candidate row carries the brief's film (director, year, budget decile, genres).
    """
    if brief.director is None:
        return None
    film = pool.head(1)
    features = director_features(film, model.data.histories, model.data.era, model.params)
    return float(model.director_head.predict_proba(DIRECTOR_CONTRACT.enforce(features)[0])[0, 1])


def _main_genre(pool: pd.DataFrame, model: CastingModel) -> pd.Series:
    """The genre of most of an actor's recent roles ('other' when none has a feature)."""
    shares = pool[[f"{genre_column(g)}_aff" for g in model.data.era.genres]].fillna(0)
    genre = shares.idxmax(axis=1).str.removeprefix("genre_").str.removesuffix("_aff")
    return genre.where(shares.max(axis=1) > 0, "other")


def _greedy_diverse(pool: pd.DataFrame, n: int, penalty: float) -> pd.DataFrame:
    """Fill the slate one pick at a time, each pick penalised per chosen actor of its main genre."""
    picked: list[int] = []
    same_genre = pd.Series(0, index=pool.index)
    diversity = pd.Series(0.0, index=pool.index)
    for _ in range(min(n, len(pool))):
        adjusted = pool["pre_score"] - penalty * same_genre
        best = adjusted.drop(picked).idxmax()
        picked.append(best)
        diversity[best] = penalty * same_genre[best]
        same_genre += (pool["main_genre"] == pool.at[best, "main_genre"]).astype(int)
    chosen = pool.loc[picked].assign(diversity_penalty=diversity[picked])
    return chosen.assign(
        score=chosen["pre_score"] - chosen["diversity_penalty"], rank=np.arange(1, len(picked) + 1)
    )


def score_candidates(model: CastingModel, brief: Brief, pool: pd.DataFrame) -> pd.DataFrame:
    """Probabilities and rule adjustments for every candidate (before the diversity pass)."""
    params = model.params
    p_base = model.p_base(pool)
    p_cal = model.p_cal(p_base)
    low, high = model.cadence_band
    synergy = (
        synergy_rate(pool, model.data.histories)
        if brief.director
        else pd.Series(0.0, index=pool.index)
    )
    scored = pool.assign(
        p_base=p_base,
        p_high=model.p_rank(p_base, pool),
        p_cal=p_cal,
        p_cal_support=model.calibrator.support(p_cal),
        synergy_bonus=params.synergy_weight * synergy,
        bfd_penalty=params.bfd_penalty_per_decile
        * (pool["bfd"] - params.bfd_tolerance).clip(lower=0).fillna(0),
        cadence_penalty=params.cadence_penalty * ~pool["release_density"].between(low, high),
        main_genre=_main_genre(pool, model),
    )
    return scored.assign(
        pre_score=scored["p_high"]
        + scored["synergy_bonus"]
        - scored["bfd_penalty"]
        - scored["cadence_penalty"]
    )


def slate(model: CastingModel, brief: Brief) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, int]]:
    """The Top-N slate (SLATE_COLUMNS), every scored candidate, and the actors each
    candidate rule turned away."""
    pool, turned_away = candidates(model, brief)
    if pool.empty:
        params = model.params
        rules = ", ".join(f"{rule} {n}" for rule, n in turned_away.items())
        raise LookupError(
            f"no actor fits this brief: a candidate needs a film in "
            f"{brief.year - params.active_years}-{brief.year - 1}, "
            f"{params.min_candidate_roles} films in all, acting in "
            f"{params.min_acting_share:.0%} of their credits, no known death before "
            f"{brief.year} and one of their last {params.genre_window} roles in "
            f"{' or '.join(brief.genres)} (actors turned away per rule: {rules}); try a later "
            f"year or other genres"
        )
    scored = score_candidates(model, brief, pool)
    chosen = _greedy_diverse(scored, brief.n, model.params.diversity_penalty)
    return chosen[SLATE_COLUMNS].reset_index(drop=True), scored, turned_away
