"""The PostgreSQL store's checks and repair of stored cycles: `verify`, `check`, `recover`."""

from __future__ import annotations

import contextlib
from typing import Any

from langkah.messages import Text, say, text_of
from langkah.store.base import (
    SCHEMA_VERSION,
    DamagedStoreError,
    Rebuild,
    Recovery,
    recovery_text,
    salvage,
)
from langkah.store.chain import ChainCheck, check_chain
from langkah.store.pg_connection import Connection
from langkah.store.pg_reads import PgReads
from langkah.store.pg_rows import column_text, jsonb


class PgRecover(PgReads):
    """Checking and repairing the cycles of a PostgreSQL store."""

    def cleanup(self) -> int:
        """Nothing to remove: a killed writer's transaction is rolled back by the server and its
        advisory locks end with its connection."""
        return 0

    def verify(self, cycle_id: str) -> ChainCheck:
        self._check_id(cycle_id)
        _, _, header, _, raw = self._read_checked(cycle_id)
        return check_chain(header, raw)

    def upgrade(self, cycle_id: str) -> bool:
        """False: every log in a PostgreSQL store has its hash chain (`langkah migrate` adds
        it to a schema-1 log as it copies it)."""
        if not self.has_cycle(cycle_id):
            raise self._not_found(cycle_id)
        return False

    def check(self, cycle_id: str) -> DamagedStoreError | None:
        try:
            self.load(cycle_id)
        except DamagedStoreError as error:
            return error
        return None

    def recover(self, cycle_id: str, rebuild: Rebuild) -> Recovery:
        """Set a damaged cycle's rows aside in `damaged_cycles`, then keep what can be recovered.

        1. The cycle's row and every event row, as stored, are copied into `damaged_cycles`
           (reused if an identical copy is there: a second run adds nothing).
        2. Events that can be read are salvaged; what is kept follows the rule both backends
           share (langkah.store.base.salvage: the chain picks the events, `rebuild` says how
           many replay).
        3. In the same transaction (with langkah.repair on, the one case the append-only
           trigger lets events be deleted), the events not kept are deleted and the cycle row
           gets the kept log's version, head and rebuilt summary; a cycle with no readable first
           event is removed whole. Nothing is lost: the aside copy holds every row.
        """
        self._check_id(cycle_id)
        address = self._address(cycle_id)

        def work(conn: Connection, _: bool) -> Recovery:
            with conn.transaction():
                self._lock_in_transaction(conn, cycle_id)
                try:
                    self._record(cycle_id, *self._read(conn, cycle_id)[:5])
                except DamagedStoreError as error:
                    problem = text_of(error)
                    if not error.repairable:
                        return Recovery(cycle_id, address, "newer", recovery_text("newer", problem))
                else:
                    return Recovery(cycle_id, address, "ok", say("repair.ok"))
                return self._salvage(conn, cycle_id, problem, rebuild)

        result = self._run(work, say("pg.do.repair", cycle_id=cycle_id), cycle_id, write=True)
        self._forget(cycle_id)
        if result.outcome not in ("ok", "newer"):  # its row's version changed, or it is gone
            self._tell(cycle_id)
        return result

    def _salvage(
        self, conn: Connection, cycle_id: str, problem: Text, rebuild: Rebuild
    ) -> Recovery:
        """`recover`'s steps 1-3 for a cycle that does not load (in its transaction)."""
        address = self._address(cycle_id)
        cycle_row = conn.execute(
            "SELECT to_jsonb(c) FROM cycles c WHERE id = %s", [cycle_id]
        ).fetchone()
        event_rows = conn.execute(
            "SELECT seq, event, hash FROM events WHERE cycle_id = %s ORDER BY seq", [cycle_id]
        ).fetchall()
        from pydantic import ValidationError

        from langkah.engine.events import Event

        found: list[tuple[Event, dict[str, Any]]] = []
        for _, raw, _ in event_rows:
            with contextlib.suppress(ValidationError, TypeError, AttributeError):
                plain = {k: v for k, v in raw.items() if k != "prev"}
                found.append((Event.from_json(plain), raw))
        old = cycle_row[0].get("header") if cycle_row else None
        plan = salvage(cycle_id, found, old if isinstance(old, dict) else {}, rebuild)
        aside_rows = [cycle_row[0] if cycle_row else {}, [list(r) for r in event_rows]]
        if not plan.kept:
            aside = self._set_aside(conn, cycle_id, problem, aside_rows)
            conn.execute("SET LOCAL langkah.repair = 'on'")
            conn.execute("DELETE FROM events WHERE cycle_id = %s", [cycle_id])
            conn.execute("DELETE FROM cycles WHERE id = %s", [cycle_id])
            return Recovery(
                cycle_id,
                address,
                "unrecoverable",
                recovery_text("unrecoverable", problem, say("repair.rows_aside", aside=aside)),
                aside=aside,
                found=plan.found,
            )
        if plan.failure is not None:
            return Recovery(
                cycle_id,
                address,
                "failed",
                recovery_text("failed", problem, plan.failure),
                found=plan.found,
            )
        aside = self._set_aside(conn, cycle_id, problem, aside_rows)
        chain = check_chain({"schema": SCHEMA_VERSION}, [raw for _, raw in plan.kept])
        head, version = chain.head, len(plan.kept)
        summary = {**plan.summary, "version": version, "head": head}
        static = {**plan.header, "schema": SCHEMA_VERSION}
        conn.execute("SET LOCAL langkah.repair = 'on'")
        conn.execute("DELETE FROM events WHERE cycle_id = %s AND seq > %s", [cycle_id, version])
        conn.execute(
            "UPDATE cycles SET version = %s, head = %s, summary = %s, header = %s,"
            " change_no = nextval('langkah_change') WHERE id = %s",
            [version, head, jsonb(summary), jsonb(static), cycle_id],
        )
        return Recovery(
            cycle_id,
            address,
            "recovered",
            plan.kept_message(problem, say("repair.rows_aside", aside=aside), aside),
            aside=aside,
            found=plan.found,
            kept=version,
        )

    def _set_aside(self, conn: Connection, cycle_id: str, reason: Text, rows: list[Any]) -> str:
        """Copy a cycle's rows into damaged_cycles (an identical copy there is reused)."""
        cycle_row, events = jsonb(rows[0]), jsonb(rows[1])
        existing = conn.execute(
            "SELECT aside_id FROM damaged_cycles WHERE cycle_id = %s AND cycle_row = %s"
            " AND events = %s ORDER BY aside_id LIMIT 1",
            [cycle_id, cycle_row, events],
        ).fetchone()
        if existing is None:
            existing = conn.execute(
                "INSERT INTO damaged_cycles (cycle_id, reason, cycle_row, events)"
                " VALUES (%s, %s, %s, %s) RETURNING aside_id",
                [cycle_id, column_text(str(reason)), cycle_row, events],
            ).fetchone()
        aside_id = existing[0] if existing else "?"
        return f"{self.location}#damaged_cycles/{aside_id}"
