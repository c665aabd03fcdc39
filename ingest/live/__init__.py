"""Connectors to live sources a deployment configures: TMDb's API, the IMDb dataset dumps,
MovieLens archives (fetched and streamed in chunks) and Letterboxd exports (into app events).
"""
