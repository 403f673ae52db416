"""The PostgreSQL store's writes of one cycle: `create`, `append` and `put_summary`.

One action is one transaction: the event rows are inserted only with the update of the cycle
row `WHERE version = <expected> AND head = <expected head>` (one statement), under the cycle's
advisory lock; a lost race is the same ConflictError as on the embedded store. The commit
returns once it is durable (synchronous_commit is on).

In the common case (this object read or wrote the log last) an append is one round trip: the
lock, the statement and the commit are pipelined. Otherwise (or when that statement finds the
row moved on) the row is read in the transaction first, and the log checked, as below.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from langkah.engine.chain_hash import GENESIS, event_hash
from langkah.messages import say
from langkah.store.base import SCHEMA_VERSION, ConflictError, CycleRecord, IntegrityError
from langkah.store.pg_connection import Connection
from langkah.store.pg_definitions import PgDefinitions
from langkah.store.pg_locking import Block
from langkah.store.pg_rows import (
    INSERT_CYCLE,
    INSERT_EVENT,
    SET_SUMMARY,
    chained,
    columns,
    jsonb,
    static_header,
    summary_params,
)

if TYPE_CHECKING:  # (the engine's model: not imported by `langkah stats`' lean path)
    from langkah.engine.events import Event

# an optimistic block's append also requires the event rows and the pinned definition's row
# to be the ones its `load` was given (pg_locking)
_UNCHANGED = (
    " AND (SELECT (count(*), coalesce(max(e.xmin::text::bigint), 0)) FROM events e"
    " WHERE e.cycle_id = cycles.id) = (%s::bigint, %s::bigint)"
    " AND (SELECT d.xmin::text FROM definitions d"
    " WHERE d.digest = cycles.header->>'definition_digest') IS NOT DISTINCT FROM %s"
)


@functools.cache
def _append_query(events: int, unchanged: bool) -> str:
    """The text of `_append_statement` for `events` event rows, with _UNCHANGED or not (the
    same few texts every time: made once)."""
    update = (
        f"UPDATE cycles SET version = %s, head = %s, {SET_SUMMARY}"
        " WHERE id = %s AND version = %s AND head = %s AND EXISTS (SELECT FROM lk)"
        + (_UNCHANGED if unchanged else "")
        + " RETURNING id"
    )
    locked = "WITH lk AS (SELECT pg_advisory_xact_lock(%s))"
    if not events:
        return f"{locked} {update}"
    values = ", ".join(["(%s::integer, %s::jsonb, %s::text)"] * events)
    return (
        f"{locked}, up AS ({update}) INSERT INTO events (cycle_id, seq, event, hash)"
        f" SELECT up.id, v.seq, v.event, v.hash FROM up, (VALUES {values})"
        " AS v (seq, event, hash) RETURNING xmin::text::bigint"
    )


def _append_statement(
    key: int,
    cycle_id: str,
    version: int,
    head: str,
    rows: list[tuple[int, Any, str]],
    summary: dict[str, Any],
    unchanged: list[Any] | None,
) -> tuple[str, list[Any]]:
    """The one statement of an append, its own transaction in autocommit: the cycle's
    transaction lock (`key`; granted at once to a session holding its session lock), then the
    cycle row updated where it still has `version` and `head` (and, `unchanged` given, the
    event rows and definition of _UNCHANGED), and the event `rows` inserted only with it; it
    returns one row per event inserted (their `xmin`), or the cycle's id when `rows` is
    empty."""
    new_version, new_head = version + len(rows), rows[-1][2] if rows else head
    params: list[Any] = [key, new_version, new_head, *summary_params({}, summary)]
    params += [cycle_id, version, head, *(unchanged or [])]
    query = _append_query(len(rows), unchanged is not None)
    return query, params + [item for row in rows for item in row]


class PgWrites(PgDefinitions):
    """Writing one cycle of a PostgreSQL store."""

    def create(
        self, cycle_id: str, header: dict[str, Any], first: Event, summary: dict[str, Any]
    ) -> None:
        self._check_id(cycle_id)
        stored = {**first.to_json(), "prev": GENESIS}
        head = event_hash(stored)
        summary = {**summary, "version": 1, "head": head}
        static = {**static_header(header), "schema": SCHEMA_VERSION}

        def work(conn: Connection, retry: bool) -> None:
            with conn.transaction():
                self._lock_in_transaction(conn, cycle_id)
                inserted = conn.execute(
                    INSERT_CYCLE,
                    [cycle_id, *columns(static, summary), 1, head, jsonb(summary), jsonb(static)],
                ).rowcount
                if not inserted:
                    if retry and self._stored_ids(conn, cycle_id, 1, 1) == [first.id]:
                        return  # the lost connection had created it
                    raise self._exists(cycle_id)
                conn.execute(INSERT_EVENT, [cycle_id, 1, jsonb(stored), head])

        self._run(work, say("pg.do.create", cycle_id=cycle_id), cycle_id, write=True)
        self._remember(cycle_id, 1, head, None)

    @staticmethod
    def _stored_ids(conn: Connection, cycle_id: str, first: int, last: int) -> list[Any]:
        rows = conn.execute(
            "SELECT event->>'id' FROM events WHERE cycle_id = %s AND seq BETWEEN %s AND %s"
            " ORDER BY seq",
            [cycle_id, first, last],
        ).fetchall()
        return [row[0] for row in rows]

    def append(
        self, cycle_id: str, expected_version: int, events: list[Event], summary: dict[str, Any]
    ) -> int:
        self._check_id(cycle_id)
        block = self._block(cycle_id)
        optimistic = block is not None and block.optimistic
        prepared = block is not None and block.prepared
        doing = say("pg.do.save", cycle_id=cycle_id)
        # on this thread's block connection if it holds one, else a pooled one (no lock taken)
        lockless = block is not None and block.lockless

        def at_once(conn: Connection, retry: bool) -> tuple[bool, int | None]:
            if retry:
                return True, None
            done = self._append_at_once(
                conn, cycle_id, expected_version, events, summary, optimistic
            )
            if done is not None and lockless and block is not None:
                block.tell = self._send_tell(conn, cycle_id)
            return False, done

        lost, done = self._run(at_once, doing, write=True)
        if done is not None:
            if block is not None and not lost and not lockless:
                # its one autocommit statement alone ran on the block's connection: nothing
                # that deallocates the lock statements (pg_connection, LOCK_STATEMENTS)
                block.prepared = prepared
            if not (lockless and block is not None and block.tell):
                self._told_later(cycle_id, block)
            return done
        if block is not None and optimistic:  # what its load was given changed: read again,
            self._forget(cycle_id)  # under the lock from now on
            block.optimistic = False

        def work(conn: Connection, retry: bool) -> int:
            with conn.transaction():
                return self._append_read_first(
                    conn, cycle_id, expected_version, events, summary, retry or lost
                )

        version = self._run(work, doing, cycle_id, write=True)
        self._told_later(cycle_id, self._block(cycle_id))
        return version

    def _told_later(self, cycle_id: str, block: Block | None) -> None:
        """An append committed: its listeners are told with the block's unlock (no round
        trip of its own), or now when it was made outside a block (pg_schema, migration 5)."""
        if block is not None and not block.lockless:
            block.tell = True
        else:
            self._tell(cycle_id)

    def _append_read_first(
        self,
        conn: Connection,
        cycle_id: str,
        expected_version: int,
        events: list[Event],
        summary: dict[str, Any],
        retry: bool,
    ) -> int:
        """The append in a transaction that reads the cycle row first (under the lock): a
        ConflictError names the version found, an IntegrityError what does not verify; on a
        `retry`, an append the lost connection had committed is recognised."""
        self._lock_in_transaction(conn, cycle_id)
        row = conn.execute(
            "SELECT version, head, header FROM cycles WHERE id = %s", [cycle_id]
        ).fetchone()
        if row is None:
            raise self._not_found(cycle_id)
        version, head, header = int(row[0]), str(row[1]), row[2]
        self._schema(cycle_id, header)
        if version != expected_version:
            if (
                retry
                and version == expected_version + len(events)
                and self._stored_ids(conn, cycle_id, expected_version + 1, version)
                == [e.id for e in events]
            ):
                return version  # the lost connection had committed this very append
            raise ConflictError(cycle_id, expected_version, version)
        problem = self._integrity(conn, cycle_id, version, head, header)
        digest = header.get("definition_digest") if isinstance(header, dict) else None
        if problem is None and isinstance(digest, str) and digest not in self._definition_checks:
            problem = self.definition_problem(digest)  # an optimistic block's was dropped
        if problem is not None:
            raise IntegrityError(cycle_id, problem)
        for offset, event in enumerate(events, start=1):
            if event.seq != version + offset:
                raise ConflictError(cycle_id, event.seq - offset, version)
        rows, new_head = chained(events, head)
        full = {**summary, "version": version + len(events), "head": new_head}
        query, params = _append_statement(
            self._key(cycle_id), cycle_id, version, head, rows, full, None
        )
        if conn.execute(query, params, prepare=True).rowcount != max(len(rows), 1):
            raise ConflictError(cycle_id, expected_version, version)
        self._remember(cycle_id, version + len(events), new_head, None)
        return version + len(events)

    def _append_at_once(
        self,
        conn: Connection,
        cycle_id: str,
        expected_version: int,
        events: list[Event],
        summary: dict[str, Any],
        optimistic: bool,
    ) -> int | None:
        """The append in one round trip, when this object knows the log is at
        `expected_version` with a head it verified (it just loaded or wrote it): the append's
        statement alone (`_append_statement`). The new version, or None when the row
        had moved on (or, in an optimistic block, the log or definition its load was given
        changed): nothing was changed, and the caller reads the row to find out why."""
        known = self._verified.get(cycle_id)
        if known is None or known[0] != expected_version or known[2] is not None:
            return None
        if [e.seq for e in events] != list(
            range(expected_version + 1, expected_version + len(events) + 1)
        ):
            return None
        kept = self._logs.get(cycle_id)
        if kept is not None and kept[0][:2] != known[:2]:
            kept = None
        unchanged = None
        if optimistic:
            if kept is None:
                return None
            digest = kept[1].header.get("definition_digest")
            check = self._definition_checks.get(digest) if isinstance(digest, str) else None
            unchanged = [kept[0][2], kept[0][3], check[0] if check else None]
        rows, head = chained(events, known[1])
        full = {**summary, "version": expected_version + len(events), "head": head}
        query, params = _append_statement(
            self._key(cycle_id), cycle_id, expected_version, known[1], rows, full, unchanged
        )
        # one statement, its own transaction (the connection is in autocommit), durable when
        # it returns (synchronous_commit): one round trip
        with self._lock_wait(cycle_id):
            updated = conn.execute(query, params, prepare=True)
        if updated.rowcount != max(len(rows), 1):
            return None
        new_version = expected_version + len(events)
        self._remember(cycle_id, new_version, head, None)
        if kept is not None:
            newest = [kept[0][3], *(int(r[0]) for r in updated.fetchall())] if rows else []
            key = (new_version, head, kept[0][2] + len(rows), max(newest or [kept[0][3]]))
            record = kept[1]
            self._keep_log(
                cycle_id,
                key,
                CycleRecord(cycle_id, record.header, record.events + events, full, None, head),
            )
        return new_version

    def put_summary(self, cycle_id: str, version: int, head: str, summary: dict[str, Any]) -> bool:
        """Store the summary of the log at (version, head), under the cycle's lock and only if
        the log is still there (atomically: one statement in the locked transaction)."""
        self._check_id(cycle_id)
        full = {**summary, "version": version, "head": head}

        def work(conn: Connection, _: bool) -> bool:
            with conn.transaction():
                self._lock_in_transaction(conn, cycle_id)
                cursor = conn.execute(
                    f"UPDATE cycles SET {SET_SUMMARY} WHERE id = %s AND version = %s AND head = %s",
                    [*summary_params({}, full), cycle_id, version, head],
                )
                if cursor.rowcount == 1:
                    return True
                if conn.execute("SELECT 1 FROM cycles WHERE id = %s", [cycle_id]).fetchone():
                    return False  # the log moved on: its writer stored its own summary
                raise self._not_found(cycle_id)

        return self._run(work, say("pg.do.save_summary", cycle_id=cycle_id), cycle_id, True)
