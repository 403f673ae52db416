"""The PostgreSQL store's live changes: which cycles changed since a token (change numbers),
and the notifications the cycles_notify trigger sends at each commit (`watch`)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import psycopg
from psycopg import sql

from langkah.messages import say
from langkah.store.base import Changes, StoreError
from langkah.store.pg_connection import Connection, PgConnections

_LISTEN_TICK = 0.5  # seconds the listener waits for a notification before looking at `stop`
_GATHER = 0.02  # seconds it keeps gathering notifications after the first (one batch)
_RECONNECT = 0.5  # seconds between its attempts to reach a server that went away


class PgChanges(PgConnections):
    """What changed in a PostgreSQL store, polled or pushed."""

    def change_token(self) -> tuple[int, int]:
        """The newest change number of any cycle row, and of any cycle set aside by `repair`
        (two index look-ups); (-1, -1) while the server cannot be reached."""
        try:
            row = self._run(
                lambda conn, _: conn.execute(
                    "SELECT (SELECT coalesce(max(change_no), 0) FROM cycles),"
                    " (SELECT coalesce(max(aside_id), 0) FROM damaged_cycles)"
                ).fetchone(),
                say("pg.do.change_number"),
            )
        except StoreError:
            return (-1, -1)
        return (int(row[0]), int(row[1])) if row else (0, 0)

    def changes_since(self, token: Any) -> Changes:
        """The cycles whose row changed since `token` (its change numbers: an index look-up).
        A change number is taken before its transaction commits, so one committed late can
        fall below a token already given: `watch`, whose notifications come at commit, names
        those. While the server cannot be reached: no changes, the same token."""
        if token is None or token[0] < 0:
            found = self.change_token()
            return Changes(found if found[0] >= 0 else None, None)

        def read(conn: Connection, _: bool) -> tuple[Any, list[Any]]:
            rows = conn.execute(
                "SELECT id, change_no FROM cycles WHERE change_no > %s", [token[0]]
            ).fetchall()
            aside = conn.execute("SELECT coalesce(max(aside_id), 0) FROM damaged_cycles")
            return (aside.fetchone() or (0,))[0], rows

        try:
            aside, rows = self._run(read, say("pg.do.changes"))
        except StoreError:
            return Changes(token, frozenset())
        newest = max([int(token[0])] + [int(r[1]) for r in rows])
        return Changes((newest, int(aside)), frozenset(str(r[0]) for r in rows))

    @property
    def pushes_changes(self) -> bool:
        return True

    def watch(self, stop: threading.Event) -> Iterator[frozenset[str] | None]:
        """LISTEN on this schema's channel on a connection of its own (not the pool's): each
        batch of notifications (those within 20 ms of the first) is one set of cycle ids. A
        lost connection (a server restart) is opened again every half second; once it is back,
        None says that what was written meanwhile is unknown."""
        lost = False
        while not stop.is_set():
            try:
                conn = self._connect()
            except psycopg.Error:
                lost = True
                stop.wait(_RECONNECT)
                continue
            try:
                conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self._channel)))
                if lost:
                    lost = False
                    yield None
                while not stop.is_set():
                    ids = {n.payload for n in conn.notifies(timeout=_LISTEN_TICK, stop_after=1)}
                    if ids:
                        ids.update(n.payload for n in conn.notifies(timeout=_GATHER))
                        yield frozenset(ids)
            except psycopg.Error:
                lost = True
                stop.wait(_RECONNECT)
            finally:
                conn.close()
