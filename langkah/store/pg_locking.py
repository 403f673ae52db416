"""The PostgreSQL store's locks: `exclusive` and the advisory lock keyed by each cycle.

- Every write outside `exclusive` takes the cycle's transaction-level lock in its transaction.
- `exclusive` holds the cycle's session lock on a connection kept for the block (one per
  thread: it holds all the thread's cycles; re-entrant). When the block begins, the lock is
  sent; its answer is waited for then, with the cycle's row read in the same round trip for the
  block's `load`, unless this object read or wrote the cycle's log last: then the answer is
  read only when the block first uses the connection (by then it has come), and the block's
  `load` gives the kept log without a round trip. The block is then optimistic: its `append`
  (pg_writes) writes only if the log (version, head, event rows) and the pinned definition are
  still the ones that load gave (one statement); if not, nothing is written and the append
  goes on as in a block that read the row under the lock.
- A wait longer than the lock timeout is a LockTimeout naming the holder (its application
  name, PostgreSQL pid, address and since when).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import errors as pg_errors
from psycopg import generators, pq
from psycopg_pool import PoolTimeout

from langkah.messages import Text, say
from langkah.store.base import CycleRecord, LockTimeout, StoreError
from langkah.store.pg_connection import (
    Connection,
    LogKey,
    PgConnections,
    prepare_lock_statements,
)

# the cycle row and what `load` needs with it, in one statement (one snapshot); the events
# only when the log's key (version, head, event rows, newest event row's xmin) is not `known`
READ = (
    "SELECT c.version, c.head, c.header, c.summary,"
    " CASE WHEN c.version = %s AND c.head = %s AND k.n = %s AND k.x = %s THEN NULL"
    " ELSE coalesce((SELECT jsonb_agg(e.event ORDER BY e.seq) FROM events e"
    " WHERE e.cycle_id = c.id), '[]'::jsonb) END,"
    " (SELECT d.xmin::text FROM definitions d"
    " WHERE d.digest = c.header->>'definition_digest'),"
    " k.n, k.x"
    " FROM cycles c, LATERAL (SELECT count(*) AS n,"
    " coalesce(max(e.xmin::text::bigint), 0) AS x"
    " FROM events e WHERE e.cycle_id = c.id) k"
    " WHERE c.id = %s"
)
NO_KEY: LogKey = (-1, "", -1, -1)


@dataclass
class Block:
    """One cycle's `exclusive` block in this thread."""

    depth: int = 1
    conn: Connection | None = None  # holding the cycle's session lock
    stack: contextlib.ExitStack | None = None  # gives the connection back (its first holder)
    sent: bool = False  # the lock was sent; its answer is not read yet
    optimistic: bool = False  # `load` may give the kept log (module docstring)
    read_ahead: Any = None  # the row read with the lock, for the block's `load`
    tell: bool = False  # an append committed in it: NOTIFY with the unlock (pg_writes)
    # its lock was taken with the prepared statement, and nothing but its one-statement append
    # ran on its connection since: the unlock may be sent prepared too (pg_connection)
    prepared: bool = False
    # an `optimistic` block: no lock at all; its work goes to pooled connections
    lockless: bool = False


class PgLocking(PgConnections):
    """The cycle locks of a PostgreSQL store."""

    def _blocks(self) -> dict[str, Block]:
        held: dict[str, Block] | None = getattr(self._held, "cycles", None)
        if held is None:
            held = self._held.cycles = {}
        return held

    def _block(self, cycle_id: str) -> Block | None:
        return self._blocks().get(cycle_id)

    def _locked(self, cycle_id: str) -> bool:
        """Does this thread hold the cycle's session lock?"""
        block = self._block(cycle_id)
        return block is not None and block.conn is not None

    def _block_connection(self, cycle_id: str | None) -> Connection | None:
        """Inside `exclusive`: work runs on the block's connection (its lock's answer read
        first), and so does any other work of the thread while it holds one."""
        block = self._block(cycle_id) if cycle_id is not None else None
        if block is not None and block.lockless:
            block.optimistic = False  # the kept log is given once (to the action's `load`)
            block = None
        if block is not None and cycle_id is not None:
            block.optimistic = False
            block.read_ahead = None  # good for the block's first store call only
            return self._lent(self._settled(cycle_id, block))
        for other_id, other in self._blocks().items():
            if other.conn is not None:
                return self._lent(self._settled(other_id, other))
        return None

    def _lent(self, conn: Connection) -> Connection:
        """`conn` is given to work that may end in a rollback (which deallocates its prepared
        statements): the blocks holding their locks on it unlock with the unprepared statement
        (pg_writes' one-statement append puts its block's `prepared` back)."""
        for block in self._blocks().values():
            if block.conn is conn:
                block.prepared = False
        return conn

    # -- exclusive ----------------------------------------------------------------------------

    @contextlib.contextmanager
    def exclusive(self, cycle_id: str) -> Iterator[None]:
        """No other writer changes the cycle until the block ends (the module docstring says
        how the lock is taken); the block's writes commit one by one as they come."""
        self._check_id(cycle_id)
        held = self._blocks()
        block = held.get(cycle_id)
        if block is not None:
            block.depth += 1
            try:
                yield
            finally:
                block.depth -= 1
            return
        block = Block()
        conn = self._block_connection(None)
        if conn is not None:  # one connection per thread holds all its cycles
            self._lock_session(conn, cycle_id)
            block.conn = conn
        elif self._trusted(cycle_id) is not None:
            self._send_lock(cycle_id, block)
        else:
            block.stack = contextlib.ExitStack()
            block.conn, block.read_ahead = self._locking_connection(block.stack, cycle_id)
        held[cycle_id] = block
        try:
            yield
        finally:
            held.pop(cycle_id, None)
            self._release(cycle_id, block, held)

    @property
    def optimistic_appends(self) -> bool:
        return True

    @contextlib.contextmanager
    def optimistic(self, cycle_id: str) -> Iterator[None]:
        """One action's read and append without the cycle's lock: the append is itself the
        version check (pg_writes: the cycle row updated only where it still has the version
        and head read, in the statement that inserts the events), so a writer that got in
        between makes it a ConflictError, nothing written. Its `load` gives the log this object
        read or wrote last without a round trip when it can be trusted (`_trusted`); the
        append then also checks that the event rows and the pinned definition are the ones
        that log was read from. Its listeners are told after the commit, the NOTIFY sent
        without waiting for its answer (pg_writes). Inside this thread's `exclusive` block of
        the cycle, that block serves."""
        self._check_id(cycle_id)
        held = self._blocks()
        if cycle_id in held:
            with self.exclusive(cycle_id):
                yield
            return
        block = Block(lockless=True, optimistic=self._trusted(cycle_id) is not None)
        held[cycle_id] = block
        try:
            yield
        finally:
            if held.get(cycle_id) is block:
                held.pop(cycle_id, None)

    def _trusted(self, cycle_id: str) -> CycleRecord | None:
        """The log this object read or wrote last, if it verified, with its pinned definition
        checked: what an optimistic `exclusive` block may load (module docstring), else None."""
        kept = self._logs.get(cycle_id)
        if kept is None or kept[1].integrity is not None:
            return None
        key, record = kept
        if self._verified.get(cycle_id) != (key[0], key[1], None):
            return None
        digest = record.header.get("definition_digest")
        check = self._definition_checks.get(digest) if isinstance(digest, str) else None
        return record if check is not None and check[1] is None else None

    def _release(self, cycle_id: str, block: Block, held: dict[str, Block]) -> None:
        """End a block: unlock its cycle; its connection goes back to the pool when no other
        block of the thread holds a lock on it (else that block takes it over)."""
        conn = block.conn
        if conn is None:
            return
        heir = next((b for b in held.values() if b.conn is conn), None)
        if heir is not None and block.stack is not None:
            heir.stack, block.stack = block.stack, None
        told = not block.tell
        try:
            with contextlib.suppress(StoreError):
                self._settled(cycle_id, block)  # an unused block: its lock's answer first
            conn = block.conn
            if conn is None or conn.broken:
                pass  # the server ended the session, and its locks
            elif block.stack is not None and self._send_unlock(
                conn, cycle_id, block.tell, block.prepared
            ):
                told = True  # sent; the answer is read when the connection is next used
            else:
                with contextlib.suppress(psycopg.Error):
                    conn.execute("SELECT pg_advisory_unlock(%s)", [self._key(cycle_id)])
        finally:
            if block.stack is not None:
                block.stack.close()
            if not told:  # the notification could not go with the unlock
                self._tell(cycle_id)

    def _send_lock(self, cycle_id: str, block: Block) -> None:
        """Take a connection for the block and send the cycle's session lock on it, without
        waiting for the answer (`_settled` reads it)."""
        stack = contextlib.ExitStack()
        try:
            conn = stack.enter_context(self._connection())
        except (psycopg.Error, PoolTimeout) as error:
            stack.close()
            raise self._store_error(error, say("pg.do.lock", cycle_id=cycle_id)) from None
        try:
            conn.pgconn.send_query_prepared(b"langkah_lock", [str(self._key(cycle_id)).encode()])
            conn.wait(generators.send(conn.pgconn), timeout=self.lock_timeout)
        except Exception:  # noqa: BLE001  # lost (the server restarted): locked the usual way
            conn.close()  # the pool drops it
            stack.close()
            block.stack = contextlib.ExitStack()
            block.conn, _ = self._locking_connection(block.stack, cycle_id)
            return
        block.conn, block.stack, block.sent, block.optimistic = conn, stack, True, True
        block.prepared = True

    def _settled(self, cycle_id: str, block: Block) -> Connection:
        """The block's connection, the answer of the lock sent when it began read (it has
        usually come by now): LockTimeout if the wait was too long; a connection lost on the
        way is replaced by one that takes the lock now."""
        conn = block.conn
        if conn is None:
            raise StoreError(
                say(
                    "pg.no_connection",
                    location=self.location,
                    doing=say("pg.do.lock", cycle_id=cycle_id),
                )
            )
        if not block.sent:
            return conn
        block.sent = False
        answer = self._answer(conn, self.lock_timeout + self.connect_timeout)
        if answer is not None and answer.status == pq.ExecStatus.TUPLES_OK:
            return conn
        if answer is not None and not conn.broken:
            state = answer.error_field(pq.DiagnosticField.SQLSTATE)
            if state == b"55P03":
                raise LockTimeout(self._timeout_message(cycle_id))
            if state == b"26000" and conn.pgconn.transaction_status == pq.TransactionStatus.IDLE:
                # a rollback on this connection had deallocated the lock statements: prepared
                # again, and the lock taken now (pg_connection, LOCK_STATEMENTS)
                try:
                    prepare_lock_statements(conn)
                except psycopg.Error as error:
                    raise self._store_error(error, say("pg.do.lock", cycle_id=cycle_id)) from None
                self._lock_session(conn, cycle_id)
                return conn
            detail = (answer.error_message or b"").decode("utf-8", "replace").strip()
            doing = say("pg.do.lock", cycle_id=cycle_id)
            raise StoreError(
                say(
                    "pg.failed",
                    server=f"PostgreSQL {self.location}",
                    doing=doing,
                    why=detail,
                    tail="",
                )
            )
        conn.close()  # lost: the pool drops it; the lock is taken on a new connection
        if block.stack is not None:
            block.stack.close()
        block.conn, block.optimistic, block.prepared = None, False, False
        block.stack = contextlib.ExitStack()
        block.conn, _ = self._locking_connection(block.stack, cycle_id)
        return block.conn

    @staticmethod
    def _answer(conn: Connection, timeout: float) -> pq.abc.PGresult | None:
        """The one result of the query sent on `conn` without waiting, or None if it was lost."""
        try:
            results = conn.wait(generators.fetch_many(conn.pgconn), timeout=timeout)
        except Exception:  # noqa: BLE001  # lost or stuck: the caller drops the connection
            return None
        return results[0] if len(results) == 1 else None

    @contextlib.contextmanager
    def _lock_wait(self, cycle_id: str) -> Iterator[None]:
        """A lock of the cycle waited for longer than the lock timeout is a LockTimeout."""
        try:
            yield
        except pg_errors.LockNotAvailable:
            raise LockTimeout(self._timeout_message(cycle_id)) from None

    def _lock_session(self, conn: Connection, cycle_id: str) -> None:
        try:
            with self._lock_wait(cycle_id):
                conn.execute("SELECT pg_advisory_lock(%s)", [self._key(cycle_id)])
        except psycopg.Error as error:
            raise self._store_error(error, say("pg.do.lock", cycle_id=cycle_id)) from None

    def _locking_connection(
        self, stack: contextlib.ExitStack, cycle_id: str
    ) -> tuple[Connection, Any]:
        """A connection (kept open by `stack`) holding the cycle's session lock, and the
        cycle's row read with it (`_lock_and_read`); one found dead is dropped and the next
        one tried, as in `_run`."""
        doing = say("pg.do.lock", cycle_id=cycle_id)
        try:
            for _, lent in self._fresh_connections():
                with lent:
                    conn = lent.value
                    try:
                        with self._lock_wait(cycle_id):
                            ahead = self._lock_and_read(conn, cycle_id)
                    except psycopg.OperationalError:
                        if conn.broken and not lent.last:
                            continue
                        raise
                    lent.keep_in(stack)
                    return conn, ahead
        except (psycopg.Error, PoolTimeout) as error:
            raise self._store_error(error, doing) from None
        raise StoreError(say("pg.no_connection", location=self.location, doing=doing))

    def _lock_and_read(self, conn: Connection, cycle_id: str) -> tuple[LogKey | None, Any]:
        """Take the cycle's session lock and, in the same round trip (pipelined, after the
        lock is granted, so under it), read the cycle's row as `load` would: the block's
        `load` then needs no round trip of its own (`block.read_ahead`)."""
        kept = self._logs.get(cycle_id)
        known = kept[0] if kept else None
        with conn.pipeline():
            conn.execute("SELECT pg_advisory_lock(%s)", [self._key(cycle_id)], prepare=True)
            row = conn.execute(READ, [*(known or NO_KEY), cycle_id], prepare=True)
        return known, row.fetchone()

    def _send_unlock(
        self, conn: Connection, cycle_id: str, tell: bool = False, prepared: bool = False
    ) -> bool:
        """Send the unlock of the cycle's session lock without waiting for its answer (the
        server releases the lock as it reads it, as with a waited unlock); the connection is
        then parked, not given back to the pool, and its answer read when it is next taken
        (`_unpark`). `tell`: with the NOTIFY of the block's committed append, in the same
        statement (its own transaction, after the append's commit). False (nothing sent) if
        it could not be sent."""
        if conn.pgconn.transaction_status != pq.TransactionStatus.IDLE:
            return False
        key = str(self._key(cycle_id)).encode()
        try:
            if prepared:  # the block's lock was taken with the prepared statement (Block)
                if tell:  # the unlock's answer first: `_unpark` reads it
                    conn.pgconn.send_query_prepared(
                        b"langkah_unlock_tell", [key, self._channel.encode(), cycle_id.encode()]
                    )
                else:
                    conn.pgconn.send_query_prepared(b"langkah_unlock", [key])
            elif tell:
                conn.pgconn.send_query_params(
                    b"SELECT pg_advisory_unlock($1::bigint), pg_notify($2, $3)",
                    [key, self._channel.encode(), cycle_id.encode()],
                )
            else:
                conn.pgconn.send_query_params(b"SELECT pg_advisory_unlock($1::bigint)", [key])
            conn.wait(generators.send(conn.pgconn), timeout=self.lock_timeout)
        except Exception:  # noqa: BLE001  # lost or stuck: closing it releases its locks
            conn.close()
            return True  # closed: the pool drops it when it is given back
        self._unlocking.add(id(conn))
        return True

    def _send_tell(self, conn: Connection, cycle_id: str) -> bool:
        """Send the NOTIFY of an append `conn` has just committed without waiting for its
        answer (its own transaction, so after that commit: pg_schema, migration 5); the
        connection is parked as after `_send_unlock`. False (nothing sent) if it could not be
        sent: the caller tells them the usual way. Not a prepared statement: this is a pooled
        connection, and a rollback on it may have deallocated those (pg_connection,
        LOCK_STATEMENTS) unseen; the answer, read when it is next taken, would come too late
        to tell them then."""
        if conn.pgconn.transaction_status != pq.TransactionStatus.IDLE:
            return False
        try:
            conn.pgconn.send_query_params(
                b"SELECT true, pg_notify($1::text, $2::text)",
                [self._channel.encode(), cycle_id.encode()],
            )
            conn.wait(generators.send(conn.pgconn), timeout=self.lock_timeout)
        except Exception:  # noqa: BLE001  # lost or stuck: the pool drops it
            conn.close()
            return False
        self._unlocking.add(id(conn))
        return True

    # -- the transaction lock -----------------------------------------------------------------

    def _lock_in_transaction(self, conn: Connection, cycle_id: str) -> None:
        """Take the cycle's transaction-level lock, unless this thread holds its session lock."""
        if self._locked(cycle_id):
            return
        with self._lock_wait(cycle_id):
            conn.execute("SELECT pg_advisory_xact_lock(%s)", [self._key(cycle_id)], prepare=True)

    def _timeout_message(self, cycle_id: str) -> Text:
        key = self._key(cycle_id) & 0xFFFFFFFFFFFFFFFF
        holder: Text | None = None
        with contextlib.suppress(psycopg.Error, PoolTimeout, StoreError):
            probe = self._connect()
            try:
                row = probe.execute(
                    "SELECT a.pid, a.application_name, a.client_addr::text, a.backend_start"
                    " FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                    " WHERE l.locktype = 'advisory' AND l.granted"
                    " AND l.classid = %s::bigint::oid AND l.objid = %s::bigint::oid"
                    " AND l.objsubid = 1 LIMIT 1",
                    [key >> 32, key & 0xFFFFFFFF],
                ).fetchone()
            finally:
                probe.close()
            if row:
                pid, app, address, since = row
                where = (
                    say("lock.from_address", address=address)
                    if address
                    else say("lock.server_socket")
                )
                when = since.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%SZ") if since else "?"
                holder = say(
                    "lock.holder_pg",
                    app=app or say("lock.another_client"),
                    pid=pid,
                    where=where,
                    when=when,
                )
        return say(
            "lock.held_pg",
            cycle_id=cycle_id,
            location=self.location,
            holder=holder or say("lock.holder_other"),
            timeout=f"{self.lock_timeout:g}",
        )
