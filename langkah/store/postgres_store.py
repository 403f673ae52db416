"""The PostgreSQL store: the same `CycleStore` as the embedded one, on a server many offices share.

Chosen by `--store postgresql://USER@HOST:PORT/DATABASE` (or LANGKAH_STORE); the tables are
created and upgraded by Langkah (langkah.store.pg_schema; docs/store-format.md, "PostgreSQL").
`PostgresStore` is put together from its parts, each in a module of its own:

- langkah.store.pg_connection: the pool, the retry of work whose connection was lost, and the
  errors (server down, wrong password, no such database, an exhausted pool) as StoreError
  naming the server;
- langkah.store.pg_locking: `exclusive` and the advisory lock keyed by each cycle;
- langkah.store.pg_reads: `load`, and what this object keeps of the logs it read or wrote;
- langkah.store.pg_writes: `create`, `append` (one action, one transaction: a lost race is the
  same ConflictError as on the embedded store) and `put_summary`;
- langkah.store.pg_listing: the listings and the overview's page, done in the database;
- langkah.store.pg_transfer: whole logs in and out (`langkah migrate`);
- langkah.store.pg_recover: `verify`, `check` and `recover`;
- langkah.store.pg_definitions and pg_drafts: the pinned definitions and the drafts;
- langkah.store.pg_changes: which cycles changed (polled, and pushed by LISTEN/NOTIFY);
- langkah.store.pg_rows, pg_json, pg_schema, pg_url: rows and SQL, exact JSONB, the tables and
  their migrations, the URL.

Events are stored as JSONB exactly as hashed (pg_json keeps what JSONB would refuse or change),
with their hash chain as on the embedded store, so `verify` and a printed verification code mean
the same on both.
"""

from __future__ import annotations

from langkah.store.pg_changes import PgChanges
from langkah.store.pg_definitions import PgDefinitions
from langkah.store.pg_drafts import PgDrafts
from langkah.store.pg_facts import PgFacts
from langkah.store.pg_listing import PgListing
from langkah.store.pg_recover import PgRecover
from langkah.store.pg_rows import DamagedRowError
from langkah.store.pg_transfer import PgTransfer
from langkah.store.pg_writes import PgWrites

__all__ = ["DamagedRowError", "PostgresStore"]


class PostgresStore(PgWrites, PgListing, PgTransfer, PgRecover, PgDefinitions, PgDrafts, PgChanges):
    """A `CycleStore` on a PostgreSQL database: see the module docstring."""

    def stats_facts(self) -> PgFacts:
        """langkah stats' kept facts, aggregated in SQL (langkah/store/pg_facts.py)."""
        return PgFacts(self)
