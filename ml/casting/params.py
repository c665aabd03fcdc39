"""Every knob of the casting recommender in one frozen object, so a run's manifest can list
them all and a test can change one without touching module state."""

from __future__ import annotations

from dataclasses import asdict, dataclass

# The name casting runs are recorded under in `ml.model_runs`, where `cinegraph slate` finds them.
MODEL_NAME = "casting"


@dataclass(frozen=True)
class CastingParams:
    # Temporal split: train on years <= cutoff, hold out later years. 2010 leaves ten later
    # years of the 1980-2020 demo data for the holdout.
    train_cutoff_year: int = 2010
    # The last train years are kept out of the base model's fit for calibration and model
    # selection, so neither is fitted on the rows the model has learned.
    calibration_years: int = 3
    # Share of the ranking score taken from the base model; the rest from the cycle prior.
    alpha_cycle: float = 0.7
    # Bonus per unit of prior-collaboration success rate with the brief's director.
    synergy_weight: float = 0.25
    # Period of the year_sin/year_cos encoding, in years.
    cycle_years: int = 10
    # Resonance: a film resonates when its success index is in the top quartile of the
    # training years' films.
    resonance_quantile: float = 0.75
    # Trailing windows, in roles: resonance and budget (atr3/dtr3) and genre affinity.
    track_window: int = 3
    genre_window: int = 5
    # Years of history that release_density counts roles over.
    density_years: int = 3
    # A genre gets its own affinity feature when train years have this many roles in it.
    min_genre_roles: int = 30
    # Isotonic calibration with fewer distinct output values than this is "collapsed".
    min_isotonic_levels: int = 6
    seed: int = 0
    # Actor head candidates and the director head.
    hgb_learning_rate: float = 0.05
    hgb_max_iter: int = 200
    hgb_max_leaf_nodes: int = 15
    hgb_min_samples_leaf: int = 40
    rf_n_estimators: int = 200
    rf_min_samples_leaf: int = 20
    # Serving: candidates must have had a role in the `active_years` before the brief's
    # year, at least `min_candidate_roles` roles in all (a full atr3 window: one film is no
    # track record, and it put Space Jam's star on a 1997 drama slate), at least
    # `min_acting_share` of their credits in acting roles (over every role any source gives
    # them: 0.3 keeps actor-directors such as Clint Eastwood, 0.39, and turns away directors
    # named as their film's star), and no known death before the brief's year.
    active_years: int = 5
    min_candidate_roles: int = 3
    min_acting_share: float = 0.3
    # Rules: deciles of budget gap tolerated before a penalty, and penalty per extra decile.
    bfd_tolerance: float = 3.0
    bfd_penalty_per_decile: float = 0.02
    # Rules: penalty for a release pace outside the train-era 5th-95th percentile band.
    cadence_penalty: float = 0.05
    # Rules: penalty per actor already on the slate who shares the candidate's main genre.
    diversity_penalty: float = 0.02
    # Alternates per slate actor, drawn from this many nearest neighbours.
    alternates: int = 3
    alternate_pool: int = 10

    def as_dict(self) -> dict:
        return asdict(self)
