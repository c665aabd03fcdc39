"""Person quality scores (PQS): one row per person, role and as-of year.

Every score is keyed by (person_id, role, year) and uses only what was known on 1 January
of `year`: films released and awards given before it. The current score is the same
calculation with year = CURRENT (+inf), where undated films count as well; the as-of
history asks for many years at once, so one vectorised pass serves both and a 2015 award
cannot reach a 2010 score by construction.

Three steps, each a plain function of frames:

1. `raw_measures`: what the person's films in the role achieved, in the units of
   `pqs_measures` (prize and canonical points, award points, career years, votes, gross,
   genre entropy, rating trend), plus the person-level peer centrality and repeat
   collaboration rating (a person's collaborators are the same in every role).
2. `score`: every measure through its registry curve (0-1); a component is the mean of its
   measures; total_pqs is the role's weighted sum of components (`pqs_role_weights`). A
   component without data counts 0 towards the total (no evidence earns no credit) and
   weight_coverage says how much of the role's weight had data.
3. `with_percentile_rank`: the share of the role's people scoring at or below the person.

Measures depend only on the person's own films, awards and collaborations and on the peer
centrality passed in; that locality lets the incremental recompute score a subset of
people and still match a full run.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import entropy

from ml.people.config import PeopleConfig
from ml.people.inputs import PeopleInputs

KEY = ["person_id", "role", "year"]
CURRENT = np.inf
RECOGNITION_KINDS = ["festival", "canonical", "oscar"]


def current_keys(credits: pd.DataFrame) -> pd.MultiIndex:
    """Every (person_id, role) with a scored credit, at year CURRENT."""
    pairs = (
        credits[["person_id", "pqs_role"]].drop_duplicates().sort_values(["person_id", "pqs_role"])
    )
    return pd.MultiIndex.from_arrays(
        [pairs["person_id"], pairs["pqs_role"], np.full(len(pairs), CURRENT)], names=KEY
    )


def _released_before(release_year: pd.Series, year: pd.Series) -> pd.Series:
    """Films released before `year`; an undated film counts only in the current score."""
    return release_year.fillna(np.inf).lt(year) | year.eq(CURRENT)


def _role_films(inputs: PeopleInputs, keys: pd.DataFrame) -> pd.DataFrame:
    """Each key's films in its role released before its year, with the films' outcomes."""
    credits = inputs.credits.rename(columns={"pqs_role": "role"})
    credits = credits[["person_id", "role", "film_id", "release_year"]].drop_duplicates(
        ["person_id", "role", "film_id"]
    )
    films = keys.merge(credits, on=["person_id", "role"])
    films = films[_released_before(films["release_year"], films["year"])]
    return films.merge(inputs.films.drop(columns="release_year"), on="film_id", how="left")


def _recognition_points(films: pd.DataFrame, recognition: pd.DataFrame) -> pd.DataFrame:
    """Per key and kind: the registry-normalised recognition of its films known before its year."""
    known = films[[*KEY, "film_id"]].merge(
        recognition[["film_id", "kind", "normalized_value", "known_year"]], on="film_id"
    )
    known = known[known["known_year"] < known["year"]]
    points = known.groupby([*KEY, "kind"])["normalized_value"].sum().unstack(fill_value=0.0)
    return points.reindex(columns=RECOGNITION_KINDS, fill_value=0.0)


def _own_award_points(
    keys: pd.DataFrame, nominations: pd.DataFrame, config: PeopleConfig
) -> pd.Series:
    points = config.award_points
    own = keys.merge(nominations.rename(columns={"pqs_role": "role"}), on=["person_id", "role"])
    own = own[own["known_year"] < own["year"]].drop_duplicates([*KEY, "nomination_id"])
    per_nomination = np.where(
        own["is_winner"].astype(bool), points["own_oscar_win"], points["own_oscar_nomination"]
    )
    return (
        pd.Series(per_nomination, index=pd.MultiIndex.from_frame(own[KEY])).groupby(level=KEY).sum()
    )


def _genre_entropy(films: pd.DataFrame) -> pd.Series:
    """Shannon entropy (bits) of each key's genre counts; missing without genres."""
    genres = films[[*KEY, "genres"]].explode("genres").dropna(subset=["genres"])
    counts = genres.groupby([*KEY, "genres"]).size().unstack(fill_value=0)
    return pd.Series(entropy(counts.to_numpy(), base=2, axis=1), index=counts.index)


def _rating_trend(films: pd.DataFrame) -> pd.Series:
    """Least-squares slope of IMDb rating over release year, points per decade; missing
    with fewer than two release years. Grouped sums of centred values: one pass for all."""
    rated = films.dropna(subset=["imdb_rating", "release_year"])
    groups = [rated[column] for column in KEY]
    dx = rated["release_year"] - rated["release_year"].groupby(groups).transform("mean")
    dy = rated["imdb_rating"] - rated["imdb_rating"].groupby(groups).transform("mean")
    slope = (dx * dy).groupby(groups).sum() / (dx * dx).groupby(groups).sum() * 10
    return slope.replace([np.inf, -np.inf], np.nan)


def _repeat_collaboration_rating(
    person_years: pd.DataFrame, inputs: PeopleInputs, min_films: int
) -> pd.Series:
    """Per (person_id, year): mean IMDb rating of the films shared, before the year, with
    people they had made at least `min_films` films with by then."""
    sides = [
        inputs.pairs.rename(columns={person: "person_id", partner: "partner_id"})
        for person, partner in (("person_a_id", "person_b_id"), ("person_b_id", "person_a_id"))
    ]
    shared = person_years.merge(pd.concat(sides), on="person_id")
    shared = shared[_released_before(shared["release_year"], shared["year"])]
    together = shared.groupby(["person_id", "year", "partner_id"])["film_id"].transform("size")
    repeat = shared[together >= min_films].merge(
        inputs.films[["film_id", "imdb_rating"]], on="film_id"
    )
    return repeat.groupby(["person_id", "year"])["imdb_rating"].mean()


def raw_measures(
    inputs: PeopleInputs, config: PeopleConfig, peer_centrality: pd.Series, keys: pd.MultiIndex
) -> pd.DataFrame:
    """The raw measure of every component for each (person_id, role, year) in `keys`.

    `peer_centrality` is indexed by (person_id, year). A key with no film before its year
    (a debut) gets 0 films and 0 points, and missing measures where there is nothing to
    measure.
    """
    key_frame = keys.to_frame(index=False)
    films = _role_films(inputs, key_frame)
    by_key = films.groupby(KEY)
    recognition = _recognition_points(films, inputs.recognition).reindex(keys, fill_value=0.0)
    person_years = pd.MultiIndex.from_frame(key_frame[["person_id", "year"]])
    measures = pd.DataFrame(index=keys)
    measures["films_analyzed"] = by_key["film_id"].nunique().reindex(keys, fill_value=0)
    measures["first_year"] = by_key["release_year"].min().reindex(keys)
    measures["last_year"] = by_key["release_year"].max().reindex(keys)
    # The design's festival table holds every ceremony, the Academy Awards included.
    measures["festival_points"] = recognition["festival"] + recognition["oscar"]
    measures["canonical_points"] = recognition["canonical"]
    measures["award_points"] = (
        _own_award_points(key_frame, inputs.nominations, config).reindex(keys, fill_value=0.0)
        + recognition["oscar"] * config.award_points["film_oscar_record"]
    )
    measures["career_years"] = measures["last_year"] - measures["first_year"]
    measures["peer_centrality"] = peer_centrality.reindex(person_years, fill_value=0.0).to_numpy()
    measures["imdb_votes_total"] = by_key["imdb_votes"].sum(min_count=1).reindex(keys)
    measures["worldwide_gross_total"] = by_key["worldwide_gross_usd"].sum(min_count=1).reindex(keys)
    measures["repeat_collaboration_rating"] = (
        _repeat_collaboration_rating(
            key_frame[["person_id", "year"]].drop_duplicates(),
            inputs,
            config.repeat_collaboration_min_films,
        )
        .reindex(person_years)
        .to_numpy()
    )
    measures["genre_entropy"] = _genre_entropy(films).reindex(keys)
    measures["rating_trend"] = _rating_trend(films).reindex(keys)
    return measures


def score(measures: pd.DataFrame, config: PeopleConfig) -> pd.DataFrame:
    """Components (0-1) through the registry curves, total_pqs and weight_coverage."""
    normalized = pd.DataFrame({m.name: m.curve.apply(measures[m.name]) for m in config.measures})
    components = pd.DataFrame(
        {
            f"{component}_score": normalized[
                [m.name for m in config.measures if m.component == component]
            ].mean(axis=1)
            for component in config.components
        }
    )
    weights = config.weights_frame().reindex(measures.index.get_level_values("role")).to_numpy()
    scored = pd.concat([measures, components], axis=1)
    scored["total_pqs"] = (components.fillna(0.0).to_numpy() * weights).sum(axis=1)
    scored["weight_coverage"] = (components.notna().to_numpy() * weights).sum(axis=1)
    return scored.round(config.score_decimals)


def with_percentile_rank(scores: pd.DataFrame) -> pd.DataFrame:
    """percentile_rank: the share of the role's people whose total_pqs is at or below this one."""
    ranked = scores.copy()
    ranked["percentile_rank"] = ranked.groupby(level="role")["total_pqs"].rank(
        method="max", pct=True
    )
    return ranked


def person_quality(
    inputs: PeopleInputs, config: PeopleConfig, peer_centrality: pd.Series, keys: pd.MultiIndex
) -> pd.DataFrame:
    """Scores of the keys (no percentile rank: that needs every person of the role)."""
    return score(raw_measures(inputs, config, peer_centrality, keys), config)
