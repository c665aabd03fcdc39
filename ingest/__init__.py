"""Source connectors and parsers: plain Python, no Dagster imports."""
