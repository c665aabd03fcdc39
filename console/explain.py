"""One film's score under one profile, shown step by step (the Films page and the profile
editor of the Metrics admin page show the same explanation)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from console import charts, reads
from serving import validation


def steps(score) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(metrics, categories): each metric's way from raw value to its share of the category,
    and each category's score, weight, renormalised weight and contribution to the total."""
    metrics = pd.DataFrame([vars(row) for row in score.breakdown])
    if metrics.empty:
        return metrics, metrics
    categories = (
        metrics.groupby("category", sort=False)
        .agg(
            category_score=("category_score", "first"),
            category_weight=("category_weight", "first"),
            renormalized_weight=("renormalized_category_weight", "first"),
            contribution=("contribution", "first"),
            metrics=("metric_code", "count"),
        )
        .reset_index()
    )
    return metrics, categories


def show_explained(film: str, profile: str, label: str = ""):
    """Explain `film` under `profile`; a bad or unknown film is one error line. Returns the
    FilmScore shown, or None."""
    try:
        score = reads.explained(validation.text(film, "film"), profile)
    except (ValueError, LookupError) as exc:
        st.error(str(exc))
        return None
    total = "no score" if score.total_score is None else f"{score.total_score:.4f}"
    st.metric(
        f"{label}{score.title} ({score.release_year}) under {profile}",
        total,
        help="total = sum over categories of renormalised category weight x category score",
    )
    st.caption(
        f"weight coverage {score.weight_coverage:.2f} · {score.metrics_used} metrics in "
        f"{score.categories_used} categories"
    )
    metrics, categories = steps(score)
    if metrics.empty:
        st.info("This film has no metric this profile weighs.")
        return score
    st.markdown(
        "1. Each raw value is normalised onto 0-1 by its metric's curve (clamped into the "
        "raw scale first).\n"
        "2. Within a category, each metric weighs *normalised weight x profile metric weight "
        "x source reliability*; its share is that over the category's sum.\n"
        "3. A category's score is the share-weighted mean of its normalised values.\n"
        "4. The profile's category weights are renormalised over the categories the film has "
        "data for; the total is the sum of weight x score."
    )
    st.dataframe(
        metrics[
            [
                "category",
                "metric_code",
                "source",
                "raw_value",
                "normalized_value",
                "is_clamped",
                "effective_weight",
                "share_of_category",
            ]
        ],
        hide_index=True,
    )
    st.dataframe(categories, hide_index=True)
    st.altair_chart(
        charts.bars(
            categories.dropna(subset=["contribution"]),
            "contribution:Q",
            "category:N",
            "contribution to the total score (0-1)",
            "category",
        ),
        width="stretch",
    )
    return score
