"""One module per domain; each exposes a small `defs` that `orchestration.definitions` merges."""
