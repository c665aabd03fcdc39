"""People: person quality (PQS) by role, one person's as-of trajectory, and gravitas against
the films' outcomes with the OLS line."""

from __future__ import annotations

import streamlit as st

from console import charts, reads
from ml.people.config import ROLES
from serving import validation

st.title("People")
left, right = st.columns(2)
role = left.selectbox("Role", list(ROLES))
n = right.slider("People shown", 5, 100, 20, step=5)
top = reads.top_people(role, n)
st.subheader(f"Top {role}s by PQS")
st.dataframe(
    top,
    hide_index=True,
    column_config={"total_pqs": charts.share_column("PQS (0-1)", decimals=3)},
)

st.subheader("One person's PQS over time (as of each year)")
default = str(top["name"].iloc[0]) if not top.empty else ""
name = st.text_input("Person: a name, a person_id or an IMDb nm id", default, key="person")
try:
    found = reads.person(validation.text(name, "person"))
except (ValueError, LookupError) as exc:
    st.error(str(exc))
    found = []
for person in found:
    st.markdown(f"**{person.name}** (person_id {person.person_id})")
    if person.asof.empty:
        st.info("No as-of history for this person.")
        continue
    st.altair_chart(
        charts.lines(
            person.asof,
            "year:O",
            "total_pqs:Q",
            "year (as of its end)",
            "PQS (0-1)",
            color="role:N",
        ),
        width="stretch",
    )

st.subheader("Gravitas against outcome")
view = reads.gravitas()
fit = view.fit
st.caption(
    f"IMDb rating = {fit['intercept']:.2f} + {fit['slope']:.4f} x gravitas · "
    f"R² {fit['r_squared']:.3f} · {fit['n']} films · band: 95% confidence interval of the mean. "
    "The raw relation; the gravitas model also controls for era, budget and genres."
)
st.altair_chart(
    charts.scatter_with_fit(
        view.films, view.line, "as-of gravitas of the cast and crew (0-1)", "IMDb rating (1-10)"
    ),
    width="stretch",
)
