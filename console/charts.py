"""The console's Altair charts (every axis has a title, with its unit where it has one) and
its table column for 0-1 figures."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st


def _encoding(frame: pd.DataFrame, x: str, y: str, x_title: str, y_title: str, color) -> dict:
    encoding = {
        "x": alt.X(x, title=x_title),
        # With a nominal y (horizontal bars), the longest bar first.
        "y": alt.Y(y, title=y_title, sort="-x" if y.endswith(":N") else None),
        "tooltip": list(frame.columns),
    }
    if color:
        encoding["color"] = alt.Color(color)
    return encoding


def bars(frame: pd.DataFrame, x: str, y: str, x_title: str, y_title: str, color=None):
    return alt.Chart(frame).mark_bar().encode(**_encoding(frame, x, y, x_title, y_title, color))


def lines(frame: pd.DataFrame, x: str, y: str, x_title: str, y_title: str, color=None):
    encoding = _encoding(frame, x, y, x_title, y_title, color)
    return alt.Chart(frame).mark_line(point=True).encode(**encoding)


def share_column(label: str, decimals: int = 2):
    """A table column of a 0-1 figure (a coverage, a probability, a score) drawn as a bar."""
    return st.column_config.ProgressColumn(
        label, min_value=0.0, max_value=1.0, format=f"%.{decimals}f"
    )


def heatmap(frame: pd.DataFrame, x: str, y: str, value: str, x_title: str, y_title: str, title):
    return (
        alt.Chart(frame)
        .mark_rect()
        .encode(
            x=alt.X(x, title=x_title),
            y=alt.Y(y, title=y_title),
            color=alt.Color(value, title=title),
            tooltip=[x, y, value],
        )
    )


def scatter_with_fit(points: pd.DataFrame, line: pd.DataFrame, x_title: str, y_title: str):
    """Points, the fitted line and its confidence band (columns predicted, low, high)."""
    x, y = "gravitas", "imdb_rating"
    dots = (
        alt.Chart(points)
        .mark_circle(size=18, opacity=0.35)
        .encode(x=alt.X(x, title=x_title), y=alt.Y(y, title=y_title), tooltip=list(points))
    )
    band = alt.Chart(line).mark_area(opacity=0.25, color="orange").encode(x=x, y="low", y2="high")
    fit = alt.Chart(line).mark_line(color="orange").encode(x=x, y="predicted")
    return dots + band + fit


def reliability(table: pd.DataFrame):
    """Predicted vs observed rate per bin, with the diagonal of perfect calibration."""
    diagonal = alt.Chart(pd.DataFrame({"p": [0.0, 1.0]})).mark_line(color="grey", strokeDash=[4, 4])
    diagonal = diagonal.encode(x="p", y="p")
    curve = (
        alt.Chart(table)
        .mark_line(point=True)
        .encode(
            x=alt.X("predicted", title="mean predicted probability (0-1)"),
            y=alt.Y("observed", title="observed rate of resonant roles (0-1)"),
            color=alt.Color("score", title="score"),
            tooltip=list(table.columns),
        )
    )
    return diagonal + curve
