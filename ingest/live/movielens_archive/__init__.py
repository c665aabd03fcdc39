"""MovieLens archives: `tables` (the raw-table contracts), `archive` (opening a zip, folder or
URL), `parsing` (movies, links and tags records typed), `loading` (ratings by monthly slice
and the snapshot tables, streamed)."""
