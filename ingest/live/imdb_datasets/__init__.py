"""IMDb's non-commercial datasets: `tables` (the raw-table contracts and the files that feed
them), `reading` (a local or remote .tsv.gz as text), `parsing` (one conversion per file),
`loading` (the five files streamed into their tables, filtered to the kept titles)."""
