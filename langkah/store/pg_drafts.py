"""The PostgreSQL store's drafts: what a person typed but has not submitted, one per cycle."""

from __future__ import annotations

from typing import Any

from langkah.messages import say
from langkah.store.pg_connection import Connection
from langkah.store.pg_locking import PgLocking
from langkah.store.pg_rows import jsonb


class PgDrafts(PgLocking):
    """The drafts kept beside the cycles of a PostgreSQL store."""

    def save_draft(self, cycle_id: str, draft: dict[str, Any]) -> None:
        self._check_id(cycle_id)

        def work(conn: Connection, _: bool) -> None:
            with conn.transaction():
                self._lock_in_transaction(conn, cycle_id)
                conn.execute(
                    "INSERT INTO drafts (cycle_id, draft) VALUES (%s, %s) ON CONFLICT (cycle_id)"
                    " DO UPDATE SET draft = excluded.draft, saved_at = now()",
                    [cycle_id, jsonb(draft)],
                )

        self._run(work, say("pg.do.save_draft", cycle_id=cycle_id), cycle_id, write=True)

    def load_draft(self, cycle_id: str) -> dict[str, Any] | None:
        self._check_id(cycle_id)
        row = self._run(
            lambda conn, _: conn.execute(
                "SELECT draft FROM drafts WHERE cycle_id = %s", [cycle_id]
            ).fetchone(),
            say("pg.do.read_draft", cycle_id=cycle_id),
            cycle_id,
        )
        return row[0] if row is not None and isinstance(row[0], dict) else None

    def clear_draft(self, cycle_id: str) -> None:
        self._check_id(cycle_id)

        def work(conn: Connection, _: bool) -> None:
            with conn.transaction():
                self._lock_in_transaction(conn, cycle_id)
                conn.execute("DELETE FROM drafts WHERE cycle_id = %s", [cycle_id])

        self._run(work, say("pg.do.clear_draft", cycle_id=cycle_id), cycle_id, write=True)
