"""The PostgreSQL store's copies of whole logs, exactly as stored (`langkah migrate`)."""

from __future__ import annotations

from typing import Any

from langkah.messages import say
from langkah.store import pg_json
from langkah.store.base import StoredLog, StoreError
from langkah.store.chain import check_chain
from langkah.store.pg_connection import Connection, is_cycle_id
from langkah.store.pg_reads import PgReads
from langkah.store.pg_rows import (
    COPY_CYCLES,
    COPY_EVENTS,
    INSERT_CYCLE,
    INSERT_EVENT,
    columns,
    full_header,
    jsonb,
    static_header,
)

_CycleRow = tuple[Any, ...]  # the values of INSERT_CYCLE / COPY_CYCLES, summary and header last
_EventRow = tuple[str, int, Any, str]  # cycle id, seq, the event as stored, its hash


def _rows(log: StoredLog) -> tuple[_CycleRow, list[_EventRow]]:
    """The cycle row and event rows of a log (summary, header and events as Python values);
    StoreError if the log does not verify against its own hash chain."""
    check = check_chain(log.header, log.events)
    if check.problem or not check.chained or not log.events:
        why = check.problem or say("migrate.unchained")
        raise StoreError(say("migrate.not_imported", cycle_id=log.cycle_id, problem=why))
    static = static_header(log.header)
    cycle = (
        log.cycle_id,
        *columns(static, log.summary),
        len(log.events),
        check.head,
        log.summary,
        static,
    )
    events = [
        (log.cycle_id, seq, raw, digest)
        for seq, (raw, digest) in enumerate(zip(log.events, check.hashes, strict=True), start=1)
    ]
    return cycle, events


class PgTransfer(PgReads):
    """Whole logs in and out of a PostgreSQL store."""

    def export_cycle(self, cycle_id: str) -> StoredLog:
        self._check_id(cycle_id)
        _, _, header, summary, raw = self._read_checked(cycle_id)
        return StoredLog(cycle_id, header, raw, summary if isinstance(summary, dict) else {})

    def export_cycles(self, cycle_ids: list[str]) -> dict[str, StoredLog | StoreError]:
        """The cycles of `cycle_ids` this store holds, exactly as stored, in one query: each
        as `export_cycle` gives it, or the error it would raise (a cycle not held is left
        out)."""
        wanted = [c for c in cycle_ids if is_cycle_id(c)]
        rows = self._run(
            lambda conn, _: conn.execute(
                "SELECT c.id, c.version, c.head, c.header, c.summary,"
                " coalesce((SELECT jsonb_agg(e.event ORDER BY e.seq) FROM events e"
                " WHERE e.cycle_id = c.id), '[]'::jsonb)"
                " FROM cycles c WHERE c.id = ANY(%s)",
                [wanted],
            ).fetchall(),
            say("pg.do.read_cycles"),
        )
        found: dict[str, StoredLog | StoreError] = {}
        for cycle_id, version, head, header, summary, raw in rows:
            try:
                self._schema(cycle_id, header)
            except StoreError as error:
                found[cycle_id] = error
                continue
            found[cycle_id] = StoredLog(
                cycle_id,
                full_header(header, version, head),
                list(raw),
                summary if isinstance(summary, dict) else {},
            )
        return found

    def import_cycle(self, log: StoredLog) -> None:
        """Store a log exactly as given (one transaction): StoreError if the cycle exists or
        the log does not verify against its own hash chain."""
        cycle_id = log.cycle_id
        self._check_id(cycle_id)
        cycle, events = _rows(log)

        def work(conn: Connection, _: bool) -> None:
            with conn.transaction():
                self._lock_in_transaction(conn, cycle_id)
                values = [*cycle[:-2], jsonb(cycle[-2]), jsonb(cycle[-1])]
                if not conn.execute(INSERT_CYCLE, values).rowcount:
                    raise self._exists(cycle_id)
                with conn.cursor() as cursor:
                    cursor.executemany(INSERT_EVENT, [(*e[:2], jsonb(e[2]), e[3]) for e in events])

        self._run(work, say("pg.do.import_one", cycle_id=cycle_id), cycle_id, write=True)

    def import_cycles(self, logs: list[StoredLog]) -> None:
        """Store several logs exactly as given in one transaction, all or none (`langkah
        migrate`, a batch at a time): the cycle rows and the event rows go in by COPY.
        StoreError, and nothing stored, if any log does not verify against its own hash
        chain or any of the cycles exists already."""
        cycle_rows: list[_CycleRow] = []
        event_rows: list[_EventRow] = []
        for log in logs:
            self._check_id(log.cycle_id)
            cycle, events = _rows(log)
            encode = pg_json.encode
            cycle_rows.append((*cycle[:-2], encode(cycle[-2]), encode(cycle[-1])))
            event_rows.extend((*e[:2], encode(e[2]), e[3]) for e in events)

        def work(conn: Connection, _: bool) -> None:
            with conn.transaction(), conn.cursor() as cursor:
                with cursor.copy(COPY_CYCLES) as copy:
                    for row in cycle_rows:
                        copy.write_row(row)
                with cursor.copy(COPY_EVENTS) as copy:
                    for row in event_rows:
                        copy.write_row(row)

        if cycle_rows:
            self._run(work, say("pg.do.import_many", count=len(cycle_rows)), write=True)

    def finish_import(self) -> None:
        """After a migrate: the planner's statistics of the rows copied, and the cycles' pages
        marked all-visible (a filtered page's total is counted from an index alone then);
        autovacuum would do both only later."""

        def work(conn: Connection, _: bool) -> None:
            conn.execute("VACUUM (ANALYZE) cycles")  # autocommit: outside a transaction
            conn.execute("ANALYZE events")

        self._run(work, say("pg.do.table_statistics"), write=True)
