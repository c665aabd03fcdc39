"""TMDb (API v3): `tables` (the raw-table contracts), `client` (cached, rate-limited,
retrying HTTP), `parsing` (JSON to typed frames and rejects), `loading` (snapshots and the
details backlog into the warehouse)."""
