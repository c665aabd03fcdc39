"""Pictures for the Dagster UI: a chart as a markdown image (the PNG inlined as a data URI)
above the table of the numbers it was drawn from, so an asset's materialisation shows both
in the UI and nothing depends on a file on disk."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import dagster as dg
import matplotlib
import pandas as pd

matplotlib.use("Agg")  # no display in a run worker

import matplotlib.pyplot as plt  # noqa: E402 - after choosing the backend

DPI = 72  # a few tens of kB per picture in the event log


def inline_png(png: bytes, title: str) -> str:
    return f"![{title}](data:image/png;base64,{base64.b64encode(png).decode('ascii')})"


def picture(figure, title: str, table: pd.DataFrame, digits: int = 3) -> dg.MetadataValue:
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png", dpi=DPI)
    plt.close(figure)
    numbers = table.round(digits).to_markdown(index=False)
    return dg.MetadataValue.md(f"{inline_png(buffer.getvalue(), title)}\n\n{numbers}")


def file_picture(path: Path) -> dg.MetadataValue:
    """A PNG a model already wrote to its artifact folder, inlined, with the file's path under
    it (the artifact folder keeps the full-resolution copy)."""
    return dg.MetadataValue.md(f"{inline_png(path.read_bytes(), path.stem)}\n\n`{path}`")


def reliability_picture(table: pd.DataFrame) -> dg.MetadataValue:
    """`ml.casting.reliability` table: predicted against observed rate per bin and score."""
    figure, axis = plt.subplots(figsize=(5, 4))
    axis.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfect calibration")
    for score, rows in table.groupby("score"):
        axis.plot(rows["predicted"], rows["observed"], marker="o", label=score)
    axis.set(
        xlabel="mean predicted probability (0-1)",
        ylabel="observed rate of resonant roles (0-1)",
        title="Reliability on the holdout",
    )
    axis.legend()
    return picture(figure, "reliability", table)


def fit_picture(films: pd.DataFrame, line: pd.DataFrame, fit: dict) -> dg.MetadataValue:
    """`ml.people.gravitas_fit.simple_fit`: the films, the OLS line and its band."""
    figure, axis = plt.subplots(figsize=(6, 4))
    axis.scatter(films["gravitas"], films["imdb_rating"], s=4, alpha=0.3)
    axis.fill_between(line["gravitas"], line["low"], line["high"], alpha=0.3, color="orange")
    axis.plot(line["gravitas"], line["predicted"], color="orange")
    axis.set(
        xlabel="as-of gravitas (0-1)",
        ylabel="IMDb rating (1-10)",
        title=f"IMDb rating on gravitas: slope {fit['slope']:.4f}, R² {fit['r_squared']:.3f}",
    )
    return picture(figure, "gravitas OLS fit", pd.DataFrame([fit]), digits=4)


def bars_picture(
    table: pd.DataFrame, label: str, value: str, xlabel: str, title: str
) -> dg.MetadataValue:
    figure, axis = plt.subplots(figsize=(6, max(2.0, 0.25 * len(table) + 1)))
    axis.barh(table[label].astype(str), table[value])
    axis.invert_yaxis()
    axis.set(xlabel=xlabel, ylabel=label, title=title)
    return picture(figure, title, table)
