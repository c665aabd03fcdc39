-- Rows the parsers could not use, with the reason, per source table and file. The raw tables
-- themselves follow their contracts in ingest/schema.py (ingest.loader.ensure_table).
create table if not exists raw._rejects (
    source text not null,
    source_file text not null,
    row_number integer not null,
    raw_text text,
    reason text not null,
    _loaded_at timestamptz not null default now()
);
