"""The PostgreSQL store's tables, created and upgraded by Langkah itself (docs/store-format.md,
"PostgreSQL").

`MIGRATIONS[n - 1]` takes a database from schema n-1 to n; `langkah_schema` records each one
applied (version, when, what). `ensure_schema` runs on every open: under a transaction-level
advisory lock (two processes opening a new database at once apply each migration once), it
applies the missing ones in order, each in the same transaction as its row in `langkah_schema`,
and refuses a database that a newer Langkah set up.
"""

from __future__ import annotations

from typing import Any

from langkah.messages import say
from langkah.store.base import StoreError
from langkah.store.pg_facts import (
    FACTS_DDL,
    FACTS_DESCRIPTION,
    FACTS_V5_DDL,
    FACTS_V5_DESCRIPTION,
    FACTS_V8_DDL,
    FACTS_V8_DESCRIPTION,
    FACTS_V9_DDL,
    FACTS_V9_DESCRIPTION,
    FACTS_V10_DDL,
    FACTS_V10_DESCRIPTION,
    FACTS_V11_DDL,
    FACTS_V11_DESCRIPTION,
)
from langkah.store.pg_working_time import WORKING_TIME_DDL, WORKING_TIME_DESCRIPTION

_MIGRATION_LOCK = 0x4C414E474B4148  # "LANGKAH": the advisory lock key of schema changes

_V1 = """
CREATE SEQUENCE langkah_change;

CREATE TABLE cycles (
    id           text PRIMARY KEY,
    sop_id       text NOT NULL,
    kecamatan    text NOT NULL DEFAULT '',
    period       text NOT NULL DEFAULT '',
    status       text NOT NULL DEFAULT '',
    current_step integer NULL,
    due_at       timestamptz NULL,
    version      integer NOT NULL CHECK (version >= 1),
    head         text NOT NULL,
    summary      jsonb NOT NULL,
    header       jsonb NOT NULL,
    change_no    bigint NOT NULL DEFAULT nextval('langkah_change')
);
CREATE INDEX cycles_change_no ON cycles (change_no);
CREATE INDEX cycles_status_due ON cycles (status, due_at);

CREATE TABLE events (
    cycle_id text NOT NULL REFERENCES cycles (id),
    seq      integer NOT NULL CHECK (seq >= 1),
    event    jsonb NOT NULL,
    hash     text NOT NULL,
    PRIMARY KEY (cycle_id, seq)
);

CREATE TABLE definitions (
    digest text PRIMARY KEY,
    text   text NOT NULL
);

CREATE TABLE drafts (
    cycle_id text PRIMARY KEY,
    draft    jsonb NOT NULL,
    saved_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE damaged_cycles (
    aside_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cycle_id    text NOT NULL,
    set_aside_at timestamptz NOT NULL DEFAULT now(),
    reason      text NOT NULL,
    cycle_row   jsonb NOT NULL,
    events      jsonb NOT NULL
);
CREATE INDEX damaged_cycles_cycle ON damaged_cycles (cycle_id);

-- The event log and the pinned definitions are append-only: UPDATE, DELETE and TRUNCATE are
-- refused. `langkah repair` alone may delete the events it cannot keep, after copying the
-- whole cycle into damaged_cycles, in a transaction that sets langkah.repair = 'on'.
CREATE FUNCTION langkah_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'events'
            AND current_setting('langkah.repair', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'langkah: % on %.% refused: it is append-only',
        TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION langkah_append_only();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION langkah_append_only();
CREATE TRIGGER definitions_append_only BEFORE UPDATE OR DELETE ON definitions
    FOR EACH ROW EXECUTE FUNCTION langkah_append_only();
CREATE TRIGGER definitions_no_truncate BEFORE TRUNCATE ON definitions
    FOR EACH STATEMENT EXECUTE FUNCTION langkah_append_only();
"""

CHANNEL_PREFIX = "langkah_cycles_"


def channel(schema: str) -> str:
    """The NOTIFY channel of the cycles of `schema` (channels are per database, so two
    schemas of one database must not hear each other); as the trigger below names it."""
    return (CHANNEL_PREFIX + schema)[:63]


# Every committed write of a cycle row (create, append, put_summary, import, repair) tells the
# listeners of its schema which cycle: the notification is sent at commit, never for a
# rollback, and repeats of one id in one transaction are sent once.
_V2 = f"""
CREATE FUNCTION langkah_notify_cycle() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify(left('{CHANNEL_PREFIX}' || TG_TABLE_SCHEMA, 63), NEW.id);
    RETURN NULL;
END
$$;
CREATE TRIGGER cycles_notify AFTER INSERT OR UPDATE ON cycles
    FOR EACH ROW EXECUTE FUNCTION langkah_notify_cycle();
"""

# The overview's page in index order (langkah.store.pg_listing): open and ended cycles each by
# due time then id (one of the two takes each row version: no more index writes per action
# than the index it replaces), the stale summaries (normally none: an empty index), the
# filters' columns (a filtered count reads this index alone; kecamatan first: their distinct
# values are read by skipping through it) and the periods (the same).
_V3 = """
DROP INDEX cycles_status_due;
CREATE INDEX cycles_open_due ON cycles (due_at, id COLLATE "C")
    WHERE status IN ('active', 'paused');
CREATE INDEX cycles_ended_due ON cycles (due_at, id COLLATE "C")
    WHERE status NOT IN ('active', 'paused');
CREATE INDEX cycles_stale ON cycles (id COLLATE "C")
    WHERE NOT (summary ? 'due_at') OR summary->>'version' IS DISTINCT FROM version::text
        OR summary->>'head' IS DISTINCT FROM head;
CREATE INDEX cycles_filters ON cycles (kecamatan, period, status, sop_id, due_at);
CREATE INDEX cycles_period ON cycles (period);
CREATE STATISTICS cycles_unit_words ON (lower(kecamatan)) FROM cycles;
CREATE STATISTICS cycles_period_words ON (lower(period)) FROM cycles;
ANALYZE cycles;
"""

# An append changes the cycle row's version; its transaction no longer notifies: PostgreSQL
# serialises the commits of notifying transactions (the database's notify lock is held through
# the commit's WAL flush), which made 8 concurrent writers wait for each other's fsync. The
# writer notifies right after its commit instead (pg_writes, pg_recover: `_tell`); every other
# write of a cycle row (create, import, summary, repair marks) still notifies in its transaction.
_V5 = """
DROP TRIGGER cycles_notify ON cycles;
CREATE TRIGGER cycles_notify_insert AFTER INSERT ON cycles
    FOR EACH ROW EXECUTE FUNCTION langkah_notify_cycle();
CREATE TRIGGER cycles_notify_update AFTER UPDATE ON cycles
    FOR EACH ROW WHEN (OLD.version = NEW.version) EXECUTE FUNCTION langkah_notify_cycle();
"""

MIGRATIONS: list[tuple[str, str]] = [
    ("cycles, events (append-only), definitions, drafts, damaged_cycles", _V1),
    ("cycles_notify: NOTIFY langkah_cycles_<schema> with the cycle id on every write", _V2),
    ("the overview's indexes: open/ended by due time, stale summaries, filters, period", _V3),
    (FACTS_DESCRIPTION, FACTS_DDL),  # 4: langkah/store/pg_facts.py
    ("appends notify after their commit, not in it (cycles_notify_insert, _update)", _V5),
    (FACTS_V5_DESCRIPTION, FACTS_V5_DDL),  # 6: langkah/store/pg_facts.py
    (WORKING_TIME_DESCRIPTION, WORKING_TIME_DDL),  # 7: langkah/store/pg_working_time.py
    (FACTS_V8_DESCRIPTION, FACTS_V8_DDL),  # 8: langkah/store/pg_facts.py
    (FACTS_V9_DESCRIPTION, FACTS_V9_DDL),  # 9: langkah/store/pg_facts.py
    (FACTS_V10_DESCRIPTION, FACTS_V10_DDL),  # 10: langkah/store/pg_facts.py
    (FACTS_V11_DESCRIPTION, FACTS_V11_DDL),  # 11: langkah/store/pg_facts.py
]
LATEST = len(MIGRATIONS)


def ensure_schema(conn: Any, where: str) -> int:
    """Bring the database of `conn` (autocommit off or on) to schema LATEST; returns the
    version found before. StoreError if a newer Langkah set it up."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", [_MIGRATION_LOCK])
        conn.execute(
            "CREATE TABLE IF NOT EXISTS langkah_schema ("
            " version integer PRIMARY KEY,"
            " applied_at timestamptz NOT NULL DEFAULT now(),"
            " description text NOT NULL)"
        )
        row = conn.execute("SELECT coalesce(max(version), 0) FROM langkah_schema").fetchone()
        found = int(row[0]) if row else 0
        if found > LATEST:
            raise StoreError(say("store.newer_database", where=where, found=found, latest=LATEST))
        for version in range(found + 1, LATEST + 1):
            description, sql = MIGRATIONS[version - 1]
            conn.execute(sql)
            conn.execute(
                "INSERT INTO langkah_schema (version, description) VALUES (%s, %s)",
                [version, description],
            )
    return found
