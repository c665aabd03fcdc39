"""Parsers of the sources that arrive as one file each (the vendored demo data by default).

One module per source system, each with `TABLES` and `parse(path=None)`; `registry.SOURCES`
lists them in the order the ingest assets are built.
"""
