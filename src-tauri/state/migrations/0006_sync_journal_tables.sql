-- The inserted rows of a sync, one row per table: the natural keys, primary keys and row
-- hashes packed as one JSON array of [key, pk, hash] in insertion order. A sync can insert
-- 100,000s of rows, and one store row each took half a second to write. Syncs journaled
-- before keep their rows in sync_journal, which is still read.
CREATE TABLE sync_journal_tables (
    sync_id    TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    at         TEXT NOT NULL,
    workspace  TEXT NOT NULL,
    env        TEXT NOT NULL,
    table_name TEXT NOT NULL,
    rows_json  TEXT NOT NULL,
    PRIMARY KEY (sync_id, seq)
);
