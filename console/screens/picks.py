"""My picks: what the companion has learned about a user's taste, their picks with reason,
confidence and source, like/dislike buttons that record feedback, and a box to tell it
something (conversation learning)."""

from __future__ import annotations

import streamlit as st

from console import charts, reads
from console.connection import connection
from ingest.feedback import Feedback, record_feedback
from orchestration.cli.companion import llm_config
from serving import companion

st.title("My picks")
users = reads.pick_users()
if not users:
    st.info("No user has picks yet: the companion's refresh has not run.")
    st.stop()
user = st.selectbox("User", users, key="user")
view = reads.picks(user)

st.subheader("What I've learned about your taste")
if view.taste.empty:
    st.info("Nothing learned yet: rate a few films or tell me something below.")
else:
    top = view.taste.head(15)
    st.altair_chart(
        charts.bars(
            top,
            "weight:Q",
            "value:N",
            "learned weight (negative = dislike)",
            "preference",
            color="origin:N",
        ),
        width="stretch",
    )

picks = view.picks
st.subheader("Today's picks")
if picks.fallback:
    st.warning(
        f"Your picks are {picks.status}: your taste cluster's favourites meanwhile; "
        "a refresh is queued."
    )
for row in picks.picks.itertuples():
    confidence = (
        "-"
        if row.confidence is None or row.confidence != row.confidence
        else (f"{row.confidence:.2f}")
    )
    text, like, dislike = st.columns([8, 1, 1])
    text.markdown(
        f"**{row.rank}. {row.title}** ({row.release_year})  \n{row.reason}  \n"
        f"confidence {confidence} · source {row.discovery_source}"
    )
    for column, kind, label in ((like, "liked", "Like"), (dislike, "disliked", "Dislike")):
        if column.button(label, key=f"{kind}_{user}_{row.film_id}", help=kind):
            context = {"surface": "console", "strategy": str(row.discovery_source)}
            with connection() as conn:
                record_feedback(conn, [Feedback(int(user), int(row.film_id), kind, None, context)])
            st.toast(f"recorded: you {kind} {row.title}")

st.subheader("Tell me something")
with st.form("tell", clear_on_submit=True):
    message = st.text_area("What did you like, or what do you want?", max_chars=2000)
    film = st.text_input("About a film (optional: a film_id or an exact title)")
    if st.form_submit_button("Tell"):
        try:
            with connection() as conn:
                told = companion.tell(conn, int(user), message, film.strip() or None, llm_config())
        except (ValueError, LookupError) as exc:
            st.error(str(exc))
        else:
            learned = told.extraction
            st.success(
                f"Stored as conversation {told.conversation_id} ({learned['conversation_type']}, "
                f"extractor {told.extractor}); your picks will refresh."
            )
            for preference in learned["preferences"]:
                sign = "+" if preference["polarity"] > 0 else "-"
                st.markdown(
                    f"- {sign}{preference['dimension']}: {preference['value']} "
                    f"(weight {preference['weight']:.2f})"
                )
