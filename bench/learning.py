"""Experiment figures, in memory (no warehouse): do the statistics keep their promises, and
what does one day's analysis of an experiment cost at 100x the demo's users?

ab_aa_false_positive_rate  share of SIMULATIONS A/A experiments (no true effect, planned sample
                           size) with a significant effect; should be about alpha (0.05)
ab_planted_power           share of SIMULATIONS experiments with a true effect of the MDE,
                           at the planned sample size, that detect it; about the power (0.80)
experiment_analysis_s      one analysis of the gravitas-picks experiment over 67,100 users
                           (100x the 671 MovieLens users), from event logs: first exposures,
                           clicks after them, per-arm results, effect, SRM and horizon;
                           target < 10
experiment_assignment_s    hashing those 67,100 users into arms

From a warehouse run (the bench warehouse the foundation benchmark materialised: fct_ratings,
film_scores, the taste clusters), the learned weight profiles asset's work, timed:
learned_profile_holdout_ndcg50[_cluster_<n>]   NDCG@50 on the holdout of the profile learned
                                               for everyone (and for each taste cluster)
balanced_profile_holdout_ndcg50[_cluster_<n>]  the same for balanced
learned_profile_published[_cluster_<n>]        whether it beat balanced (interval above 0),
                                               with learned_profile_published_reason[...]
learned_profiles_s                             the whole run, read to write
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from bench._env import started_warehouse, timed
from ml.experiments import GRAVITAS_PICKS, analyse, assign, rejection_rate, user_outcomes

SIMULATIONS = 1000
DEMO_USERS = 671  # MovieLens users in the demo
SCALE = 100
CLICK_PROBABILITY = {"plain": 0.02, "gravitas": 0.025}  # per exposure
START = pd.Timestamp("2026-01-01", tz="UTC")


def event_logs(arms: pd.Series, rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Exposures (1 to 10 per user over 30 days) and pick clicks: some after an exposure, at
    each arm's rate, and some unrelated ones before any exposure."""
    per_user = rng.integers(1, 11, arms.size)
    users = np.repeat(arms.index.to_numpy(), per_user)
    at = START + pd.to_timedelta(rng.integers(0, 30 * 24 * 60, users.size), unit="min")
    exposures = pd.DataFrame({"user_id": users, "at": at})
    clicked = rng.random(users.size) < arms.loc[users].map(CLICK_PROBABILITY).to_numpy()
    early = rng.choice(arms.index.to_numpy(), arms.size // 20)
    events = pd.DataFrame(
        {
            "user_id": np.concatenate([users[clicked], early]),
            "at": np.concatenate(
                [
                    at[clicked] + pd.Timedelta(minutes=5),
                    np.full(early.size, START - pd.Timedelta(days=1)),
                ]
            ),
            "value": 1.0,
        }
    )
    return exposures, events


def analysis(assignments: pd.DataFrame, exposures: pd.DataFrame, events: pd.DataFrame):
    return analyse(GRAVITAS_PICKS, user_outcomes(assignments, exposures, events, "rate"))


def learned_profiles() -> dict[str, object]:
    from ml.metrics.learned_runs import learn_from_warehouse

    conn = started_warehouse(needs="marts.film_scores")
    try:
        seconds, run = timed(lambda: learn_from_warehouse(conn))
    finally:
        conn.close()
    figures: dict[str, object] = {"learned_profiles_s": round(seconds, 1)}
    for profile in run.profiles:
        suffix = "" if profile.audience == "everyone" else f"_{profile.audience}"
        for key, holdout in (
            ("learned_profile_holdout_ndcg50", profile.learned_holdout),
            ("balanced_profile_holdout_ndcg50", profile.baseline_holdout),
        ):
            figures[key + suffix] = None if holdout is None else round(holdout.ndcg, 4)
        figures[f"learned_profile_published{suffix}"] = profile.publish
        figures[f"learned_profile_published_reason{suffix}"] = profile.reason
    return figures


def run() -> dict[str, object]:
    users = range(1, DEMO_USERS * SCALE + 1)
    assignment_s, arms = timed(lambda: assign(GRAVITAS_PICKS, users))
    exposures, events = event_logs(arms, np.random.default_rng(0))
    assignments = arms.reset_index()
    analysis_s, result = timed(lambda: analysis(assignments, exposures, events))
    return {
        "ab_aa_false_positive_rate": rejection_rate(GRAVITAS_PICKS, 0.0, SIMULATIONS, seed=1),
        "ab_planted_power": rejection_rate(GRAVITAS_PICKS, GRAVITAS_PICKS.mde, SIMULATIONS, seed=2),
        "ab_simulations": SIMULATIONS,
        "experiment_analysis_s": round(analysis_s, 2),
        "experiment_analysis_users": sum(arm.exposed for arm in result.arms),
        "experiment_assignment_s": round(assignment_s, 2),
        **learned_profiles(),
    }
