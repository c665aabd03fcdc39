"""What gravitas is worth: OLS of film success on as-of gravitas plus controls (statsmodels).

Two targets: the IMDb rating, and log worldwide gross. Features: the film's as-of gravitas
(its people's PQS as of its release year, over the credits known at release; never the
current score), log budget, release year and genre indicators. Everything fitted (the
coefficients, and which genres get an indicator) sees only films released up to
`cutoff_year`; films after it are the holdout. Each target is fitted with and without
gravitas, and both are scored on the holdout, so gravitas is always judged against the
controls-only baseline. A third fit swaps in the current gravitas, on the same films, for
comparison only: the current score knows the film's own awards (information from after
release), so its R^2 shows how much of the apparent value of gravitas is that leak. The
model that predicts is the as-of one.

The learned importance of gravitas is its share of the training fit: (R^2 with gravitas -
R^2 of the controls) / R^2 with gravitas, on the IMDb target, and 0 unless the gravitas
coefficient's 95% interval lies above 0. It becomes the person_quality weight of a new
weight profile (`profile_weights`).
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import statsmodels.api as sm
from sklearn.metrics import r2_score

from ml.runs import record_run
from warehouse.io import read_frame

MODEL_NAME = "gravitas_ols"
TARGETS = {"imdb_rating": "IMDb rating", "log_worldwide_gross": "log worldwide gross (USD)"}
PRIMARY_TARGET = "imdb_rating"
GRAVITAS = "gravitas"
CURRENT_GRAVITAS = "current_gravitas"
CONTROLS = ["log_budget", "release_year"]
MIN_GENRE_FILMS = 30
# Budgets are systematic from 1980 (the Movie Industry data set); the earlier films with a
# budget are the few famous ones the other sources kept, whose ratings would bend the
# year trend.
FIRST_YEAR = 1980
CUTOFF_YEAR = 2009  # films up to it train; 2010-2020 (about a quarter of the films) are the holdout
INTERVAL_ALPHA = 0.05

FILMS_QUERY = """
    select gravitas.film_id, gravitas.release_year, gravitas.total_gravitas_score as gravitas,
        current_scores.total_gravitas_score as current_gravitas,
        outcomes.imdb_rating, outcomes.worldwide_gross_usd, outcomes.budget_usd, outcomes.genres
    from ml.movie_gravitas_asof as gravitas
    inner join intermediate.int_people__film_outcomes as outcomes using (film_id)
    left join ml.movie_gravitas_scores as current_scores using (film_id)
"""


def read_films(conn, film_id: int | None = None) -> pd.DataFrame:
    """Films with as-of gravitas and their outcomes (one film when `film_id` is given)."""
    query, params = FILMS_QUERY, ()
    if film_id is not None:
        query, params = query + " where gravitas.film_id = %s", (film_id,)
    frame = read_frame(conn, query, params)
    numeric = [
        "release_year",
        GRAVITAS,
        CURRENT_GRAVITAS,
        "imdb_rating",
        "worldwide_gross_usd",
        "budget_usd",
    ]
    return frame.astype({column: "float64" for column in numeric})


def with_features(films: pd.DataFrame) -> pd.DataFrame:
    """log budget and log gross; films without a positive budget cannot be modelled."""
    modelled = films[films["budget_usd"] > 0].copy()
    modelled["log_budget"] = np.log(modelled["budget_usd"])
    gross = modelled["worldwide_gross_usd"]
    modelled["log_worldwide_gross"] = np.log(gross.where(gross > 0))
    return modelled


def design(
    films: pd.DataFrame, genres: list[str], with_gravitas: bool, gravitas: str = GRAVITAS
) -> pd.DataFrame:
    """The features; `gravitas` names the column that enters as the GRAVITAS feature."""
    columns = ([gravitas] if with_gravitas else []) + CONTROLS
    matrix = films[columns].rename(columns={gravitas: GRAVITAS})
    for genre in genres:
        matrix[f"genre_{genre}"] = films["genres"].map(lambda listed, g=genre: float(g in listed))
    return sm.add_constant(matrix, has_constant="add")


@dataclass
class TargetFit:
    target: str
    full: object  # statsmodels RegressionResults, with gravitas
    controls: object  # controls only
    metrics: dict

    def coefficients(self) -> pd.DataFrame:
        interval = self.full.conf_int(alpha=INTERVAL_ALPHA)
        return pd.DataFrame(
            {
                "coefficient": self.full.params,
                "ci_low": interval[0],
                "ci_high": interval[1],
                "p_value": self.full.pvalues,
            }
        )


@dataclass
class GravitasModel:
    cutoff_year: int
    first_year: int
    genres: list[str]
    fits: dict[str, TargetFit]
    calculation_version: str
    importance: float = 0.0

    def metrics(self) -> dict:
        return {target: fit.metrics for target, fit in self.fits.items()} | {
            "gravitas_importance": float(self.importance)
        }


def _fit_target(
    train: pd.DataFrame, test: pd.DataFrame, target: str, genres: list[str]
) -> TargetFit:
    train, test = train.dropna(subset=[target]), test.dropna(subset=[target])
    fits, metrics = {}, {"train_n": len(train), "holdout_n": len(test)}
    for name, with_gravitas, gravitas, prefix in (
        ("full", True, GRAVITAS, ""),
        ("controls", False, GRAVITAS, "controls_only_"),
        ("current", True, CURRENT_GRAVITAS, "current_gravitas_"),
    ):
        fitted = sm.OLS(train[target], design(train, genres, with_gravitas, gravitas)).fit()
        predicted = fitted.predict(design(test, genres, with_gravitas, gravitas))
        fits[name] = fitted
        metrics[f"{prefix}train_r2"] = round(float(fitted.rsquared), 4)
        metrics[f"{prefix}holdout_r2"] = round(float(r2_score(test[target], predicted)), 4)
    interval = fits["full"].conf_int(alpha=INTERVAL_ALPHA).loc[GRAVITAS]
    metrics.update(
        gravitas_coefficient=round(float(fits["full"].params[GRAVITAS]), 4),
        gravitas_ci=[round(float(interval[0]), 4), round(float(interval[1]), 4)],
        current_gravitas_coefficient=round(float(fits["current"].params[GRAVITAS]), 4),
    )
    return TargetFit(target, fits["full"], fits["controls"], metrics)


def learned_importance(fit: TargetFit) -> float:
    """Gravitas' share of the training R^2; 0 unless its coefficient is surely positive."""
    low = fit.full.conf_int(alpha=INTERVAL_ALPHA).loc[GRAVITAS, 0]
    if low <= 0 or fit.full.rsquared <= 0:
        return 0.0
    return round(
        max(0.0, float((fit.full.rsquared - fit.controls.rsquared) / fit.full.rsquared)), 4
    )


def train(
    films: pd.DataFrame, cutoff_year: int, calculation_version: str, first_year: int = FIRST_YEAR
) -> GravitasModel:
    """Fit both targets on films released from `first_year` up to `cutoff_year`; score on
    the later ones. Films need both gravitas scores, so the comparison is like with like."""
    modelled = with_features(films).dropna(subset=[GRAVITAS, CURRENT_GRAVITAS, "release_year"])
    modelled = modelled[modelled["release_year"] >= first_year]
    train_films = modelled[modelled["release_year"] <= cutoff_year]
    test_films = modelled[modelled["release_year"] > cutoff_year]
    if train_films.empty or test_films.empty:
        raise ValueError(
            f"cutoff year {cutoff_year} leaves {len(train_films)} training and {len(test_films)} "
            f"holdout films; choose a year between {int(modelled['release_year'].min())} and "
            f"{int(modelled['release_year'].max()) - 1}"
        )
    genre_counts = train_films["genres"].explode().value_counts()
    genres = sorted(genre_counts[genre_counts >= MIN_GENRE_FILMS].index)
    fits = {target: _fit_target(train_films, test_films, target, genres) for target in TARGETS}
    model = GravitasModel(cutoff_year, first_year, genres, fits, calculation_version)
    model.importance = learned_importance(fits[PRIMARY_TARGET])
    return model


def profile_weights(balanced: dict[str, float], importance: float) -> dict[str, float]:
    """The balanced profile's category weights scaled to make room for person_quality."""
    others = {c: w for c, w in balanced.items() if c != "person_quality"}
    total = sum(others.values())
    return {
        **{c: w / total * (1 - importance) for c, w in others.items()},
        "person_quality": importance,
    }


def save(model: GravitasModel, folder: Path) -> tuple[Path, str]:
    """Pickle the fitted model (statsmodels results without their data) under its content
    hash; return the path and the sha256."""
    for fit in model.fits.values():
        fit.full.remove_data()
        fit.controls.remove_data()
    payload = pickle.dumps(model)
    digest = hashlib.sha256(payload).hexdigest()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{MODEL_NAME}_{digest[:16]}.pickle"
    path.write_bytes(payload)
    return path, digest


def load(path: Path) -> GravitasModel:
    return pickle.loads(Path(path).read_bytes())


def predict(model: GravitasModel, film: pd.DataFrame) -> dict[str, dict]:
    """Predictions for one film row (from `read_films`), each with the 95% interval of the
    mean and the 95% prediction interval for a single film."""
    featured = with_features(film)
    if featured.empty or featured[[GRAVITAS, "release_year"]].isna().any(axis=None):
        raise ValueError(
            "the film needs an as-of gravitas, a release year and a positive budget to be predicted"
        )
    x = design(featured, model.genres, with_gravitas=True)
    predictions = {}
    for target, fit in model.fits.items():
        frame = fit.full.get_prediction(x).summary_frame(alpha=INTERVAL_ALPHA).iloc[0]
        predictions[target] = {
            "predicted": float(frame["mean"]),
            "mean_interval": [float(frame["mean_ci_lower"]), float(frame["mean_ci_upper"])],
            "prediction_interval": [float(frame["obs_ci_lower"]), float(frame["obs_ci_upper"])],
            "actual": None
            if pd.isna(featured[target].iloc[0])
            else float(featured[target].iloc[0]),
        }
    return predictions


def data_sha256(films: pd.DataFrame) -> str:
    """A digest of the modelled rows, so a run can be traced to the data it saw."""
    hashable = films.assign(genres=films["genres"].map(lambda genres: "|".join(sorted(genres))))
    rows = pd.util.hash_pandas_object(hashable.sort_values("film_id"), index=False).to_numpy()
    return hashlib.sha256(rows.tobytes()).hexdigest()


def train_and_record(
    conn, cutoff_year: int, folder: Path, calculation_version: str, first_year: int = FIRST_YEAR
) -> tuple[GravitasModel, str, Path]:
    """Train on the warehouse's films, save the model and record the run in ml.model_runs."""
    films = read_films(conn)
    model = train(films, cutoff_year, calculation_version, first_year)
    params = {
        "cutoff_year": cutoff_year,
        "first_year": first_year,
        "min_genre_films": MIN_GENRE_FILMS,
        "interval_alpha": INTERVAL_ALPHA,
        "targets": list(TARGETS),
    }
    coefficients = {
        target: fit.coefficients().round(6).to_dict(orient="index")
        for target, fit in model.fits.items()
    }
    path, digest = save(model, folder)
    manifest = {
        "artifact": str(path),
        "artifact_sha256": digest,
        "calculation_version": calculation_version,
        "genres": model.genres,
        "features": [GRAVITAS, *CONTROLS, *(f"genre_{g}" for g in model.genres)],
        "gravitas_source": "ml.movie_gravitas_asof",
        "comparison_gravitas_source": "ml.movie_gravitas_scores (current, for comparison only)",
        "data_sha256": data_sha256(films),
        "coefficients": coefficients,
    }
    return model, record_run(conn, MODEL_NAME, params, model.metrics(), manifest), path
