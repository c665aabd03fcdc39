"""Peer recognition: a stationary score on the weighted collaboration graph.

The design scores a person's collaborations by their collaborators' quality, which is
recursive: a collaborator counts for as much as their own collaborators say. The fixed
point of that recursion is the stationary distribution of a random walk over the graph
(PageRank with teleportation), which we compute by power iteration on a scipy sparse
matrix. People are nodes; two people who share films are joined by an edge of weight
collaboration count x mean film score (0-1) of their shared rated films, so frequent
partners on good films pass the most recognition. Pairs with no rated shared film carry
no weight and are left out.

The score is reported relative to the graph's size (stationary share x number of people:
1 is an average person), so it compares across the years of the as-of history as the
graph grows, and rounded to `peer_decimals`: one changed edge moves everyone in its
connected component a little, and the incremental recompute treats a person as affected
only when their rounded score moves. The convergence tolerance, iterations used and final
residual travel with it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from ml.people.config import PeopleConfig


@dataclass(frozen=True)
class StationaryScore:
    scores: pd.Series  # person_id -> stationary share x number of people (1 = average)
    damping: float
    tolerance: float
    iterations: int
    residual: float  # L1 change of the last iteration
    people: int
    edges: int

    @property
    def converged(self) -> bool:
        return self.residual < self.tolerance

    def summary(self) -> dict:
        return {
            "damping": self.damping,
            "tolerance": self.tolerance,
            "iterations": self.iterations,
            "residual": self.residual,
            "converged": self.converged,
            "people": self.people,
            "edges": self.edges,
        }


def stationary_scores(
    person_a: np.ndarray, person_b: np.ndarray, weight: np.ndarray, config: PeopleConfig
) -> StationaryScore:
    """Power iteration r <- damping * P^T r + (1 - damping) / n until the L1 change is below
    the tolerance, on the symmetric graph of the weighted pairs (person_a, person_b).

    P is the row-normalised weight matrix. Every node has an edge of positive weight, so no
    row is empty (no dangling nodes). The start is uniform, so the same graph always gives
    bit-identical scores (the incremental recompute relies on it).
    """
    damping, tolerance = config.peer_damping, config.peer_tolerance
    people = pd.Index(np.union1d(person_a, person_b))
    n = len(people)
    if n == 0:
        return StationaryScore(pd.Series(dtype="float64"), damping, tolerance, 0, 0.0, 0, 0)
    rows, cols = people.get_indexer(person_a), people.get_indexer(person_b)
    adjacency = sparse.coo_matrix((weight, (rows, cols)), shape=(n, n)).tocsr()
    adjacency = adjacency + adjacency.T
    out_weight = np.asarray(adjacency.sum(axis=1)).ravel()
    transition_t = (sparse.diags(1.0 / out_weight) @ adjacency).T.tocsr()
    rank = np.full(n, 1.0 / n)
    residual, iterations = np.inf, 0
    while residual >= tolerance and iterations < config.peer_max_iterations:
        updated = damping * (transition_t @ rank) + (1.0 - damping) / n
        residual = float(np.abs(updated - rank).sum())
        rank, iterations = updated, iterations + 1
    return StationaryScore(
        scores=pd.Series(rank * n, index=people, name="peer_centrality").round(
            config.peer_decimals
        ),
        damping=damping,
        tolerance=tolerance,
        iterations=iterations,
        residual=residual,
        people=n,
        edges=len(weight),
    )


class CollaborationGraph:
    """Every shared film of every pair, held so that the graph as of any year is a prefix.

    Rows are sorted by the year the pair's credits became known (`known_year`: the release
    year, later for a credit only an outcome of the film names; undated films last, so they
    count only in the current graph); a year's edge weights are three bincounts over the
    prefix of collaborations known before it, which makes the yearly graphs of the as-of
    history cheap.
    """

    def __init__(self, pairs: pd.DataFrame, films: pd.DataFrame):
        shared = pairs.merge(films[["film_id", "film_score"]], on="film_id", how="left")
        shared = shared.sort_values("known_year", na_position="last", kind="stable")
        self._years = shared["known_year"].to_numpy()
        codes, uniques = pd.MultiIndex.from_frame(
            shared[["person_a_id", "person_b_id"]]
        ).factorize()
        self._pair = codes
        self._ends = (
            uniques.get_level_values(0).to_numpy(),
            uniques.get_level_values(1).to_numpy(),
        )
        self._score = shared["film_score"].fillna(0.0).to_numpy()
        self._rated = shared["film_score"].notna().to_numpy(dtype="float64")

    def weights(
        self, before_year: float | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(person_a, person_b, weight) of the pairs with positive weight: films shared
        before `before_year` (every film when None) x their mean film score."""
        stop = (
            len(self._years) if before_year is None else np.searchsorted(self._years, before_year)
        )
        pairs, size = self._pair[:stop], len(self._ends[0])
        films = np.bincount(pairs, minlength=size)
        rated = np.bincount(pairs, weights=self._rated[:stop], minlength=size)
        score_sum = np.bincount(pairs, weights=self._score[:stop], minlength=size)
        with np.errstate(invalid="ignore", divide="ignore"):
            weight = films * score_sum / rated
        keep = rated > 0
        keep[keep] = weight[keep] > 0
        return self._ends[0][keep], self._ends[1][keep], weight[keep]

    def stationary(self, config: PeopleConfig, before_year: float | None = None) -> StationaryScore:
        return stationary_scores(*self.weights(before_year), config)
