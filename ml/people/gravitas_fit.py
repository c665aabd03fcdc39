"""The gravitas-vs-outcome picture: IMDb rating on as-of gravitas alone, with its OLS line
and the confidence band of the mean (the console's People page and the gravitas model's
picture in the Dagster UI). A picture of the raw relation; the gravitas model itself
(`gravitas_model`) also controls for era, budget and genres."""

from __future__ import annotations

import numpy as np
import pandas as pd
import statsmodels.api as sm

from warehouse.io import read_frame

GRID_POINTS = 50

# Only what the picture shows: the page reads it on every cold view, and the model's wider
# frame (genre lists, money) costs three times as long to fetch.
POINTS_QUERY = """
    select gravitas.film_id, outcomes.title, gravitas.release_year,
        gravitas.total_gravitas_score::float8 as gravitas,
        outcomes.imdb_rating::float8 as imdb_rating
    from ml.movie_gravitas_asof as gravitas
    inner join intermediate.int_people__film_outcomes as outcomes using (film_id)
    where outcomes.imdb_rating is not null
    order by gravitas.film_id
"""


def read_points(conn) -> pd.DataFrame:
    """Films with an as-of gravitas and an IMDb rating: film_id, title, release_year,
    gravitas, imdb_rating."""
    return read_frame(conn, POINTS_QUERY)


def simple_fit(films: pd.DataFrame, alpha: float = 0.05) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """(films, line, fit): the films with an as-of gravitas and an IMDb rating; the OLS line
    over a grid of gravitas with its (1 - alpha) band for the mean (columns predicted, low,
    high); and the intercept, slope, R² and n."""
    films = films.dropna(subset=["gravitas", "imdb_rating"])
    if len(films) < 3:
        raise LookupError("fewer than 3 films have an as-of gravitas and an IMDb rating")
    fit = sm.OLS(films["imdb_rating"], sm.add_constant(films[["gravitas"]])).fit()
    grid = pd.DataFrame(
        {"gravitas": np.linspace(films["gravitas"].min(), films["gravitas"].max(), GRID_POINTS)}
    )
    band = fit.get_prediction(sm.add_constant(grid, has_constant="add")).summary_frame(alpha)
    line = grid.assign(
        predicted=band["mean"].to_numpy(),
        low=band["mean_ci_lower"].to_numpy(),
        high=band["mean_ci_upper"].to_numpy(),
    )
    summary = {
        "intercept": float(fit.params["const"]),
        "slope": float(fit.params["gravitas"]),
        "r_squared": float(fit.rsquared),
        "n": int(fit.nobs),
    }
    return films, line, summary
