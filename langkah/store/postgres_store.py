"""The PostgreSQL store: the same `CycleStore` as the embedded one, on a server many offices share.

Chosen by `--store postgresql://USER@HOST:PORT/DATABASE` (or LANGKAH_STORE); the tables are
created and upgraded by Langkah (langkah.store.pg_schema; docs/store-format.md, "PostgreSQL").

- One action is one transaction: its event rows are inserted and the cycle row updated with
  `WHERE id = ... AND version = <expected>`; a lost race is the same ConflictError as on the
  embedded store. The commit returns once it is durable (synchronous_commit is set on).
- Writers of one cycle exclude each other with an advisory lock keyed by the cycle:
  `exclusive` holds a session lock on a connection kept for the block (re-entrant per thread;
  the block's own writes go through that connection and commit one by one), every other write
  takes the transaction-level lock. A wait longer than the lock timeout is a LockTimeout naming
  the holder (its application name, PostgreSQL pid, address and since when).
- Events are stored as JSONB exactly as hashed (langkah.store.pg_json keeps what JSONB would
  refuse or change), with their hash chain as on the embedded store, so `verify` and a printed
  verification code mean the same on both.
- Errors (server down, wrong password, no such database, an exhausted pool) become StoreError
  naming the server; a connection lost mid-action is retried on a new connection when that
  is safe (the retry recognises an action the lost connection had committed).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import logging
import os
import re
import socket
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import psycopg
from psycopg import errors as pg_errors
from psycopg import generators, pq, sql
from psycopg.types.json import Jsonb, set_json_loads
from psycopg_pool import ConnectionPool, PoolTimeout
from pydantic import TypeAdapter, ValidationError

from langkah.engine.events import GENESIS, Event, event_hash
from langkah.store import pg_json
from langkah.store.base import (
    SCHEMA_VERSION,
    Changes,
    ConflictError,
    CycleNotFound,
    CycleRecord,
    DamagedStoreError,
    IntegrityError,
    ListedSummaries,
    LockTimeout,
    Rebuild,
    Recovery,
    StoredLog,
    StoreError,
    SummaryPage,
    SummaryQuery,
    salvaged_header,
)
from langkah.store.chain import ChainCheck, check_chain
from langkah.store.pg_facts import PgFacts
from langkah.store.pg_schema import channel, ensure_schema
from langkah.store.pg_url import parse_url

logging.getLogger("psycopg").addHandler(logging.NullHandler())  # never on a user's terminal

T = TypeVar("T")

LOCK_TIMEOUT = 10.0  # seconds (LANGKAH_LOCK_TIMEOUT overrides), as on the embedded store
CONNECT_TIMEOUT = 5  # seconds a new connection may take (a `connect_timeout` in the URL wins)
POOL_SIZE = 8  # connections per process at most (LANGKAH_PG_POOL_SIZE overrides)
_VERIFIED = 256  # cycles whose checked chain this object remembers
_SEEN_FOR = 2.0  # seconds a definition's row version read with a cycle stands for a check
_LISTEN_TICK = 0.5  # seconds the listener waits for a notification before looking at `stop`
_GATHER = 0.02  # seconds it keeps gathering notifications after the first (one batch)
_RECONNECT = 0.5  # seconds between its attempts to reach a server that went away

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]{0,80}$")
_EVENT_LIST = TypeAdapter(list[Event])
_LogKey = tuple[int, str, int, int]  # version, head, event rows, newest event row's xmin


def _env_number(name: str, default: float) -> float:
    text = os.environ.get(name, "").strip()
    try:
        return max(float(text), 0.0) if text else default
    except ValueError:
        return default


def _first_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0].removeprefix("connection failed: ").strip()


def _column_text(value: Any) -> str:
    """A summary value as the text of an indexed column (NUL and lone surrogates dropped: the
    exact value stays in the JSONB summary)."""
    if not isinstance(value, str):
        return ""
    return value.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")


def _due_at(value: Any) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        at = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return at if at.tzinfo is not None else None


def _as_is(text: str) -> str:
    return text


def _jsonb(value: Any) -> Jsonb:
    """A value as a JSONB parameter, encoded now (`pg_json.encode`)."""
    return Jsonb(pg_json.encode(value), dumps=_as_is)


def _configure(conn: psycopg.Connection[Any], lock_timeout: float) -> None:
    """Every connection: JSONB read with the mark decoded, durable commits, the lock timeout."""
    set_json_loads(pg_json.loads, conn)
    conn.execute("SET synchronous_commit = on")  # a commit returns once it is durable
    conn.execute(f"SET lock_timeout = {max(1, round(lock_timeout * 1000))}")


def _close_pool(pool: ConnectionPool[Any], parked: list[psycopg.Connection[Any]]) -> None:
    """Close a pool whose store is gone, and the connections parked outside it. The
    collection that finds the store gone may run in one of the pool's own worker threads,
    which cannot wait for itself: then a thread of its own closes it."""
    while parked:
        with contextlib.suppress(IndexError, psycopg.Error):
            parked.pop().close()
    if threading.current_thread() is threading.main_thread():
        pool.close(timeout=1.0)
    else:
        threading.Thread(
            target=pool.close, kwargs={"timeout": 1.0}, name="langkah-pool-close", daemon=True
        ).start()


class DamagedRowError(DamagedStoreError):
    """A stored cycle whose rows cannot be read as a log; `path` is the row's address."""

    def __init__(self, address: str, detail: str, repairable: bool = True):
        hint = " (`langkah repair` sets it aside and recovers what it can)" if repairable else ""
        StoreError.__init__(self, f"{address}: damaged stored cycle ({detail}){hint}")
        self.path = address  # type: ignore[assignment]  # an address, not a file
        self.repairable = repairable


class _Retry(Exception):
    """The connection was lost before the work was known to be done: run it again."""


class PostgresStore:
    """A `CycleStore` on a PostgreSQL database: see the module docstring."""

    def __init__(
        self,
        url: str,
        *,
        lock_timeout: float | None = None,
        pool_size: int | None = None,
        pool_timeout: float | None = None,
        connect_timeout: float | None = None,
    ):
        self.target = parse_url(url)
        self.lock_timeout = (
            lock_timeout
            if lock_timeout is not None
            else _env_number("LANGKAH_LOCK_TIMEOUT", LOCK_TIMEOUT)
        )
        self.pool_size = max(
            1, int(pool_size or _env_number("LANGKAH_PG_POOL_SIZE", POOL_SIZE) or POOL_SIZE)
        )
        self.pool_timeout = pool_timeout if pool_timeout is not None else self.lock_timeout
        given = self.target.params.get("connect_timeout")
        self.connect_timeout = (
            connect_timeout
            if connect_timeout is not None
            else (float(given) if given and given.isdigit() else CONNECT_TIMEOUT)
        )
        name = f"langkah pid {os.getpid()} on {socket.gethostname()}"
        self._connect_args: dict[str, Any] = {
            "autocommit": True,
            "application_name": name[:63],
        }
        if not given:
            self._connect_args["connect_timeout"] = max(1, round(self.connect_timeout))
        self._held = threading.local()  # cycle id -> [connection, depth], this thread's
        self._verified: dict[str, tuple[int, str, str | None]] = {}
        self._definition_checks: dict[str, tuple[str, str | None]] = {}  # digest: xmin, problem
        self._definition_seen: dict[str, tuple[str, float]] = {}  # digest: xmin, when read
        self._logs: dict[str, tuple[_LogKey, CycleRecord]] = {}  # the log last read or written
        self._namespace = ""
        self._channel = channel("public")
        first = self._connect_directly()
        try:
            ensure_schema(first, self.location)
            row = first.execute("SELECT current_schema(), current_database()").fetchone()
            self._namespace = f"{row[0]}/{row[1]}" if row else ""
            self._channel = channel(str(row[0])) if row else self._channel
        except psycopg.Error as error:
            raise StoreError(self._message(error, "cannot set up its tables")) from None
        finally:
            first.close()
        self._pool: ConnectionPool[psycopg.Connection[Any]] = ConnectionPool(
            self.target.conninfo,
            kwargs=self._connect_args,
            min_size=1,
            max_size=self.pool_size,
            timeout=self.pool_timeout,
            max_idle=60.0,
            num_workers=2,
            # not a bound method: the pool (alive in its threads) must not keep the store alive,
            # or the finalizer below that closes the pool would never run
            configure=functools.partial(_configure, lock_timeout=self.lock_timeout),
            name=f"langkah {self.location}",
            open=True,
        )
        # connections whose unlock is on its way (see `_send_unlock`): taken before the pool's
        self._parked: list[psycopg.Connection[Any]] = []
        self._parked_lock = threading.Lock()
        self._unlocking: set[int] = set()  # ids of connections to park when given back
        weakref.finalize(self, _close_pool, self._pool, self._parked)

    # -- connections --------------------------------------------------------------------------

    @property
    def location(self) -> str:
        return self.target.shown

    def close(self) -> None:
        """Close the connection pool (the store cannot be used afterwards)."""
        _close_pool(self._pool, self._parked)

    def _connect_directly(self) -> psycopg.Connection[Any]:
        """One connection outside the pool: its failure names the cause (refused, password,
        no such database), where the pool only says it timed out."""
        try:
            conn = psycopg.connect(self.target.conninfo, **self._connect_args)
        except psycopg.Error as error:
            raise StoreError(self._message(error, "cannot connect")) from None
        try:
            encoding = conn.execute("SHOW server_encoding").fetchone()
        except psycopg.Error as error:
            conn.close()
            raise StoreError(self._message(error, "cannot connect")) from None
        if not encoding or str(encoding[0]).upper() not in ("UTF8", "UTF-8"):
            conn.close()
            raise StoreError(
                f"PostgreSQL {self.location}: the database's encoding is {encoding and encoding[0]}"
                "; Langkah needs UTF8 (CREATE DATABASE ... ENCODING 'UTF8'); nothing was read"
            )
        self._configure(conn)
        return conn

    def _configure(self, conn: psycopg.Connection[Any]) -> None:
        _configure(conn, self.lock_timeout)

    def _message(self, error: BaseException, doing: str, saved: bool | None = None) -> str:
        """A one-line message naming the server, what failed and why."""
        if isinstance(error, PoolTimeout):
            try:
                probe = psycopg.connect(self.target.conninfo, **self._connect_args)
            except psycopg.Error as down:
                why = _first_line(down)
            else:
                probe.close()
                why = (
                    f"all {self.pool_size} connections of this process are busy; waited "
                    f"{self.pool_timeout:g} s (LANGKAH_PG_POOL_SIZE allows more)"
                )
        elif isinstance(error, psycopg.Error) and error.diag.message_primary:
            why = error.diag.message_primary
        else:
            why = _first_line(error)
        tail = {True: "", False: "; nothing was saved", None: ""}[saved]
        return f"PostgreSQL {self.location}: {doing}: {why}{tail}"

    def _held_map(self) -> dict[str, list[Any]]:
        held: dict[str, list[Any]] | None = getattr(self._held, "cycles", None)
        if held is None:
            held = self._held.cycles = {}
        return held

    def _thread_connection(self) -> psycopg.Connection[Any] | None:
        """The connection this thread holds its cycles' locks on, if it holds any."""
        for conn, _ in self._held_map().values():
            return conn  # type: ignore[no-any-return]
        return None

    def _run(
        self,
        work: Callable[[psycopg.Connection[Any], bool], T],
        doing: str,
        cycle_id: str | None = None,
        write: bool = False,
    ) -> T:
        """`work(conn, retry)` on the connection this thread holds its cycles on (inside
        `exclusive`), else a pooled one; a connection lost on the way is retried once on a new
        one (`retry` True)."""
        conn_held = self._thread_connection()
        nothing = False if write else None
        if conn_held is not None:  # inside `exclusive`: its connection serves the whole block
            self._held.read_ahead = None  # good for the block's first store call only
            try:
                return work(conn_held, False)
            except (StoreError, _Retry):
                raise
            except psycopg.Error as error:
                raise StoreError(self._message(error, doing, nothing)) from None
        # pooled connections are not checked before use (a round trip per action): one found
        # dead (the server restarted) is dropped and the work tried on the next; at most every
        # connection the pool holds, then one new one
        attempts = self.pool_size + 1
        for attempt in range(attempts):
            try:
                with self._connection() as conn:
                    try:
                        return work(conn, attempt > 0)
                    except psycopg.OperationalError:
                        if conn.broken and attempt + 1 < attempts:
                            raise _Retry() from None
                        raise
            except _Retry:
                continue
            except StoreError:
                raise
            except (psycopg.Error, PoolTimeout) as error:
                raise StoreError(self._message(error, doing, nothing)) from None
        raise StoreError(f"PostgreSQL {self.location}: {doing}: the connection was lost")

    @contextlib.contextmanager
    def _connection(self) -> Iterator[psycopg.Connection[Any]]:
        """A pooled connection; when the pool has none to give although it is not full (it is
        still reconnecting after the server was away), a direct one, so that a server that is
        back is used at once and one that is down is named with its cause. PoolTimeout only
        when every connection of the pool is busy."""
        conn = self._unpark()
        if conn is None:
            stats = self._pool.get_stats()
            full = stats.get("pool_size", 0) >= self.pool_size
            wait = self.pool_timeout if full else min(self.pool_timeout, 1.0)
            try:
                conn = self._pool.getconn(timeout=wait)
            except PoolTimeout:
                if self._pool.get_stats().get("pool_size", 0) >= self.pool_size:
                    if wait >= self.pool_timeout:
                        raise
                    conn = self._pool.getconn(timeout=self.pool_timeout - wait)
                else:
                    conn = None
        if conn is not None:
            try:
                yield conn
            finally:
                if id(conn) in self._unlocking:
                    with self._parked_lock:
                        self._parked.append(conn)
                else:
                    self._pool.putconn(conn)
            return
        direct = psycopg.connect(self.target.conninfo, **self._connect_args)
        try:
            self._configure(direct)
            yield direct
        finally:
            self._unlocking.discard(id(direct))  # closing it ends its locks
            direct.close()

    def _send_unlock(self, conn: psycopg.Connection[Any], cycle_id: str) -> bool:
        """Send the unlock of the cycle's session lock without waiting for its answer (the
        server releases the lock as it reads it, as with a waited unlock); the connection is
        then parked, not given back to the pool, and its answer read when it is next taken
        (`_unpark`). False (nothing sent) if it could not be sent."""
        if conn.pgconn.transaction_status != pq.TransactionStatus.IDLE:
            return False
        try:
            conn.pgconn.send_query_params(
                b"SELECT pg_advisory_unlock($1::bigint)", [str(self._key(cycle_id)).encode()]
            )
            conn.wait(generators.send(conn.pgconn), timeout=self.lock_timeout)
        except Exception:  # noqa: BLE001  # lost or stuck: closing it releases its locks
            conn.close()
            return True  # closed: the pool drops it when it is given back
        self._unlocking.add(id(conn))
        return True

    def _unpark(self) -> psycopg.Connection[Any] | None:
        """A parked connection with its unlock's answer read, or None. One whose answer is
        not `true` (or that was lost) is closed, which ends any lock it still held, and given
        back to the pool (which drops it)."""
        while True:
            with self._parked_lock:
                if not self._parked:
                    return None
                conn = self._parked.pop()
            self._unlocking.discard(id(conn))
            try:
                results = conn.wait(generators.fetch_many(conn.pgconn), timeout=self.lock_timeout)
                ok = (
                    len(results) == 1
                    and results[0].status == pq.ExecStatus.TUPLES_OK
                    and results[0].get_value(0, 0) == b"t"
                )
            except Exception:  # noqa: BLE001  # lost: dropped below
                ok = False
            if ok and conn.pgconn.transaction_status == pq.TransactionStatus.IDLE:
                return conn
            conn.close()
            self._pool.putconn(conn)

    def _key(self, cycle_id: str) -> int:
        digest = hashlib.blake2b(f"{self._namespace}\0{cycle_id}".encode(), digest_size=8)
        return int.from_bytes(digest.digest(), "big", signed=True)

    def _lock_in_transaction(self, conn: psycopg.Connection[Any], cycle_id: str) -> None:
        """Take the cycle's transaction-level lock, unless this thread holds it already."""
        if cycle_id in self._held_map():
            return
        try:
            conn.execute("SELECT pg_advisory_xact_lock(%s)", [self._key(cycle_id)])
        except pg_errors.LockNotAvailable:
            raise LockTimeout(self._timeout_message(cycle_id)) from None

    def _timeout_message(self, cycle_id: str) -> str:
        key = self._key(cycle_id) & 0xFFFFFFFFFFFFFFFF
        holder = ""
        with contextlib.suppress(psycopg.Error, PoolTimeout, StoreError):
            probe = psycopg.connect(self.target.conninfo, **self._connect_args)
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
                where = f"from {address}" if address else "on the server's socket"
                when = since.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%SZ") if since else "?"
                holder = (
                    f" by {app or 'another client'} (PostgreSQL pid {pid} {where}, connected "
                    f"since {when}); if it is stuck, end it (SELECT pg_terminate_backend({pid}))"
                )
        holder = holder or " by another writer"
        return (
            f"cycle {cycle_id} on PostgreSQL {self.location} is held{holder}; "
            f"waited {self.lock_timeout:g} s, nothing was saved; try again"
        )

    @contextlib.contextmanager
    def exclusive(self, cycle_id: str) -> Iterator[None]:
        """Hold the cycle's session lock on a connection kept for the block: no other writer
        changes the cycle until it ends; the block's writes commit one by one as they come."""
        self._check_id(cycle_id)
        held = self._held_map()
        if cycle_id in held:
            held[cycle_id][1] += 1
            try:
                yield
            finally:
                held[cycle_id][1] -= 1
            return
        with contextlib.ExitStack() as stack:
            # one connection per thread holds all its cycles (no second one is waited for)
            conn = self._thread_connection()
            own = conn is None  # this block's own connection, given back when it ends
            if conn is not None:
                self._lock_session(conn, cycle_id)
            else:
                conn = self._locking_connection(stack, cycle_id)
            held[cycle_id] = [conn, 1]
            try:
                yield
            finally:
                held.pop(cycle_id, None)
                ahead = getattr(self._held, "read_ahead", None)
                if ahead is not None and ahead[0] == cycle_id:
                    self._held.read_ahead = None
                if conn.broken:
                    pass  # the server ended the session, and its locks
                elif own and not held and self._send_unlock(conn, cycle_id):
                    pass  # sent; the answer is read when the connection is next used
                else:
                    with contextlib.suppress(psycopg.Error):
                        conn.execute("SELECT pg_advisory_unlock(%s)", [self._key(cycle_id)])

    def _take_read_ahead(self, cycle_id: str, known: _LogKey | None) -> Any:
        """The cycle's row read right after `exclusive` took its lock, if this is the block's
        first store call and the read asked for the log this object still keeps (else None)."""
        ahead = getattr(self._held, "read_ahead", None)
        self._held.read_ahead = None
        if ahead is None or ahead[0] != cycle_id or ahead[1] != known:
            return None
        if cycle_id not in self._held_map():
            return None
        return ahead[2]

    def _lock_and_read(self, conn: psycopg.Connection[Any], cycle_id: str) -> None:
        """Take the cycle's session lock and, in the same round trip (pipelined, after the
        lock is granted, so under it), read the cycle's row as `load` would: the block's first
        call, usually `load`, needs no round trip of its own (`_take_read_ahead`)."""
        kept = self._logs.get(cycle_id)
        known = kept[0] if kept else None
        key = known or (-1, "", -1, -1)
        with conn.pipeline():
            conn.execute("SELECT pg_advisory_lock(%s)", [self._key(cycle_id)], prepare=True)
            read = conn.execute(self._READ, [*key, cycle_id], prepare=True)
        self._held.read_ahead = (cycle_id, known, read.fetchone())

    def _lock_session(self, conn: psycopg.Connection[Any], cycle_id: str) -> None:
        try:
            conn.execute("SELECT pg_advisory_lock(%s)", [self._key(cycle_id)])
        except pg_errors.LockNotAvailable:
            raise LockTimeout(self._timeout_message(cycle_id)) from None
        except (psycopg.Error, PoolTimeout) as error:
            raise StoreError(self._message(error, f"cannot lock cycle {cycle_id}")) from None

    def _locking_connection(
        self, stack: contextlib.ExitStack, cycle_id: str
    ) -> psycopg.Connection[Any]:
        """A connection (kept open by `stack`) holding the cycle's session lock; one found
        dead is dropped and the next one tried, as in `_run`."""
        for _ in range(self.pool_size + 1):
            attempt = contextlib.ExitStack()
            try:
                conn = attempt.enter_context(self._connection())
            except (psycopg.Error, PoolTimeout) as error:
                raise StoreError(self._message(error, f"cannot lock cycle {cycle_id}")) from None
            try:
                self._lock_and_read(conn, cycle_id)
            except pg_errors.LockNotAvailable:
                attempt.close()
                raise LockTimeout(self._timeout_message(cycle_id)) from None
            except psycopg.OperationalError as error:
                broken = conn.broken
                attempt.close()
                if broken:
                    continue
                raise StoreError(self._message(error, f"cannot lock cycle {cycle_id}")) from None
            except psycopg.Error as error:
                attempt.close()
                raise StoreError(self._message(error, f"cannot lock cycle {cycle_id}")) from None
            stack.push(attempt)
            return conn
        raise StoreError(f"PostgreSQL {self.location}: cannot lock cycle {cycle_id}: no connection")

    def _check_id(self, cycle_id: str) -> None:
        if not _ID.match(cycle_id):
            raise CycleNotFound(f"'{cycle_id}' is not a cycle id")

    def _address(self, cycle_id: str) -> str:
        return f"{self.location}#cycles/{cycle_id}"

    def _not_found(self, cycle_id: str) -> CycleNotFound:
        return CycleNotFound(f"no cycle '{cycle_id}' in PostgreSQL {self.location}")

    # -- cycles -------------------------------------------------------------------------------

    def create(
        self, cycle_id: str, header: dict[str, Any], first: Event, summary: dict[str, Any]
    ) -> None:
        self._check_id(cycle_id)
        stored = {**first.to_json(), "prev": GENESIS}
        head = event_hash(stored)
        summary = {**summary, "version": 1, "head": head}
        static = {k: v for k, v in header.items() if k not in ("version", "head", "summary")}
        static["schema"] = SCHEMA_VERSION

        def work(conn: psycopg.Connection[Any], retry: bool) -> None:
            with conn.transaction():
                self._lock_in_transaction(conn, cycle_id)
                inserted = conn.execute(
                    "INSERT INTO cycles (id, sop_id, kecamatan, period, status, current_step,"
                    " due_at, version, head, summary, header)"
                    " VALUES (%s, %s, %s, %s, %s, %s, %s, 1, %s, %s, %s)"
                    " ON CONFLICT (id) DO NOTHING",
                    [cycle_id, *self._columns(static, summary), head, _jsonb(summary)]
                    + [_jsonb(static)],
                ).rowcount
                if not inserted:
                    if retry and self._stored_ids(conn, cycle_id, 1, 1) == [first.id]:
                        return  # the lost connection had created it
                    raise StoreError(
                        f"{self._address(cycle_id)}: a cycle with this id exists already"
                    )
                conn.execute(
                    "INSERT INTO events (cycle_id, seq, event, hash) VALUES (%s, 1, %s, %s)",
                    [cycle_id, _jsonb(stored), head],
                )

        self._run(work, f"cannot create cycle {cycle_id}", cycle_id, write=True)
        self._remember(cycle_id, 1, head, None)

    @staticmethod
    def _columns(header: dict[str, Any], summary: dict[str, Any]) -> list[Any]:
        """sop_id, kecamatan, period, status, current_step, due_at (the indexed columns)."""
        step = summary.get("current_step")
        return [
            _column_text(header.get("sop_id", summary.get("sop_id"))),
            _column_text(summary.get("kecamatan")),
            _column_text(header.get("period", summary.get("period"))),
            _column_text(summary.get("status")),
            step if isinstance(step, int) and not isinstance(step, bool) else None,
            _due_at(summary.get("due_at")),
        ]

    @staticmethod
    def _stored_ids(
        conn: psycopg.Connection[Any], cycle_id: str, first: int, last: int
    ) -> list[Any]:
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
        result: list[tuple[int, str]] = []

        def work(conn: psycopg.Connection[Any], retry: bool) -> int:
            if not retry:
                fast = self._append_known(conn, cycle_id, expected_version, events, summary)
                if fast is not None:
                    result[:] = [fast]
                    return fast[0]
            with conn.transaction():
                self._lock_in_transaction(conn, cycle_id)
                row = conn.execute(
                    "SELECT version, head, header FROM cycles WHERE id = %s", [cycle_id]
                ).fetchone()
                if row is None:
                    raise self._not_found(cycle_id)
                version, head, header = int(row[0]), str(row[1]), row[2]
                self._schema(cycle_id, header)
                added = len(events)
                if version != expected_version:
                    if (
                        retry
                        and version == expected_version + added
                        and self._stored_ids(conn, cycle_id, expected_version + 1, version)
                        == [e.id for e in events]
                    ):
                        return version  # the lost connection had committed this very append
                    raise ConflictError(cycle_id, expected_version, version)
                problem = self._integrity(conn, cycle_id, version, head, header)
                if problem is not None:
                    raise IntegrityError(cycle_id, problem)
                for offset, event in enumerate(events, start=1):
                    if event.seq != version + offset:
                        raise ConflictError(cycle_id, event.seq - offset, version)
                rows = []
                for event in events:
                    stored = {**event.to_json(), "prev": head}
                    head = event_hash(stored)
                    rows.append((cycle_id, event.seq, _jsonb(stored), head))
                if rows:
                    with conn.cursor() as cursor:
                        cursor.executemany(
                            "INSERT INTO events (cycle_id, seq, event, hash)"
                            " VALUES (%s, %s, %s, %s)",
                            rows,
                        )
                new_version = version + added
                full = {**summary, "version": new_version, "head": head}
                updated = conn.execute(
                    "UPDATE cycles SET version = %s, head = %s, summary = %s, kecamatan = %s,"
                    " status = %s, current_step = %s, due_at = %s,"
                    " change_no = nextval('langkah_change')"
                    " WHERE id = %s AND version = %s",
                    [new_version, head, _jsonb(full)]
                    + self._columns(header, full)[1:2]
                    + self._columns(header, full)[3:]
                    + [cycle_id, expected_version],
                ).rowcount
                if updated != 1:
                    raise ConflictError(cycle_id, expected_version, version)
                result[:] = [(new_version, head)]
                return new_version

        new_version = self._run(work, f"cannot save to cycle {cycle_id}", cycle_id, write=True)
        if result:
            self._remember(cycle_id, result[0][0], result[0][1], None)
        return new_version

    def _append_known(
        self,
        conn: psycopg.Connection[Any],
        cycle_id: str,
        expected_version: int,
        events: list[Event],
        summary: dict[str, Any],
    ) -> tuple[int, str] | None:
        """The append in one round trip, when this object knows the log is at
        `expected_version` with a head it verified (it just loaded or wrote it): lock, update
        the cycle row where it still has that version and head, insert the events only if the
        row now has the new ones, commit, all pipelined. (new version, head), or None when the
        row had moved on: nothing was changed, and the full path finds out why."""
        known = self._verified.get(cycle_id)
        if known is None or known[0] != expected_version or known[2] is not None:
            return None
        if [e.seq for e in events] != list(
            range(expected_version + 1, expected_version + len(events) + 1)
        ):
            return None
        head = old_head = known[1]
        stored_rows = []
        for event in events:
            stored = {**event.to_json(), "prev": head}
            head = event_hash(stored)
            stored_rows.append((event.seq, _jsonb(stored), head))
        new_version = expected_version + len(events)
        full = {**summary, "version": new_version, "head": head}
        columns = self._columns({}, full)
        update = (
            "UPDATE cycles SET version = %s, head = %s, summary = %s, kecamatan = %s,"
            " status = %s, current_step = %s, due_at = %s, change_no = nextval('langkah_change')"
            " WHERE id = %s AND version = %s AND head = %s RETURNING id"
        )
        params: list[Any] = [new_version, head, _jsonb(full), columns[1], *columns[3:]]
        params += [cycle_id, expected_version, old_head]
        if stored_rows:  # the events go in only with the row's update (one statement)
            values = ", ".join(["(%s::integer, %s::jsonb, %s::text)"] * len(stored_rows))
            query = (
                f"WITH up AS ({update}) INSERT INTO events (cycle_id, seq, event, hash)"
                f" SELECT up.id, v.seq, v.event, v.hash FROM up, (VALUES {values})"
                " AS v (seq, event, hash) RETURNING xmin::text::bigint"
            )
            params += [item for row in stored_rows for item in row]
            wanted = len(stored_rows)
        else:
            query, wanted = update, 1
        if cycle_id in self._held_map():
            # under `exclusive`'s lock: one statement, its own transaction (the connection is in
            # autocommit), durable when it returns (synchronous_commit): one round trip
            updated = conn.execute(query, params, prepare=True)
        else:
            try:
                with conn.pipeline(), conn.transaction():
                    self._lock_in_transaction(conn, cycle_id)
                    updated = conn.execute(query, params, prepare=True)
            except pg_errors.LockNotAvailable:
                raise LockTimeout(self._timeout_message(cycle_id)) from None
        if updated.rowcount != wanted:
            return None
        kept = self._logs.get(cycle_id)
        if kept is not None and kept[0][:2] == (expected_version, old_head):
            xmin = max(
                [kept[0][3], *(int(r[0]) for r in updated.fetchall())]
                if stored_rows
                else [kept[0][3]]
            )
            key = (new_version, head, kept[0][2] + len(stored_rows), xmin)
            record = kept[1]
            self._keep_log(
                cycle_id,
                key,
                CycleRecord(cycle_id, record.header, record.events + events, full, None, head),
            )
        return new_version, head

    def _remember(self, cycle_id: str, version: int, head: str, problem: str | None) -> None:
        self._verified.pop(cycle_id, None)
        self._verified[cycle_id] = (version, head, problem)
        if len(self._verified) > _VERIFIED:
            with contextlib.suppress(RuntimeError, StopIteration, KeyError):
                self._verified.pop(next(iter(self._verified)))

    def _integrity(
        self,
        conn: psycopg.Connection[Any],
        cycle_id: str,
        version: int,
        head: str,
        header: Any,
    ) -> str | None:
        """What does not verify in the stored log (None: it verifies): remembered for the
        (version, head) this object last checked or wrote, else the whole log is checked."""
        known = self._verified.get(cycle_id)
        if known is not None and known[:2] == (version, head):
            return known[2]
        raw = self._raw_events(conn, cycle_id)
        problem = check_chain(self._full_header(header, version, head), raw).problem
        self._remember(cycle_id, version, head, problem)
        return problem

    @staticmethod
    def _raw_events(conn: psycopg.Connection[Any], cycle_id: str) -> list[Any]:
        rows = conn.execute(
            "SELECT event FROM events WHERE cycle_id = %s ORDER BY seq", [cycle_id]
        ).fetchall()
        return [row[0] for row in rows]

    @staticmethod
    def _full_header(header: Any, version: int, head: str) -> dict[str, Any]:
        static = header if isinstance(header, dict) else {}
        return {**static, "version": version, "head": head}

    def _schema(self, cycle_id: str, header: Any) -> dict[str, Any]:
        """The stored header, refused (DamagedRowError) if it is not one this Langkah reads."""
        if not isinstance(header, dict) or not isinstance(header.get("schema"), int):
            raise DamagedRowError(self._address(cycle_id), "no cycle header")
        schema = header["schema"]
        if schema > SCHEMA_VERSION:
            raise DamagedRowError(
                self._address(cycle_id),
                f"written by a newer Langkah (schema {schema}, this one reads {SCHEMA_VERSION})",
                repairable=False,
            )
        return header

    _READ = (
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

    def _read(
        self, conn: psycopg.Connection[Any], cycle_id: str, known: _LogKey | None = None
    ) -> tuple[Any, ...]:
        """(version, head, header, summary, raw events, log key) in one statement (one
        snapshot). The raw events are None when the log still has the key `known` (the same
        version and head, and event rows neither added, removed nor rewritten: their count and
        newest `xmin`). The `xmin` of the pinned definition's row comes along, for
        `definition_problem`."""
        key = known or (-1, "", -1, -1)
        row = conn.execute(self._READ, [*key, cycle_id], prepare=True).fetchone()
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

    def load(self, cycle_id: str) -> CycleRecord:
        self._check_id(cycle_id)
        kept = self._logs.get(cycle_id)
        known = kept[0] if kept else None
        ahead = self._take_read_ahead(cycle_id, known)
        if ahead is not None:  # read with the lock as `exclusive` began, the lock held since
            version, head, header, summary, raw, key = self._read_row(cycle_id, ahead)
        else:
            version, head, header, summary, raw, key = self._run(
                lambda conn, _: self._read(conn, cycle_id, known),
                f"cannot read cycle {cycle_id}",
                cycle_id,
            )
        if raw is None and kept is not None:  # the log this object read or wrote last
            self._schema(cycle_id, header)
            record = kept[1]
            self._remember(cycle_id, version, head, record.integrity)
        else:
            record = self._record(cycle_id, version, head, header, summary, raw)
            self._keep_log(cycle_id, key, record)
        # copies: what callers do with a record must not change the kept one
        return CycleRecord(
            cycle_id,
            self._full_header(header, version, head),
            list(record.events),
            summary if isinstance(summary, dict) else {},
            record.integrity,
            record.head,
        )

    def _keep_log(self, cycle_id: str, key: _LogKey, record: CycleRecord) -> None:
        self._logs.pop(cycle_id, None)
        self._logs[cycle_id] = (key, record)
        if len(self._logs) > _VERIFIED:
            with contextlib.suppress(RuntimeError, StopIteration, KeyError):
                self._logs.pop(next(iter(self._logs)))

    def _record(
        self, cycle_id: str, version: int, head: str, header: Any, summary: Any, raw: list[Any]
    ) -> CycleRecord:
        self._schema(cycle_id, header)
        full = self._full_header(header, version, head)
        try:
            plain_events = [
                {k: v for k, v in e.items() if k != "prev"} if isinstance(e, dict) else e
                for e in raw
            ]
            events = sorted(_EVENT_LIST.validate_python(plain_events), key=lambda e: e.seq)
        except (ValidationError, TypeError, AttributeError) as error:
            detail = str(error).splitlines()[0]
            raise DamagedRowError(
                self._address(cycle_id), f"an event cannot be read: {detail}"
            ) from None
        if [e.seq for e in events] != list(range(1, len(events) + 1)) or len(events) != version:
            raise DamagedRowError(
                self._address(cycle_id), "the event log has gaps or does not match its header"
            )
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
        if not _ID.match(cycle_id):
            return False
        row = self._run(
            lambda conn, _: conn.execute(
                "SELECT 1 FROM cycles WHERE id = %s", [cycle_id]
            ).fetchone(),
            "cannot read the cycles",
        )
        return row is not None

    def cycle_ids(self) -> list[str]:
        rows = self._run(
            lambda conn, _: conn.execute("SELECT id FROM cycles").fetchall(),
            "cannot list the cycles",
        )
        return sorted(row[0] for row in rows)

    def summaries(self) -> ListedSummaries:
        """Every cycle's stored summary in one query. A cycle row whose last event is missing
        is a problem (damaged); one whose last event's hash is not the row's head, or whose
        log this object found not to verify, is named in `integrity`; a summary that does not
        record the row's version and head is `stale`."""
        rows = self._run(
            lambda conn, _: conn.execute(
                "SELECT c.id, c.summary, c.version, c.head, c.header, e.hash"
                " FROM cycles c LEFT JOIN events e ON e.cycle_id = c.id AND e.seq = c.version"
            ).fetchall(),
            "cannot list the cycles",
        )
        found: list[dict[str, Any]] = []
        problems: list[str] = []
        integrity: dict[str, str] = {}
        stale: list[str] = []
        for cycle_id, summary, version, head, header, last_hash in sorted(rows):
            try:
                self._schema(cycle_id, header)
                if last_hash is None:
                    raise DamagedRowError(
                        self._address(cycle_id),
                        f"event {version} is missing: the cycle row records {version} events",
                    )
                if not isinstance(summary, dict):
                    raise DamagedRowError(self._address(cycle_id), "no summary")
            except DamagedStoreError as error:
                problems.append(str(error))
                continue
            known = self._verified.get(cycle_id)
            if last_hash != head:
                integrity[cycle_id] = (
                    f"event {version} (the last) differs from the head hash in the cycle row"
                )
            elif known is not None and known[:2] == (version, head) and known[2]:
                integrity[cycle_id] = known[2]
            if summary.get("version") != version or summary.get("head") != head:
                stale.append(cycle_id)
            found.append(summary)
        return ListedSummaries(found, problems, integrity, stale)

    def stats_facts(self) -> PgFacts:
        """langkah stats' kept facts, aggregated in SQL (langkah/store/pg_facts.py)."""
        return PgFacts(self)

    # -- the overview, filtered, ordered and paged in the database ----------------------------

    _TEXT = (
        "lower(concat_ws(' ', c.id, c.kecamatan, c.summary->>'sop_name', c.period,"
        " c.summary->>'activity', c.summary->>'actors',"
        " (SELECT string_agg(h.value, ' ') FROM jsonb_each_text(CASE WHEN"
        " jsonb_typeof(c.summary->'holders') = 'object' THEN c.summary->'holders'"
        " ELSE '{}'::jsonb END) h)))"
    )
    _RANK = (
        "CASE WHEN c.status NOT IN ('active', 'paused') THEN 4"
        " WHEN c.due_at < %(now)s THEN 0"
        " WHEN c.summary->>'near_at' ~ '^[0-9]{4}-' AND"
        " (c.summary->>'near_at')::timestamptz <= %(now)s THEN 1"
        " WHEN c.summary->'timed' = 'true'::jsonb THEN 2 ELSE 3 END"
    )

    def _query_filters(self, query: SummaryQuery) -> tuple[str, dict[str, Any]]:
        """The WHERE clause of `query` (SummaryQuery's rules) and its parameters."""
        where = ["e.hash IS NOT NULL"]  # a row whose last event is missing is a problem
        params: dict[str, Any] = {"now": query.now}
        if query.sop_id:
            where.append("c.sop_id = %(sop)s")
            params["sop"] = query.sop_id
        if query.unit:
            where.append(
                "(lower(c.kecamatan) = %(unit)s OR left(c.sop_id, length(%(unit)s)) = %(unit)s)"
            )
            params["unit"] = query.unit.casefold()
        if query.period:
            where.append("lower(c.period) = %(period)s")
            params["period"] = query.period.casefold()
        if query.status in ("open", "overdue"):
            where.append("c.status IN ('active', 'paused')")
            if query.status == "overdue":
                where.append("c.due_at < %(now)s")
        elif query.status:
            where.append("c.status = %(status)s")
            params["status"] = query.status
        for n, word in enumerate(query.text.casefold().split()):
            where.append(f"strpos({self._TEXT}, %(w{n})s) > 0")
            params[f"w{n}"] = word
        return " AND ".join(where), params

    def query_summaries(self, query: SummaryQuery) -> SummaryPage:
        """The page of summaries `query` selects: filtered, ordered (most urgent first: the
        rank from `due_at`, the summary's `near_at` and `timed`, then `due_at`, then the id in
        code-point order) and cut in one query on the indexed columns."""
        where, params = self._query_filters(query)
        params["limit"] = query.limit
        params["offset"] = max(query.offset, 0)
        joined = (
            " FROM cycles c LEFT JOIN events e ON e.cycle_id = c.id AND e.seq = c.version"
            f" WHERE {where}"
        )

        def work(conn: psycopg.Connection[Any], _: bool) -> tuple[Any, ...]:
            rows = conn.execute(
                "SELECT c.id, c.summary, c.version, c.head, c.header, e.hash"
                + joined
                + f' ORDER BY {self._RANK}, c.due_at NULLS LAST, c.id COLLATE "C"'
                " LIMIT %(limit)s OFFSET %(offset)s",
                params,
            ).fetchall()
            total = conn.execute("SELECT count(*)" + joined, params).fetchone()
            damaged = conn.execute(
                "SELECT c.id, c.version FROM cycles c LEFT JOIN events e"
                " ON e.cycle_id = c.id AND e.seq = c.version WHERE e.hash IS NULL ORDER BY c.id"
            ).fetchall()
            stale = conn.execute(
                "SELECT c.id FROM cycles c WHERE NOT (c.summary ? 'due_at')"
                " OR c.summary->>'version' IS DISTINCT FROM c.version::text"
                " OR c.summary->>'head' IS DISTINCT FROM c.head ORDER BY c.id COLLATE \"C\""
            ).fetchall()
            kecamatan = conn.execute("SELECT DISTINCT kecamatan FROM cycles").fetchall()
            periods = conn.execute("SELECT DISTINCT period FROM cycles").fetchall()
            return rows, total, damaged, stale, kecamatan, periods

        rows, total, damaged, stale, kecamatan, periods = self._run(work, "cannot list the cycles")
        page: list[dict[str, Any]] = []
        problems = [
            str(
                DamagedRowError(
                    self._address(cycle_id),
                    f"event {version} is missing: the cycle row records {version} events",
                )
            )
            for cycle_id, version in damaged
        ]
        integrity: dict[str, str] = {}
        for cycle_id, summary, version, head, header, last_hash in rows:
            try:
                self._schema(cycle_id, header)
                if not isinstance(summary, dict):
                    raise DamagedRowError(self._address(cycle_id), "no summary")
            except DamagedStoreError as error:
                problems.append(str(error))
                continue
            known = self._verified.get(cycle_id)
            if last_hash != head:
                integrity[cycle_id] = (
                    f"event {version} (the last) differs from the head hash in the cycle row"
                )
            elif known is not None and known[:2] == (version, head) and known[2]:
                integrity[cycle_id] = known[2]
            page.append(summary)
        return SummaryPage(
            page,
            int(total[0]) if total else 0,
            problems,
            integrity,
            stale=sorted(row[0] for row in stale),
            kecamatan=sorted(row[0] for row in kecamatan),
            periods=sorted((row[0] for row in periods), reverse=True),
        )

    # -- definitions and drafts ---------------------------------------------------------------

    def put_definition(self, digest: str, text: str) -> None:
        if "\x00" in text:
            raise StoreError(
                f"definition {digest[:12]}: the text holds a NUL character, which PostgreSQL "
                "cannot store; nothing was saved"
            )
        self._run(
            lambda conn, _: conn.execute(
                "INSERT INTO definitions (digest, text) VALUES (%s, %s)"
                " ON CONFLICT (digest) DO NOTHING",
                [digest, text],
            ),
            f"cannot pin definition {digest[:12]}",
            write=True,
        )

    def _definition_text(self, digest: str) -> str | None:
        row = self._run(
            lambda conn, _: conn.execute(
                "SELECT text FROM definitions WHERE digest = %s", [digest]
            ).fetchone(),
            f"cannot read definition {digest[:12]}",
        )
        return None if row is None else str(row[0])

    def get_definition(self, digest: str) -> str:
        text = self._definition_text(digest)
        if text is None:
            raise StoreError(
                f"{self.definition_source(digest)}: the definition this cycle started with "
                "is missing"
            )
        return text

    def definition_source(self, digest: str) -> str:
        return f"{self.location}#definitions/{digest}"

    def definition_problem(self, digest: str) -> str | None:
        """Checked again whenever the row changes (its `xmin`, the transaction that wrote it:
        a row changed behind the trigger's back gets a new one); one small query otherwise."""
        seen = self._definition_seen.get(digest)
        kept = self._definition_checks.get(digest)
        fresh = seen is not None and time.monotonic() - seen[1] < _SEEN_FOR
        if fresh and kept is not None and seen is not None and seen[0] == kept[0]:
            return kept[1]  # the row's version read with the cycle just now: unchanged
        try:
            row = self._run(
                lambda conn, _: conn.execute(
                    "SELECT xmin::text FROM definitions WHERE digest = %s", [digest]
                ).fetchone(),
                f"cannot read definition {digest[:12]}",
            )
            if row is None:
                return None  # missing is not changed: loading it says so (get_definition)
            kept = self._definition_checks.get(digest)
            if kept is not None and kept[0] == row[0]:
                return kept[1]
            text = self._definition_text(digest)
        except StoreError as error:
            return str(error)
        problem = None
        if text is not None and hashlib.sha256(text.encode("utf-8")).hexdigest() != digest:
            what = "emptied" if not text.strip() else "changed"
            problem = (
                f"the pinned definition {digest[:12]}… was {what} after the cycle started "
                "(its SHA-256 no longer matches its digest)"
            )
        if len(self._definition_checks) < 1024:
            self._definition_checks[digest] = (str(row[0]), problem)
        return problem

    def save_draft(self, cycle_id: str, draft: dict[str, Any]) -> None:
        self._check_id(cycle_id)

        def work(conn: psycopg.Connection[Any], _: bool) -> None:
            with conn.transaction():
                self._lock_in_transaction(conn, cycle_id)
                conn.execute(
                    "INSERT INTO drafts (cycle_id, draft) VALUES (%s, %s) ON CONFLICT (cycle_id)"
                    " DO UPDATE SET draft = excluded.draft, saved_at = now()",
                    [cycle_id, _jsonb(draft)],
                )

        self._run(work, f"cannot save the draft of cycle {cycle_id}", cycle_id, write=True)

    def load_draft(self, cycle_id: str) -> dict[str, Any] | None:
        self._check_id(cycle_id)
        row = self._run(
            lambda conn, _: conn.execute(
                "SELECT draft FROM drafts WHERE cycle_id = %s", [cycle_id]
            ).fetchone(),
            f"cannot read the draft of cycle {cycle_id}",
            cycle_id,
        )
        return row[0] if row is not None and isinstance(row[0], dict) else None

    def clear_draft(self, cycle_id: str) -> None:
        self._check_id(cycle_id)

        def work(conn: psycopg.Connection[Any], _: bool) -> None:
            with conn.transaction():
                self._lock_in_transaction(conn, cycle_id)
                conn.execute("DELETE FROM drafts WHERE cycle_id = %s", [cycle_id])

        self._run(work, f"cannot clear the draft of cycle {cycle_id}", cycle_id, write=True)

    def change_token(self) -> tuple[int, int]:
        """The newest change number of any cycle row, and of any cycle set aside by `repair`
        (two index look-ups); (-1, -1) while the server cannot be reached."""
        try:
            row = self._run(
                lambda conn, _: conn.execute(
                    "SELECT (SELECT coalesce(max(change_no), 0) FROM cycles),"
                    " (SELECT coalesce(max(aside_id), 0) FROM damaged_cycles)"
                ).fetchone(),
                "cannot read the change number",
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

        def read(conn: psycopg.Connection[Any], _: bool) -> tuple[Any, list[Any]]:
            rows = conn.execute(
                "SELECT id, change_no FROM cycles WHERE change_no > %s", [token[0]]
            ).fetchall()
            aside = conn.execute("SELECT coalesce(max(aside_id), 0) FROM damaged_cycles")
            return (aside.fetchone() or (0,))[0], rows

        try:
            aside, rows = self._run(read, "cannot read which cycles changed")
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
                conn = psycopg.connect(self.target.conninfo, **self._connect_args)
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

    # -- copying whole logs (langkah migrate) ---------------------------------------------------

    def export_cycle(self, cycle_id: str) -> StoredLog:
        self._check_id(cycle_id)
        version, head, header, summary, raw, _ = self._run(
            lambda conn, _: self._read(conn, cycle_id), f"cannot read cycle {cycle_id}", cycle_id
        )
        self._schema(cycle_id, header)
        full = self._full_header(header, version, head)
        return StoredLog(cycle_id, full, list(raw), summary if isinstance(summary, dict) else {})

    def import_cycle(self, log: StoredLog) -> None:
        """Store a log exactly as given (one transaction): StoreError if the cycle exists or
        the log does not verify against its own hash chain."""
        cycle_id = log.cycle_id
        self._check_id(cycle_id)
        check = check_chain(log.header, log.events)
        if check.problem or not check.chained or not log.events:
            raise StoreError(
                f"cycle {cycle_id}: not imported: {check.problem or 'no hash chain / no events'}"
            )
        static = {k: v for k, v in log.header.items() if k not in ("version", "head", "summary")}
        version, head = len(log.events), check.head

        def work(conn: psycopg.Connection[Any], retry: bool) -> None:
            with conn.transaction():
                self._lock_in_transaction(conn, cycle_id)
                inserted = conn.execute(
                    "INSERT INTO cycles (id, sop_id, kecamatan, period, status, current_step,"
                    " due_at, version, head, summary, header)"
                    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
                    " ON CONFLICT (id) DO NOTHING",
                    [cycle_id, *self._columns(static, log.summary), version, head]
                    + [_jsonb(log.summary), _jsonb(static)],
                ).rowcount
                if not inserted:
                    raise StoreError(
                        f"{self._address(cycle_id)}: a cycle with this id exists already"
                    )
                with conn.cursor() as cursor:
                    cursor.executemany(
                        "INSERT INTO events (cycle_id, seq, event, hash) VALUES (%s, %s, %s, %s)",
                        [
                            (cycle_id, seq, _jsonb(raw), digest)
                            for seq, (raw, digest) in enumerate(
                                zip(log.events, check.hashes, strict=True), start=1
                            )
                        ],
                    )

        self._run(work, f"cannot import cycle {cycle_id}", cycle_id, write=True)

    def import_cycles(self, logs: list[StoredLog]) -> None:
        """Store several logs exactly as given in one transaction, all or none (`langkah
        migrate`, a batch at a time): the cycle rows and the event rows go in by COPY.
        StoreError, and nothing stored, if any log does not verify against its own hash
        chain or any of the cycles exists already."""
        cycle_rows: list[tuple[Any, ...]] = []
        event_rows: list[tuple[Any, ...]] = []
        for log in logs:
            cycle_id = log.cycle_id
            self._check_id(cycle_id)
            check = check_chain(log.header, log.events)
            if check.problem or not check.chained or not log.events:
                raise StoreError(
                    f"cycle {cycle_id}: not imported: "
                    f"{check.problem or 'no hash chain / no events'}"
                )
            static = {
                k: v for k, v in log.header.items() if k not in ("version", "head", "summary")
            }
            cycle_rows.append(
                (
                    cycle_id,
                    *self._columns(static, log.summary),
                    len(log.events),
                    check.head,
                    pg_json.encode(log.summary),
                    pg_json.encode(static),
                )
            )
            event_rows.extend(
                (cycle_id, seq, pg_json.encode(raw), digest)
                for seq, (raw, digest) in enumerate(
                    zip(log.events, check.hashes, strict=True), start=1
                )
            )

        def work(conn: psycopg.Connection[Any], _: bool) -> None:
            with conn.transaction(), conn.cursor() as cursor:
                with cursor.copy(
                    "COPY cycles (id, sop_id, kecamatan, period, status, current_step, due_at,"
                    " version, head, summary, header) FROM STDIN"
                ) as copy:
                    for row in cycle_rows:
                        copy.write_row(row)
                with cursor.copy("COPY events (cycle_id, seq, event, hash) FROM STDIN") as copy:
                    for row in event_rows:
                        copy.write_row(row)

        if cycle_rows:
            self._run(work, f"cannot import {len(cycle_rows)} cycles", write=True)

    def export_cycles(self, cycle_ids: list[str]) -> dict[str, StoredLog | StoreError]:
        """The cycles of `cycle_ids` this store holds, exactly as stored, in one query: each
        as `export_cycle` gives it, or the error it would raise (a cycle not held is left
        out)."""
        wanted = [c for c in cycle_ids if _ID.match(c)]
        rows = self._run(
            lambda conn, _: conn.execute(
                "SELECT c.id, c.version, c.head, c.header, c.summary,"
                " coalesce((SELECT jsonb_agg(e.event ORDER BY e.seq) FROM events e"
                " WHERE e.cycle_id = c.id), '[]'::jsonb)"
                " FROM cycles c WHERE c.id = ANY(%s)",
                [wanted],
            ).fetchall(),
            "cannot read the cycles",
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
                self._full_header(header, version, head),
                list(raw),
                summary if isinstance(summary, dict) else {},
            )
        return found

    # -- maintenance --------------------------------------------------------------------------

    def cleanup(self) -> int:
        """Nothing to remove: a killed writer's transaction is rolled back by the server and its
        advisory locks end with its connection."""
        return 0

    def put_summary(self, cycle_id: str, version: int, head: str, summary: dict[str, Any]) -> bool:
        self._check_id(cycle_id)
        full = {**summary, "version": version, "head": head}

        def work(conn: psycopg.Connection[Any], _: bool) -> bool:
            with conn.transaction():
                header_row = conn.execute(
                    "SELECT header FROM cycles WHERE id = %s", [cycle_id]
                ).fetchone()
                if header_row is None:
                    raise self._not_found(cycle_id)
                columns = self._columns(header_row[0] or {}, full)
                return (
                    conn.execute(
                        "UPDATE cycles SET summary = %s, kecamatan = %s, status = %s,"
                        " current_step = %s, due_at = %s, change_no = nextval('langkah_change')"
                        " WHERE id = %s AND version = %s AND head = %s",
                        [_jsonb(full), columns[1], *columns[3:], cycle_id, version, head],
                    ).rowcount
                    == 1
                )

        return self._run(work, f"cannot save the summary of cycle {cycle_id}", cycle_id, True)

    def verify(self, cycle_id: str) -> ChainCheck:
        self._check_id(cycle_id)
        version, head, header, _, raw, _ = self._run(
            lambda conn, _: self._read(conn, cycle_id), f"cannot read cycle {cycle_id}", cycle_id
        )
        self._schema(cycle_id, header)
        return check_chain(self._full_header(header, version, head), raw)

    def upgrade(self, cycle_id: str) -> bool:
        """False: every log in a PostgreSQL store has its hash chain (`langkah migrate` adds
        it to a schema-1 log as it copies it)."""
        if not self.has_cycle(cycle_id):
            raise self._not_found(cycle_id)
        return False

    def check(self, cycle_id: str) -> str | None:
        try:
            self.load(cycle_id)
        except DamagedStoreError as error:
            return str(error)
        return None

    def recover(self, cycle_id: str, rebuild: Rebuild) -> Recovery:
        """Set a damaged cycle's rows aside in `damaged_cycles`, then keep what can be recovered.

        1. The cycle's row and every event row, as stored, are copied into `damaged_cycles`
           (reused if an identical copy is there: a second run adds nothing).
        2. Events that can be read are salvaged; from seq 1 on, the chain picks the events kept
           (`chain_prefix`, as on the embedded store); `rebuild` says how many replay.
        3. In the same transaction (with langkah.repair on, the one case the append-only
           trigger lets events be deleted), the events not kept are deleted and the cycle row
           gets the kept log's version, head and rebuilt summary; a cycle with no readable first
           event is removed whole. Nothing is lost: the aside copy holds every row.
        """
        from langkah.store.tinydb_store import chain_prefix  # the same rule on both stores

        self._check_id(cycle_id)
        address = self._address(cycle_id)

        def work(conn: psycopg.Connection[Any], _: bool) -> Recovery:
            with conn.transaction():
                self._lock_in_transaction(conn, cycle_id)
                try:
                    self._record(cycle_id, *self._read(conn, cycle_id)[:5])
                except DamagedStoreError as error:
                    problem = str(error)
                    if not error.repairable:
                        return Recovery(cycle_id, address, "newer", problem + "; left as it is")
                else:
                    return Recovery(cycle_id, address, "ok", "the cycle loads; nothing to do")
                cycle_row = conn.execute(
                    "SELECT to_jsonb(c) FROM cycles c WHERE id = %s", [cycle_id]
                ).fetchone()
                event_rows = conn.execute(
                    "SELECT seq, event, hash FROM events WHERE cycle_id = %s ORDER BY seq",
                    [cycle_id],
                ).fetchall()
                found: list[tuple[Event, dict[str, Any]]] = []
                for _, raw, _ in event_rows:
                    with contextlib.suppress(ValidationError, TypeError, AttributeError):
                        plain = {k: v for k, v in raw.items() if k != "prev"}
                        found.append((Event.from_json(plain), raw))
                kept, reason = chain_prefix(found)
                aside_row = [cycle_row[0] if cycle_row else {}, [list(r) for r in event_rows]]
                if not kept or kept[0][0].type != "started":
                    aside = self._set_aside(conn, cycle_id, problem, aside_row)
                    conn.execute("SET LOCAL langkah.repair = 'on'")
                    conn.execute("DELETE FROM events WHERE cycle_id = %s", [cycle_id])
                    conn.execute("DELETE FROM cycles WHERE id = %s", [cycle_id])
                    return Recovery(
                        cycle_id,
                        address,
                        "unrecoverable",
                        f"{problem}; no complete first event; its rows are kept in {aside}",
                        aside=aside,
                        found=len(found),
                    )
                old = cycle_row[0].get("header") if cycle_row else None
                old = old if isinstance(old, dict) else {}
                header = salvaged_header(cycle_id, kept[0][0], old)
                try:
                    summary, usable = rebuild(header, [event for event, _ in kept])
                except (StoreError, KeyError, ValueError, TypeError) as error:
                    return Recovery(
                        cycle_id,
                        address,
                        "failed",
                        f"{problem}; cannot rebuild it ({error}); the cycle is left as it is",
                        found=len(found),
                    )
                if usable < len(kept):
                    reason = f"event {usable + 1} cannot be replayed on the cycle's definition"
                    kept = kept[: max(usable, 1)]
                aside = self._set_aside(conn, cycle_id, problem, aside_row)
                chain = check_chain({"schema": SCHEMA_VERSION}, [raw for _, raw in kept])
                head, version = chain.head, len(kept)
                summary = {**summary, "version": version, "head": head}
                static = {**header, "schema": SCHEMA_VERSION}
                conn.execute("SET LOCAL langkah.repair = 'on'")
                conn.execute(
                    "DELETE FROM events WHERE cycle_id = %s AND seq > %s", [cycle_id, version]
                )
                conn.execute(
                    "UPDATE cycles SET version = %s, head = %s, summary = %s, header = %s,"
                    " change_no = nextval('langkah_change') WHERE id = %s",
                    [version, head, _jsonb(summary), _jsonb(static), cycle_id],
                )
                left = len(found) - len(kept)
                tail = (
                    f"; {left} event(s) found were not kept ({reason}): they remain in {aside}"
                    if left > 0
                    else f"; the damaged rows are kept in {aside}"
                )
                return Recovery(
                    cycle_id,
                    address,
                    "recovered",
                    f"{problem}; kept events 1-{version} of {len(found)} found{tail}",
                    aside=aside,
                    found=len(found),
                    kept=version,
                )

        result = self._run(work, f"cannot repair cycle {cycle_id}", cycle_id, write=True)
        self._verified.pop(cycle_id, None)
        return result

    def _set_aside(
        self, conn: psycopg.Connection[Any], cycle_id: str, reason: str, rows: list[Any]
    ) -> str:
        """Copy a cycle's rows into damaged_cycles (an identical copy there is reused)."""
        cycle_row, events = _jsonb(rows[0]), _jsonb(rows[1])
        existing = conn.execute(
            "SELECT aside_id FROM damaged_cycles WHERE cycle_id = %s AND cycle_row = %s"
            " AND events = %s ORDER BY aside_id LIMIT 1",
            [cycle_id, cycle_row, events],
        ).fetchone()
        if existing is None:
            existing = conn.execute(
                "INSERT INTO damaged_cycles (cycle_id, reason, cycle_row, events)"
                " VALUES (%s, %s, %s, %s) RETURNING aside_id",
                [cycle_id, _column_text(reason), cycle_row, events],
            ).fetchone()
        aside_id = existing[0] if existing else "?"
        return f"{self.location}#damaged_cycles/{aside_id}"
