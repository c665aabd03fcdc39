"""Sources into the warehouse, plain Python, no Dagster imports.

`files/` parses the one-file sources, `live/` holds the connectors to live sources; the
modules here are what both share: the raw-table contract (`schema`), typing and rejects
(`parsing`), the transactional loader (`loader`, `streaming`), HTTP (`http`), the sources
configuration (`config`), the connectors' raw tables (`connectors`) and the app's own
rating events (`app_events`).
"""
