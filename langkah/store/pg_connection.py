"""The PostgreSQL store's connections: the pool, one connection per thread inside `exclusive`,
the retry of work whose connection was lost, and the one-line messages naming the server.

`PgConnections` is the base of `PostgresStore` (langkah.store.postgres_store); the other
langkah.store.pg_* modules add the store's parts to it.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import os
import re
import socket
import threading
import weakref
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import psycopg
from psycopg import generators, pq
from psycopg.types.json import set_json_loads
from psycopg_pool import ConnectionPool, PoolTimeout

from langkah.messages import Text, say
from langkah.store import pg_json
from langkah.store.base import CycleNotFound, CycleRecord, StoreError
from langkah.store.pg_schema import channel, ensure_schema
from langkah.store.pg_url import parse_url

logging.getLogger("psycopg").addHandler(logging.NullHandler())  # never on a user's terminal

T = TypeVar("T")
Connection = psycopg.Connection[Any]
LogKey = tuple[int, str, int, int]  # version, head, event rows, newest event row's xmin

LOCK_TIMEOUT = 10.0  # seconds (LANGKAH_LOCK_TIMEOUT overrides), as on the embedded store
CONNECT_TIMEOUT = 5  # seconds a new connection may take (a `connect_timeout` in the URL wins)
POOL_SIZE = 8  # connections per process at most (LANGKAH_PG_POOL_SIZE overrides)
REMEMBERED = 256  # cycles whose checked chain (and log) this object remembers

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]{0,80}$")


def is_cycle_id(text: str) -> bool:
    return bool(_ID.match(text))


def _env_number(name: str, default: float) -> float:
    text = os.environ.get(name, "").strip()
    try:
        return max(float(text), 0.0) if text else default
    except ValueError:
        return default


def _first_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0].removeprefix("connection failed: ").strip()


# The statements an `exclusive` block sends without waiting for their answer (pg_locking: the
# cycle's lock as the block begins, its unlock, with the NOTIFY of its append or not): prepared
# on every connection as it is made, so that the server does not parse and plan them at every
# action (~10% of its CPU per action). psycopg deallocates every prepared statement of a
# connection after a rollback on it (DEALLOCATE ALL): a lock sent to a connection that lost them
# prepares them again (pg_locking `_settled`), and an unlock is sent prepared only when the
# block's lock was, and nothing but the block's one-statement append ran on its connection since.
LOCK_STATEMENTS = {
    "langkah_lock": "SELECT pg_advisory_lock($1::bigint)",
    "langkah_unlock": "SELECT pg_advisory_unlock($1::bigint)",
    "langkah_unlock_tell": "SELECT pg_advisory_unlock($1::bigint), pg_notify($2::text, $3::text)",
}


def prepare_lock_statements(conn: Connection) -> None:
    """PREPARE the LOCK_STATEMENTS on `conn` (in autocommit; those it has already are kept)."""
    for name, statement in LOCK_STATEMENTS.items():
        with contextlib.suppress(psycopg.errors.DuplicatePreparedStatement):
            conn.execute(f"PREPARE {name} AS {statement}")


def _configure(conn: Connection, lock_timeout: float) -> None:
    """Every connection: JSONB read with the mark decoded, durable commits, the lock timeout,
    no JIT (compiling a listing's plan took longer than running it: 40-130 ms at 50,000), the
    lock statements prepared."""
    set_json_loads(pg_json.loads, conn)
    conn.execute("SET synchronous_commit = on")  # a commit returns once it is durable
    conn.execute("SET jit = off")
    conn.execute(f"SET lock_timeout = {max(1, round(lock_timeout * 1000))}")
    prepare_lock_statements(conn)


def _close_pool(pool: ConnectionPool[Any], parked: list[Connection]) -> None:
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


def remember(kept: dict[str, T], key: str, value: T) -> None:
    """Keep `value` as the newest of at most REMEMBERED entries (the oldest is dropped)."""
    kept.pop(key, None)
    kept[key] = value
    if len(kept) > REMEMBERED:
        with contextlib.suppress(RuntimeError, StopIteration, KeyError):
            kept.pop(next(iter(kept)))


class PgConnections:
    """The connections of a PostgreSQL store, and what every part of it remembers."""

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
        self._held = threading.local()  # this thread's `exclusive` blocks (pg_locking)
        # what this object read or wrote last (langkah.store.pg_reads)
        self._verified: dict[str, tuple[int, str, Text | None]] = {}  # version, head, problem
        self._logs: dict[str, tuple[LogKey, CycleRecord]] = {}
        self._definition_checks: dict[str, tuple[str, Text | None]] = {}  # digest: xmin, problem
        self._definition_seen: dict[str, tuple[str, float]] = {}  # digest: xmin, when read
        # the rows found without their last event (pg_listing): when, up to which change
        self._damaged_seen: tuple[tuple[Any, ...], int, dict[str, int]] | None = None
        self._namespace = ""
        self._keys: dict[str, int] = {}  # cycle id: advisory lock key (`_key`)
        self._channel = channel("public")
        first = self._connect_directly()
        try:
            ensure_schema(first, self.location)
            row = first.execute("SELECT current_schema(), current_database()").fetchone()
            self._namespace = f"{row[0]}/{row[1]}" if row else ""
            self._channel = channel(str(row[0])) if row else self._channel
        except psycopg.Error as error:
            raise StoreError(self._message(error, say("pg.do.set_up"))) from None
        finally:
            first.close()
        self._pool: ConnectionPool[Connection] = ConnectionPool(
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
        # connections whose unlock is on its way (pg_locking's `_send_unlock`): taken first
        self._parked: list[Connection] = []
        self._parked_lock = threading.Lock()
        self._unlocking: set[int] = set()  # ids of connections to park when given back
        weakref.finalize(self, _close_pool, self._pool, self._parked)

    @property
    def location(self) -> str:
        return self.target.shown

    def close(self) -> None:
        """Close the connection pool (the store cannot be used afterwards)."""
        _close_pool(self._pool, self._parked)

    def _connect(self) -> Connection:
        return psycopg.connect(self.target.conninfo, **self._connect_args)

    def _connect_directly(self) -> Connection:
        """One connection outside the pool: its failure names the cause (refused, password,
        no such database), where the pool only says it timed out."""
        try:
            conn = self._connect()
        except psycopg.Error as error:
            raise StoreError(self._message(error, say("pg.do.connect"))) from None
        try:
            encoding = conn.execute("SHOW server_encoding").fetchone()
        except psycopg.Error as error:
            conn.close()
            raise StoreError(self._message(error, say("pg.do.connect"))) from None
        if not encoding or str(encoding[0]).upper() not in ("UTF8", "UTF-8"):
            conn.close()
            found = encoding and encoding[0]
            raise StoreError(say("store.encoding", location=self.location, encoding=found))
        _configure(conn, self.lock_timeout)
        return conn

    def _message(self, error: BaseException, doing: Text, saved: bool | None = None) -> Text:
        """A one-line message naming the server, what failed and why (the server's own words
        for why, as it gives them)."""
        why: str | Text
        if isinstance(error, PoolTimeout):
            try:
                probe = self._connect()
            except psycopg.Error as down:
                why = _first_line(down)
            else:
                probe.close()
                why = say("pg.pool_busy", size=self.pool_size, timeout=f"{self.pool_timeout:g}")
        elif isinstance(error, psycopg.Error) and error.diag.message_primary:
            why = error.diag.message_primary
        else:
            why = _first_line(error)
        tail = say("pg.nothing_saved") if saved is False else ""
        return say(
            "pg.failed", server=f"PostgreSQL {self.location}", doing=doing, why=why, tail=tail
        )

    def _store_error(self, error: BaseException, doing: Text, write: bool = False) -> StoreError:
        return StoreError(self._message(error, doing, False if write else None))

    # -- running work -------------------------------------------------------------------------

    def _block_connection(self, cycle_id: str | None) -> Connection | None:
        """The connection this thread's `exclusive` block holds its locks on, if it is in one
        (langkah.store.pg_locking); None: work goes to a pooled connection."""
        return None

    def _tell(self, cycle_id: str) -> None:
        """NOTIFY the listeners of a write whose transaction did not (an append, a repair: see
        pg_schema's migration 5), right after its commit. Best effort: a notification lost
        here (the connection dropped) reaches them by their 2-second look (changes_since)."""
        with contextlib.suppress(StoreError):
            self._run(
                lambda conn, _: conn.execute(
                    "SELECT pg_notify(%s, %s)", [self._channel, cycle_id], prepare=True
                ),
                say("pg.do.tell", cycle_id=cycle_id),
                cycle_id,
            )

    def _run(
        self,
        work: Callable[[Connection, bool], T],
        doing: Text,
        cycle_id: str | None = None,
        write: bool = False,
    ) -> T:
        """`work(conn, retry)` on the connection this thread holds its cycles on (inside
        `exclusive`), else a pooled one; a connection lost on the way is retried on a new
        one (`retry` True)."""
        conn_held = self._block_connection(cycle_id)
        if conn_held is not None:  # inside `exclusive`: its connection serves the whole block
            try:
                return work(conn_held, False)
            except StoreError:
                raise
            except psycopg.Error as error:
                raise self._store_error(error, doing, write) from None
        try:
            for retry, conn in self._fresh_connections():
                with conn:
                    try:
                        return work(conn.value, retry)
                    except psycopg.OperationalError:
                        if conn.value.broken and not conn.last:
                            continue  # dropped; the work is tried on the next one
                        raise
        except StoreError:
            raise
        except (psycopg.Error, PoolTimeout) as error:
            raise self._store_error(error, doing, write) from None
        raise StoreError(say("pg.lost", location=self.location, doing=doing))

    def _fresh_connections(self) -> Iterator[tuple[bool, _Lent]]:
        """Connections to try work on, one after the other: pooled connections are not
        checked before use (a round trip per action), so one found dead (the server
        restarted) is dropped by the caller, who takes the next; at most every connection
        the pool holds, then one new one. (retry, lent connection): retry is True from the
        second on."""
        attempts = self.pool_size + 1
        for attempt in range(attempts):
            yield attempt > 0, _Lent(self, attempt + 1 == attempts)

    @contextlib.contextmanager
    def _connection(self) -> Iterator[Connection]:
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
        direct = self._connect()
        try:
            _configure(direct, self.lock_timeout)
            yield direct
        finally:
            if id(direct) in self._unlocking:  # a NOTIFY on its way (pg_locking `_send_tell`)
                with contextlib.suppress(Exception):
                    direct.wait(generators.fetch_many(direct.pgconn), timeout=self.lock_timeout)
            self._unlocking.discard(id(direct))  # closing it ends its locks
            direct.close()

    def _unpark(self) -> Connection | None:
        """A parked connection (pg_locking's `_send_unlock`) with its unlock's answer read, or
        None. One whose answer is not `true` (or that was lost) is closed, which ends any lock
        it still held, and given back to the pool (which drops it)."""
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

    # -- names --------------------------------------------------------------------------------

    def _key(self, cycle_id: str) -> int:
        """The cycle's advisory lock key (its schema and database in it); an action asks for
        it three times (lock, append, unlock): kept for the cycles used last."""
        key = self._keys.get(cycle_id)
        if key is None:
            digest = hashlib.blake2b(f"{self._namespace}\0{cycle_id}".encode(), digest_size=8)
            key = int.from_bytes(digest.digest(), "big", signed=True)
            remember(self._keys, cycle_id, key)
        return key

    def _check_id(self, cycle_id: str) -> None:
        if not is_cycle_id(cycle_id):
            raise CycleNotFound(say("store.not_cycle_id", cycle_id=cycle_id))

    def _address(self, cycle_id: str) -> str:
        return f"{self.location}#cycles/{cycle_id}"

    def _not_found(self, cycle_id: str) -> CycleNotFound:
        return CycleNotFound(
            say("store.no_cycle", cycle_id=cycle_id, where=f"PostgreSQL {self.location}")
        )

    def _exists(self, cycle_id: str) -> StoreError:
        return StoreError(f"{self._address(cycle_id)}: a cycle with this id exists already")


class _Lent:
    """One connection lent for one attempt (`PgConnections._fresh_connections`): taken when
    the block begins, given back when it ends."""

    def __init__(self, store: PgConnections, last: bool):
        self._store, self.last = store, last
        self._stack = contextlib.ExitStack()
        self.value: Connection

    def __enter__(self) -> _Lent:
        self.value = self._stack.enter_context(self._store._connection())
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def keep_in(self, stack: contextlib.ExitStack) -> None:
        """Keep the connection past this block: `stack` gives it back when it closes."""
        stack.push(self._stack.pop_all())
