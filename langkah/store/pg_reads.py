"""The PostgreSQL store's reads of one cycle: `load`, and what this object keeps of the logs it
read or wrote last (their checked chain, and the log itself, so that reading an unchanged log
again costs one small statement, or none inside an optimistic `exclusive` block)."""

from __future__ import annotations

import functools
import time
from typing import Any

from langkah.messages import Text, say
from langkah.store.base import CycleRecord
from langkah.store.chain import check_chain
from langkah.store.pg_connection import Connection, LogKey, is_cycle_id, remember
from langkah.store.pg_locking import NO_KEY, READ, PgLocking
from langkah.store.pg_rows import DamagedRowError, checked_header, full_header


@functools.cache
def _event_list() -> Any:
    """pydantic's reader of a list of events, made at the first read (not at import: the lean
    path of `langkah stats` reads no log)."""
    from pydantic import TypeAdapter

    from langkah.engine.events import Event

    return TypeAdapter(list[Event])


class PgReads(PgLocking):
    """Reading one cycle of a PostgreSQL store."""

    def _remember(self, cycle_id: str, version: int, head: str, problem: Text | None) -> None:
        remember(self._verified, cycle_id, (version, head, problem))

    def _keep_log(self, cycle_id: str, key: LogKey, record: CycleRecord) -> None:
        remember(self._logs, cycle_id, (key, record))

    def _forget(self, cycle_id: str) -> None:
        """Drop what this object kept of the cycle (its log is read and checked again)."""
        kept = self._logs.pop(cycle_id, None)
        self._verified.pop(cycle_id, None)
        digest = kept[1].header.get("definition_digest") if kept else None
        if isinstance(digest, str):
            self._definition_checks.pop(digest, None)

    def _schema(self, cycle_id: str, header: Any) -> dict[str, Any]:
        """The stored header, refused (DamagedRowError) if it is not one this Langkah reads."""
        return checked_header(self._address(cycle_id), header)

    def _integrity(
        self, conn: Connection, cycle_id: str, version: int, head: str, header: Any
    ) -> Text | None:
        """What does not verify in the stored log (None: it verifies): remembered for the
        (version, head) this object last checked or wrote, else the whole log is checked."""
        known = self._verified.get(cycle_id)
        if known is not None and known[:2] == (version, head):
            return known[2]
        rows = conn.execute(
            "SELECT event FROM events WHERE cycle_id = %s ORDER BY seq", [cycle_id]
        ).fetchall()
        problem = check_chain(full_header(header, version, head), [r[0] for r in rows]).problem
        self._remember(cycle_id, version, head, problem)
        return problem

    def _read(
        self, conn: Connection, cycle_id: str, known: LogKey | None = None
    ) -> tuple[Any, ...]:
        """(version, head, header, summary, raw events, log key) in one statement (one
        snapshot). The raw events are None when the log still has the key `known` (the same
        version and head, and event rows neither added, removed nor rewritten: their count and
        newest `xmin`). The `xmin` of the pinned definition's row comes along, for
        `definition_problem`."""
        row = conn.execute(READ, [*(known or NO_KEY), cycle_id], prepare=True).fetchone()
        return self._read_row(cycle_id, row)

    def _read_row(self, cycle_id: str, row: Any) -> tuple[Any, ...]:
        """What `_read` returns, from the row its statement returned."""
        if row is None:
            raise self._not_found(cycle_id)
        header = row[2]
        if row[5] is not None and isinstance(header, dict):
            digest = header.get("definition_digest")
            if isinstance(digest, str):
                self._definition_seen[digest] = (str(row[5]), time.monotonic())
        log_key = (int(row[0]), str(row[1]), int(row[6]), int(row[7]))
        return (row[0], row[1], header, row[3], row[4], log_key)

    def _read_checked(self, cycle_id: str) -> tuple[int, str, dict[str, Any], Any, list[Any]]:
        """(version, head, full header, summary, raw events) as stored, the header checked."""
        version, head, header, summary, raw, _ = self._run(
            lambda conn, _: self._read(conn, cycle_id),
            say("pg.do.read_cycle", cycle_id=cycle_id),
            cycle_id,
        )
        self._schema(cycle_id, header)
        return version, head, full_header(header, version, head), summary, list(raw)

    def load(self, cycle_id: str) -> CycleRecord:
        """The log; its chain is checked on every read."""
        self._check_id(cycle_id)
        kept = self._logs.get(cycle_id)
        known = kept[0] if kept else None
        block = self._block(cycle_id)
        ahead = None
        if block is not None:
            trusted = self._trusted(cycle_id) if block.optimistic else None
            if trusted is not None:  # its append checks that nothing changed (pg_writes)
                return _copy(trusted, trusted.header, trusted.summary)
            if block.read_ahead is not None and block.read_ahead[0] == known:
                ahead = block.read_ahead[1]  # read under the lock as the block began
            block.read_ahead = None
        if ahead is not None:
            version, head, header, summary, raw, key = self._read_row(cycle_id, ahead)
        else:
            version, head, header, summary, raw, key = self._run(
                lambda conn, _: self._read(conn, cycle_id, known),
                say("pg.do.read_cycle", cycle_id=cycle_id),
                cycle_id,
            )
        if raw is None and kept is not None:  # the log this object read or wrote last
            self._schema(cycle_id, header)
            record = kept[1]
            self._remember(cycle_id, version, head, record.integrity)
        else:
            record = self._record(cycle_id, version, head, header, summary, raw)
            self._keep_log(cycle_id, key, record)
        return _copy(
            record,
            full_header(header, version, head),
            summary if isinstance(summary, dict) else {},
        )

    def _record(
        self, cycle_id: str, version: int, head: str, header: Any, summary: Any, raw: list[Any]
    ) -> CycleRecord:
        from pydantic import ValidationError

        self._schema(cycle_id, header)
        full = full_header(header, version, head)
        try:
            plain_events = [
                {k: v for k, v in e.items() if k != "prev"} if isinstance(e, dict) else e
                for e in raw
            ]
            events = sorted(_event_list().validate_python(plain_events), key=lambda e: e.seq)
        except (ValidationError, TypeError, AttributeError) as error:
            detail = str(error).splitlines()[0]
            raise DamagedRowError(
                self._address(cycle_id), say("damage.event_unreadable", detail=detail)
            ) from None
        if [e.seq for e in events] != list(range(1, len(events) + 1)) or len(events) != version:
            raise DamagedRowError(self._address(cycle_id), say("damage.gaps"))
        chain = check_chain(full, raw)
        self._remember(cycle_id, version, head, chain.problem)
        return CycleRecord(
            cycle_id=cycle_id,
            header=full,
            events=events,
            summary=summary if isinstance(summary, dict) else {},
            integrity=chain.problem,
            head=chain.head,
        )

    def has_cycle(self, cycle_id: str) -> bool:
        if not is_cycle_id(cycle_id):
            return False
        row = self._run(
            lambda conn, _: conn.execute(
                "SELECT 1 FROM cycles WHERE id = %s", [cycle_id]
            ).fetchone(),
            say("pg.do.read_cycles"),
        )
        return row is not None


def _copy(record: CycleRecord, header: dict[str, Any], summary: dict[str, Any]) -> CycleRecord:
    """A record for a caller: what it does with it must not change the kept one."""
    return CycleRecord(
        record.cycle_id,
        dict(header),
        list(record.events),
        dict(summary),
        record.integrity,
        record.head,
    )
