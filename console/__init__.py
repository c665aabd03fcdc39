"""The Cinegraph console: a Streamlit multipage app over the serving API (`cinegraph console`).

`app.py` is the script Streamlit runs; `pages/` holds one script per page; `views.py` holds
what each page reads, without Streamlit, so the benchmark can time the same calls.
"""
