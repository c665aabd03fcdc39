"""Casting: a producer's brief in, the slate with probabilities, reason codes and alternates
out, and how well the model's probabilities are calibrated.

The brief's fields pass the same rules as `cinegraph slate`'s options (the CLI's argparse
types, which wrap `serving.validation`), so both refuse the same briefs with the same words.
"""

from __future__ import annotations

import argparse

import streamlit as st

from console import charts, reads
from console.connection import connection
from orchestration.cli.arguments import BUDGET, TEXT, YEAR
from orchestration.cli.casting import BILL_ORDER, SLATE_SIZE
from serving.casting import Brief, recommend, store_slate

st.title("Casting")
model, run, reliability = reads.casting_model()
era = model.data.era
st.caption(
    f"model run {run['run_id']} · trained on films to {model.params.train_cutoff_year} · "
    f"years {era.first_year + 1}-{era.last_year + 1}"
)

with st.form("brief"):
    first, second, third = st.columns(3)
    year = first.text_input("Release year", str(era.last_year + 1))
    budget = second.text_input("Budget (millions of dollars)", "40")
    genres = third.multiselect("Genres", list(era.known_genres), list(era.known_genres)[:1])
    fourth, fifth, sixth = st.columns(3)
    bill_order = fourth.text_input("Bill order (1 = lead)", "1")
    size = fifth.text_input("Slate size", "10")
    director = sixth.text_input("Director (optional)", "")
    submitted = st.form_submit_button("Recommend a slate", type="primary")


def parsed_brief() -> Brief:
    """The brief from the form; a field breaking its rule raises the CLI's message for it."""
    director_name = TEXT(director) if director.strip() else None
    return Brief(
        YEAR(year),
        BUDGET(budget),
        tuple(genres),
        BILL_ORDER(bill_order),
        SLATE_SIZE(size),
        director_name,
    )


if submitted:
    try:
        result = recommend(model, parsed_brief(), run["run_id"])
    except (argparse.ArgumentTypeError, ValueError, LookupError) as exc:
        st.error(str(exc))
    else:
        with connection() as conn:
            store_slate(conn, result, run)
        st.subheader("Slate")
        st.dataframe(
            result.slate[
                [
                    "rank",
                    "actor_name",
                    "p_cal",
                    "p_high",
                    "score",
                    "atr3",
                    "bfd",
                    "prior_roles",
                    "main_genre",
                ]
            ],
            hide_index=True,
            column_config={"p_cal": charts.share_column("p (calibrated)")},
        )
        for rank, name in zip(result.slate["rank"], result.slate["actor_name"], strict=True):
            reasons = result.reasons.loc[result.reasons["rank"] == rank, "reason"]
            others = result.alternates.loc[result.alternates["rank"] == rank, "alternate"]
            line = f"**{rank}. {name}**: " + "; ".join(reasons)
            if len(others):
                line += f"  \nif not {name}, consider " + ", ".join(others)
            st.markdown(line)
        outlook = result.manifest["director_outlook_p"]
        if outlook is not None:
            st.caption(f"director outlook ({result.brief.director}): p = {outlook:.2f}")

st.subheader("Reliability on the holdout")
st.altair_chart(charts.reliability(reliability), width="stretch")
st.caption(
    "Dashed: perfect calibration. p_cal is what the slate shows; p_base is before calibration."
)
