"""Films: a profile's leaderboard with its coverage, one film's score explained step by
step, and the film's metric history."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from console import charts, reads
from console.explain import show_explained
from console.views import DEFAULT_MIN_COVERAGE, DEFAULT_PROFILE

st.title("Films")
profiles = reads.profiles()
left, middle, right = st.columns(3)
profile = left.selectbox("Weight profile", profiles, index=profiles.index(DEFAULT_PROFILE))
limit = middle.slider("Films shown", 10, 200, 50, step=10)
min_coverage = right.slider(
    "Minimum available coverage",
    0.0,
    1.0,
    DEFAULT_MIN_COVERAGE,
    step=0.05,
    help="The share of the profile's weight, among the metrics this deployment feeds, that "
    "the film has data for. The board is ordered by the ranked score, which already "
    "shrinks thinly covered films towards the profile's prior.",
)

view = reads.films(profile, limit, min_coverage)
st.subheader(f"Leaderboard: {profile}")
st.dataframe(
    view.board,
    hide_index=True,
    column_config={
        "weight_coverage": charts.share_column("weight coverage"),
        "available_coverage": charts.share_column("available coverage"),
        "ranked_score": st.column_config.NumberColumn("ranked score (0-1)", format="%.3f"),
        "total_score": st.column_config.NumberColumn("total score (0-1)", format="%.3f"),
    },
)

st.subheader("One film's score, step by step")
default_film = str(view.board["film_id"].iloc[0]) if not view.board.empty else ""
film = st.text_input(
    "Film: a film_id, an IMDb id (tt...), a title or 'Title (year)'", default_film, key="film"
)
score = show_explained(film, profile)

if score is not None:
    st.subheader(f"Metric history: {score.title}")
    history = reads.metric_history(score.film_id)
    if history.empty:
        st.info("No observation of this film in the metric time series yet.")
    else:
        history = history.assign(time=pd.to_datetime(history["time"], utc=True))
        st.altair_chart(
            charts.lines(
                history,
                "time:T",
                "normalized_value:Q",
                "observed at (UTC)",
                "normalised value (0-1)",
                color="metric_code:N",
            ),
            width="stretch",
        )
