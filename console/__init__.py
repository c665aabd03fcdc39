"""The Cinegraph console: a Streamlit multipage app over the serving API (`cinegraph console`).

`app.py` is the script Streamlit runs; `screens/` holds one script per page (not `pages/`,
which Streamlit would also list in its sidebar on its own); `views.py` holds what each page
reads, without Streamlit, so the benchmark can time the same calls.
"""
