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
# The components that measure awards (their weight follows award_eligible_share).
AWARD_COMPONENTS = ("festival", "awards")


def current_keys(credits: pd.DataFrame) -> pd.MultiIndex:
    """Every (person_id, role) with a scored credit, at year CURRENT."""
    pairs = (
        credits[["person_id", "pqs_role"]].drop_duplicates().sort_values(["person_id", "pqs_role"])
    )
    return pd.MultiIndex.from_arrays(
        [pairs["person_id"], pairs["pqs_role"], np.full(len(pairs), CURRENT)], names=KEY
    )


def _known_before(known_year: pd.Series, year: pd.Series) -> pd.Series:
    """Credits known (`known_year`: the release, or the later outcome that named the person)
    before `year`; an undated film counts only in the current score."""
    return known_year.fillna(np.inf).lt(year) | year.eq(CURRENT)


def _role_films(inputs: PeopleInputs, keys: pd.DataFrame) -> pd.DataFrame:
    """Each key's films in its role whose credit was known before its year, with the films'
    outcomes."""
    credits = inputs.credits.rename(columns={"pqs_role": "role"})
    credits = (
        credits[["person_id", "role", "film_id", "release_year", "known_year"]]
        .sort_values("known_year")
        .drop_duplicates(["person_id", "role", "film_id"])
    )
    films = keys.merge(credits, on=["person_id", "role"])
    films = films[_known_before(films["known_year"], films["year"])]
    return films.merge(inputs.films.drop(columns="release_year"), on="film_id", how="left")


def _recognition_points(
    films: pd.DataFrame, recognition: pd.DataFrame, config: PeopleConfig
) -> pd.DataFrame:
    """Per key: the registry-normalised recognition of its films known before its year.

    `canonical`: every list entry of the films (a list honours the film, so all who made it).
    `festival`: only the prizes `pqs_award_categories` credits to the key's role (a Palme
    d'Or is the director's), each at its registry tier times the seed's weight.
    """
    known = films[[*KEY, "film_id"]].merge(
        recognition[["film_id", "kind", "metric_code", "normalized_value", "known_year"]],
        on="film_id",
    )
    known = known[known["known_year"] < known["year"]]
    festival = known.merge(config.festival_categories, on=["metric_code", "role"])
    return pd.DataFrame(
        {
            "canonical": known[known["kind"] == "canonical"].groupby(KEY)["normalized_value"].sum(),
            "festival": (festival["normalized_value"] * festival["weight"])
            .groupby([festival[column] for column in KEY])
            .sum(),
        }
    ).fillna(0.0)


def _own_award_points(
    keys: pd.DataFrame, nominations: pd.DataFrame, config: PeopleConfig
) -> pd.Series:
    """Per key: the person's own Oscar nominations known before its year in the categories
    that credit the key's role, a win or a nomination's points times the category's weight."""
    points = config.award_points
    own = keys.merge(nominations.rename(columns={"pqs_role": "role"}), on=["person_id", "role"])
    own = own[own["known_year"] < own["year"]].drop_duplicates([*KEY, "nomination_id"])
    per_nomination = own["weight"].to_numpy() * np.where(
        own["is_winner"].astype(bool), points["own_oscar_win"], points["own_oscar_nomination"]
    )
    return (
        pd.Series(per_nomination, index=pd.MultiIndex.from_frame(own[KEY])).groupby(level=KEY).sum()
    )


def _award_eligible_share(films: pd.DataFrame, config: PeopleConfig) -> pd.Series:
    """Per key: the share of its films released when an award of its role existed (from the
    first year `pqs_award_categories` gives the role). An undated film counts as eligible."""
    # float first: mapping an empty string column keeps its string dtype (an incremental run
    # that recomputes nobody), which then cannot compare with the years.
    first_year = films["role"].map(config.award_first_year).astype("float64").fillna(np.inf)
    eligible = films["release_year"].isna() | films["release_year"].ge(first_year)
    return eligible.groupby([films[column] for column in KEY]).mean()


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
    """Per (person_id, year): mean IMDb rating of the films shared, known before the year,
    with people they had made at least `min_films` films with by then."""
    sides = [
        inputs.pairs.rename(columns={person: "person_id", partner: "partner_id"})
        for person, partner in (("person_a_id", "person_b_id"), ("person_b_id", "person_a_id"))
    ]
    shared = person_years.merge(pd.concat(sides), on="person_id")
    shared = shared[_known_before(shared["known_year"], shared["year"])]
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
    recognition = _recognition_points(films, inputs.recognition, config).reindex(
        keys, fill_value=0.0
    )
    person_years = pd.MultiIndex.from_frame(key_frame[["person_id", "year"]])
    measures = pd.DataFrame(index=keys)
    measures["films_analyzed"] = by_key["film_id"].nunique().reindex(keys, fill_value=0)
    measures["first_year"] = by_key["release_year"].min().reindex(keys)
    measures["last_year"] = by_key["release_year"].max().reindex(keys)
    measures["award_points"] = _own_award_points(key_frame, inputs.nominations, config).reindex(
        keys, fill_value=0.0
    )
    # The design's festival table holds every ceremony, the Academy Awards included: the
    # role's own Oscars count beside its festival prizes. Between volume (a sum, which grows
    # with the film count) and rate (per film, which crowns one-film careers) the points are
    # divided by the square root of the film count: docs/people.md weighs the choices.
    measures["festival_points"] = (recognition["festival"] + measures["award_points"]) / np.sqrt(
        measures["films_analyzed"].clip(lower=1)
    )
    measures["canonical_points"] = recognition["canonical"]
    measures["award_eligible_share"] = _award_eligible_share(films, config).reindex(
        keys, fill_value=1.0
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
    """Components (0-1) through the registry curves, total_pqs and weight_coverage.

    The award-bearing components (AWARD_COMPONENTS) weigh in proportion to
    award_eligible_share, and the total is renormalised over the weight that remains: a
    director whose films all predate the first ceremony is scored on what could have
    recognised him, not marked down for prizes nobody gave yet. For a career wholly in the
    award era (almost everyone) the share is 1 and the weights are the seed's.
    """
    normalized = pd.DataFrame({m.name: m.curve.apply(measures[m.name]) for m in config.measures})
    components = pd.DataFrame(
        {
            f"{component}_score": normalized[
                [m.name for m in config.measures if m.component == component]
            ].mean(axis=1)
            for component in config.components
        }
    )
    frame = config.weights_frame()
    weights = frame.reindex(measures.index.get_level_values("role")).to_numpy()
    award = np.isin(frame.columns, AWARD_COMPONENTS)
    weights[:, award] *= measures["award_eligible_share"].to_numpy()[:, None]
    weights /= weights.sum(axis=1, keepdims=True)
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
