"""The warehouse's own plumbing, shared by ingest/, ml/, orchestration/ and serving code: `io`
(frames in and out: COPY and `read_frame`) and `catalog` (the non-dbt tables, created by
versioned migrations at bootstrap). Imports neither Dagster nor dbt."""
