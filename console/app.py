"""The script `streamlit run` starts (`cinegraph console` does it): the page menu, and one
clear message instead of a traceback when the warehouse is down or not built yet."""

from __future__ import annotations

from pathlib import Path

import psycopg2.errors
import streamlit as st

from console.connection import WarehouseUnreachable

PAGES = Path(__file__).resolve().parent / "screens"

st.set_page_config(page_title="Cinegraph console", layout="wide")
page = st.navigation(
    [
        st.Page(PAGES / "films.py", title="Films", url_path="films", default=True),
        st.Page(PAGES / "metrics_admin.py", title="Metrics admin", url_path="metrics"),
        st.Page(PAGES / "people.py", title="People", url_path="people"),
        st.Page(PAGES / "cohorts.py", title="Cohorts", url_path="cohorts"),
        st.Page(PAGES / "casting.py", title="Casting", url_path="casting"),
        st.Page(PAGES / "picks.py", title="My picks", url_path="picks"),
    ]
)
try:
    page.run()
except WarehouseUnreachable as exc:
    st.error(str(exc))
except psycopg2.errors.UndefinedTable as exc:
    st.error(
        f"The warehouse is not built yet ({exc.diag.message_primary}): "
        "run `cinegraph materialize`, then reload this page."
    )
