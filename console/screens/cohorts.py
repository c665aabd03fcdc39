"""Cohorts: rankings by cohort and strategy with filters, a film's histogram in each cohort,
consensus labels, how much the cohorts' top lists overlap, and where a cohort diverges."""

from __future__ import annotations

import streamlit as st

from console import charts, reads

st.title("Cohorts")
names, strategies = reads.cohort_choices()
first, second, third = st.columns(3)
cohort = first.selectbox("Cohort", names)
strategy = second.selectbox("Strategy", strategies, index=strategies.index("bayesian"))
top = third.slider("Films shown", 10, 200, 50, step=10)
years = st.slider("Release years", 1900, 2030, (1900, 2030))
view = reads.cohorts(cohort, strategy, top, years[0], years[1])

st.subheader(f"Top films of {cohort} ({strategy})")
st.dataframe(view.rankings, hide_index=True)

st.subheader("A film's ratings in each cohort")
if view.rankings.empty:
    st.info("No film in this slice.")
else:
    labels = dict(
        zip(
            view.rankings["film_id"],
            view.rankings["title"] + " (" + view.rankings["release_year"].astype(str) + ")",
            strict=True,
        )
    )
    film_id = st.selectbox("Film", list(labels), format_func=labels.get)
    histograms = reads.film_histograms(int(film_id))
    st.altair_chart(
        charts.bars(
            histograms,
            "stars:O",
            "share:Q",
            "rating (stars)",
            "share of the cohort's raters",
            color="cohort:N",
        ).encode(xOffset="cohort:N"),
        width="stretch",
    )

st.subheader("Consensus labels")
st.altair_chart(
    charts.bars(
        view.consensus,
        "films:Q",
        "consensus_label:N",
        "films (10 raters or more)",
        "consensus label",
    ),
    width="stretch",
)

st.subheader(f"Overlap of the cohorts' Top 100 ({strategy})")
pairs = view.overlap.rename_axis("cohort_a").reset_index()
pairs = pairs.melt(id_vars="cohort_a", var_name="cohort_b", value_name="jaccard")
st.altair_chart(
    charts.heatmap(
        pairs,
        "cohort_a:N",
        "cohort_b:N",
        "jaccard:Q",
        "cohort",
        "cohort",
        "Jaccard similarity (0-1)",
    ),
    width="stretch",
)

st.subheader("Where the cohort diverges from everyone")
if cohort == "all":
    st.info("Choose a cohort other than 'all' to see where it diverges from everyone.")
elif view.divergences.empty:
    st.info("No film with 10 raters or more differs between this cohort and everyone.")
else:
    st.dataframe(view.divergences, hide_index=True)
