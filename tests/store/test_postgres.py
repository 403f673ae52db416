"""What only the PostgreSQL store has: its schema and migrations, the append-only event table,
JSONB kept exact, advisory locks, the connection pool and the messages of a bad server or URL.
The behaviour it shares with the embedded store is in test_contract.py (run on both)."""

from __future__ import annotations

import threading
import time

import psycopg
import pytest

from langkah.store import ConflictError, IntegrityError, LockTimeout, StoreError
from langkah.store.factory import open_store
from langkah.store.pg_schema import LATEST
from langkah.store.postgres_store import PostgresStore
from tests import pg_support
from tests.store.test_contract import create, event, summary

pytestmark = pytest.mark.needs_postgresql


@pytest.fixture
def opened():
    stores: list[PostgresStore] = []
    yield stores
    for store in stores:
        store.close()


@pytest.fixture
def make(pg_url, opened):
    def make(**options) -> PostgresStore:
        store = PostgresStore(pg_url, **{"lock_timeout": 2, **options})
        opened.append(store)
        return store

    return make


def rows(url: str, query: str) -> list[tuple]:
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute(query).fetchall()  # type: ignore[arg-type]


def test_the_schema_is_created_once_and_recorded(make, pg_url):
    make()
    make()  # a second open applies nothing again
    assert rows(pg_url, "SELECT version FROM langkah_schema") == [
        (v,) for v in range(1, LATEST + 1)
    ]
    tables = {
        r[0]
        for r in rows(pg_url, "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    }
    assert {"cycles", "events", "definitions", "drafts", "damaged_cycles"} <= tables


def test_a_database_of_a_newer_schema_is_refused_naming_the_server(make, pg_url):
    make()
    pg_support.execute(pg_url, "INSERT INTO langkah_schema (version, description) VALUES (99, 'x')")
    with pytest.raises(StoreError) as refused:
        PostgresStore(pg_url)
    message = str(refused.value)
    assert "newer Langkah" in message and "schema 99" in message and "postgresql://" in message


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE events SET event = '{}'::jsonb",
        "DELETE FROM events",
        "TRUNCATE events CASCADE",
        "UPDATE definitions SET text = 'x'",
    ],
)
def test_events_and_definitions_are_append_only_in_the_database(make, pg_url, statement):
    store = make()
    create(store, "c-1")
    store.put_definition("d" * 64, "teks")
    with pytest.raises(psycopg.Error, match="append-only"):
        pg_support.execute(pg_url, statement)
    assert store.load("c-1").version == 1
    assert store.get_definition("d" * 64) == "teks"


HOSTILE = ["nul \x00 in the middle", "lone \ud800 surrogate", "\ue000 starts with the mark", "é😀"]


def test_typed_text_jsonb_cannot_hold_is_stored_exactly_and_the_chain_verifies(make):
    store = make()
    create(store, "c-1")
    # keys too (a lone surrogate in a key is not tried: pydantic's dump replaces it, on both
    # stores, before any store sees it)
    data = {"text": HOSTILE[0], "more": HOSTILE[1:], HOSTILE[2]: 1e20, "z": -0.0, "n": 1.5}
    store.append("c-1", 1, [event(2, **data)], summary("c-1", 2, note=HOSTILE[0]))
    store.save_draft("c-1", {"values": {"x": HOSTILE[1]}})
    again = make()
    record = again.load("c-1")
    stored = record.events[1].data
    assert stored == data
    assert repr(stored["z"]) == "-0.0" and isinstance(stored[HOSTILE[2]], float)
    assert record.integrity is None and again.verify("c-1").problems == []
    assert record.summary["note"] == HOSTILE[0]
    assert again.load_draft("c-1") == {"values": {"x": HOSTILE[1]}}


def test_a_changed_event_row_is_found_and_the_cycle_becomes_read_only(make, pg_url):
    store = make()
    create(store, "c-1")
    store.append("c-1", 1, [event(2), event(3)], summary("c-1", 3))
    pg_support.execute(
        pg_url,
        "SET session_replication_role = replica",  # behind the trigger's back, as a superuser
        "UPDATE events SET event = jsonb_set(event, '{data,text}', '\"diubah\"') WHERE seq = 2",
    )
    fresh = make()
    problems = fresh.verify("c-1").problems
    assert problems and "event 3 does not link to event 2" in problems[0].message("en")
    assert "peristiwa 3 tidak bertaut ke peristiwa 2" in problems[0].message("id")
    assert fresh.load("c-1").integrity is not None
    with pytest.raises(IntegrityError):
        fresh.append("c-1", 3, [event(4)], summary("c-1", 4))
    assert fresh.load("c-1").version == 3


def test_two_writers_of_one_version_one_wins_one_conflicts(make):
    first, second = make(), make()
    create(first, "c-1")
    results: list[object] = []

    def write(store: PostgresStore, tag: str) -> None:
        try:
            results.append(store.append("c-1", 1, [event(2, text=tag)], summary("c-1", 2)))
        except ConflictError as error:
            results.append(error)

    threads = [
        threading.Thread(target=write, args=(s, t)) for s, t in ((first, "a"), (second, "b"))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(map(type, results), key=str) == sorted([int, ConflictError], key=str)
    assert make().load("c-1").version == 2


def test_a_held_cycle_makes_another_writer_wait_then_time_out_naming_the_holder(make):
    holder, waiter = make(), make(lock_timeout=0.5)
    create(holder, "c-1")
    with holder.exclusive("c-1"):
        started = time.monotonic()
        with pytest.raises(LockTimeout) as timeout:
            waiter.append("c-1", 1, [event(2)], summary("c-1", 2))
        assert time.monotonic() - started < 5
        with pytest.raises(LockTimeout), waiter.exclusive("c-1"):
            pass
    message = str(timeout.value)
    assert "c-1" in message and "langkah pid" in message and "pg_terminate_backend" in message
    assert waiter.append("c-1", 1, [event(2)], summary("c-1", 2)) == 2  # free again


def test_writes_inside_exclusive_are_durable_as_each_returns(make, pg_url):
    store = make()
    create(store, "c-1")
    with store.exclusive("c-1"):
        store.append("c-1", 1, [event(2)], summary("c-1", 2))
        # committed already: another connection sees it while the block still holds the lock
        assert rows(pg_url, "SELECT version FROM cycles WHERE id = 'c-1'") == [(2,)]


def test_an_exhausted_pool_is_a_clear_message_not_a_hang(make):
    store = make(pool_size=1, pool_timeout=0.5)
    create(store, "c-1")
    create(store, "c-2")
    entered, leave = threading.Event(), threading.Event()

    def hold() -> None:
        with store.exclusive("c-1"):  # keeps the pool's only connection
            entered.set()
            leave.wait(10)

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert entered.wait(10)
        started = time.monotonic()
        with pytest.raises(StoreError) as busy:
            store.load("c-2")
        assert time.monotonic() - started < 5
    finally:
        leave.set()
        thread.join()
    assert "busy" in str(busy.value) and "postgresql://" in str(busy.value)
    assert store.load("c-2").version == 1  # usable again once the connection is back


def test_the_change_token_moves_with_every_write_of_another_process(make):
    store, other = make(), make()
    create(store, "c-1")
    before = other.change_token()
    store.append("c-1", 1, [event(2)], summary("c-1", 2))
    assert other.change_token() != before


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        ("postgresq://postgres@127.0.0.1/x", "unknown kind of store 'postgresq://'"),
        ("postgresql://postgres@127.0.0.1:notaport/x", "the port 'notaport' is not a number"),
        ("postgresql://postgres@127.0.0.1/x?bogus=1", "not a valid PostgreSQL URL"),
        ("postgresql://postgres:secret@127.0.0.1:1/x", "cannot connect"),
        ("postgresql://postgres@127.0.0.1/langkah_no_such_db", 'database "langkah_no_such_db"'),
    ],
)
def test_a_bad_url_or_server_is_one_clear_message(tmp_path, location, expected):
    with pytest.raises(StoreError) as refused:
        open_store(location, tmp_path)
    message = str(refused.value)
    assert expected in message
    assert "secret" not in message and "Traceback" not in message and "\n" not in message
    assert not (tmp_path / "cycles").exists()


def test_the_store_is_chosen_by_the_location(tmp_path, pg_url):
    from langkah.store.tinydb_store import TinyDBStore

    assert isinstance(open_store(None, tmp_path), TinyDBStore)
    assert isinstance(open_store(str(tmp_path / "other"), tmp_path), TinyDBStore)
    store = open_store(pg_url, tmp_path)
    try:
        assert isinstance(store, PostgresStore)
    finally:
        store.close()  # type: ignore[attr-defined]


def test_a_definition_changed_behind_the_trigger_is_noticed_by_a_running_store(make, pg_url):
    import hashlib

    text = "[sop]\nnama = 'x'\n"
    digest = hashlib.sha256(text.encode()).hexdigest()
    store = make()
    store.put_definition(digest, text)
    assert store.definition_problem(digest) is None
    pg_support.execute(
        pg_url,
        "SET session_replication_role = replica",
        f"UPDATE definitions SET text = 'diubah' WHERE digest = '{digest}'",
    )
    problem = store.definition_problem(digest)
    assert problem is not None and "changed after the cycle started" in problem.message("en")
    assert "diubah setelah siklus dimulai" in problem.message("id")
    assert store.definition_problem("f" * 64) is None  # missing: get_definition says so


def test_a_thread_holding_cycles_needs_no_second_connection(make):
    store = make(pool_size=1, pool_timeout=0.5)
    create(store, "c-1")
    create(store, "c-2")
    started = time.monotonic()
    with store.exclusive("c-1"), store.exclusive("c-2"):  # both on the pool's one connection
        store.put_definition("d" * 64, "teks")
        assert store.get_definition("d" * 64) == "teks"
        assert store.append("c-2", 1, [event(2)], summary("c-2", 2)) == 2
        assert store.load("c-1").version == 1
    assert time.monotonic() - started < 0.5  # never waited for the pool
    other = make(lock_timeout=0.5)
    assert other.append("c-1", 1, [event(2)], summary("c-1", 2)) == 2  # both locks released
    assert other.append("c-2", 2, [event(3)], summary("c-2", 3)) == 3


def test_a_log_read_before_is_not_read_again_until_a_row_changes(make, pg_url, monkeypatch):
    store = make()
    create(store, "c-1")
    store.load("c-1")
    store.append("c-1", 1, [event(2)], summary("c-1", 2))
    validated: list[str] = []
    real = PostgresStore._record

    def counted(self, cycle_id, *args):
        validated.append(cycle_id)
        return real(self, cycle_id, *args)

    monkeypatch.setattr(PostgresStore, "_record", counted)
    assert [e.seq for e in store.load("c-1").events] == [1, 2]
    assert validated == []  # the log it wrote: nothing read or validated again
    # an event row rewritten behind the trigger's back (same count, same version and head)
    pg_support.execute(
        pg_url,
        "SET session_replication_role = replica",
        "UPDATE events SET event = jsonb_set(event, '{data,text}', '\"diubah\"') WHERE seq = 1",
    )
    record = store.load("c-1")
    assert validated == ["c-1"] and record.integrity is not None  # read again, and it shows


def test_the_row_read_with_the_lock_serves_only_the_blocks_first_call(make):
    store = make()
    create(store, "c-1")
    head = store.load("c-1").head
    with store.exclusive("c-1"):
        # a write first: the row read as the block began is out of date and must not be used
        assert store.put_summary("c-1", 1, head, {"cycle_id": "c-1", "tanda": "baru"})
        assert store.load("c-1").summary["tanda"] == "baru"
    with store.exclusive("c-1"):
        record = store.load("c-1")  # the read that came with the lock
        assert record.version == 1 and record.summary["tanda"] == "baru"
        assert store.append("c-1", 1, [event(2)], summary("c-1", 2)) == 2
        assert store.load("c-1").version == 2
    other = make()
    with store.exclusive("c-1"):
        pass  # read with the lock, never used
    assert other.append("c-1", 2, [event(3)], summary("c-1", 3)) == 3
    assert store.load("c-1").version == 3  # outside a block: read now


def test_the_unlock_not_waited_for_frees_the_cycle_and_its_connection(make, pg_url):
    store = make(pool_size=1, pool_timeout=0.5)
    other = make(lock_timeout=0.5)
    create(store, "c-1")
    for version in (1, 3, 5):
        with store.exclusive("c-1"):
            assert store.load("c-1").version == version
            store.append("c-1", version, [event(version + 1)], summary("c-1", version + 1))
        # the pool's only connection is parked with its unlock sent: free for the next call
        assert (
            other.append("c-1", version + 1, [event(version + 2)], summary("c-1", version + 2))
            == version + 2
        )
        with store.exclusive("c-1"):
            pass
    # a parked connection the server ended is dropped, and the store carries on
    with store.exclusive("c-1"):
        pid = rows(pg_url, "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted")
    pg_support.execute(pg_url, f"SELECT pg_terminate_backend({pid[0][0]})")
    assert store.load("c-1").version == 7
    with store.exclusive("c-1"):
        assert store.append("c-1", 7, [event(8)], summary("c-1", 8)) == 8


def kept_by(store: PostgresStore, cycle_id: str) -> None:
    """A cycle whose log and pinned definition `store` has read and checked, as the service
    does before an action (the definition's digest is its text's)."""
    import hashlib

    from langkah.engine.events import EventType
    from tests.store.test_contract import header

    text = "[sop]\nnama = 'x'\n"
    digest = hashlib.sha256(text.encode()).hexdigest()
    store.put_definition(digest, text)
    first = event(
        1,
        EventType.STARTED,
        cycle_id=cycle_id,
        sop_id="kalipare",
        definition_digest=digest,
        period="2026-T3",
        roles={},
    )
    store.create(
        cycle_id, {**header(cycle_id), "definition_digest": digest}, first, summary(cycle_id, 1)
    )
    store.load(cycle_id)
    assert store.definition_problem(digest) is None
    store.append(cycle_id, 1, [event(2)], summary(cycle_id, 2))


def test_a_block_on_a_log_it_wrote_reads_nothing_and_appends_in_one_statement(make, pg_url):
    store = make()
    kept_by(store, "c-1")
    statements: list[str] = []
    real = psycopg.Connection.execute

    def counted(self, query, params=None, **kw):
        statements.append(str(query)[:40])
        return real(self, query, params, **kw)

    psycopg.Connection.execute = counted  # type: ignore[method-assign]
    try:
        with store.exclusive("c-1"):
            assert store.load("c-1").version == 2  # the log it wrote, not read again
            assert store.append("c-1", 2, [event(3)], summary("c-1", 3)) == 3
    finally:
        psycopg.Connection.execute = real  # type: ignore[method-assign]
    assert len(statements) == 1 and statements[0].startswith("WITH lk AS")
    assert rows(pg_url, "SELECT version FROM cycles") == [(3,)]


def test_a_block_whose_kept_log_moved_on_conflicts_and_then_holds_the_lock(make):
    store, other = make(), make(lock_timeout=0.5)
    kept_by(store, "c-1")
    assert other.append("c-1", 2, [event(3)], summary("c-1", 3)) == 3  # behind its back
    with store.exclusive("c-1"):
        assert store.load("c-1").version == 2  # what it kept (the append checks it)
        with pytest.raises(ConflictError):
            store.append("c-1", 2, [event(3)], summary("c-1", 3))
        assert store.load("c-1").version == 3  # read again, under the lock
        with pytest.raises(LockTimeout):
            other.append("c-1", 3, [event(4)], summary("c-1", 4))
        assert store.append("c-1", 3, [event(4)], summary("c-1", 4)) == 4
    assert [e.seq for e in other.load("c-1").events] == [1, 2, 3, 4]


def test_a_kept_log_changed_behind_the_trigger_is_never_appended_to(make, pg_url):
    store = make()
    kept_by(store, "c-1")
    store.append("c-1", 2, [event(3)], summary("c-1", 3))
    pg_support.execute(
        pg_url,
        "SET session_replication_role = replica",
        "UPDATE events SET event = jsonb_set(event, '{data,text}', '\"diubah\"') WHERE seq = 2",
    )
    with store.exclusive("c-1"):
        store.load("c-1")  # the kept log: the change is not seen yet
        with pytest.raises(IntegrityError):
            store.append("c-1", 3, [event(4)], summary("c-1", 4))
    assert rows(pg_url, "SELECT max(seq) FROM events") == [(3,)]


def test_put_summary_waits_for_the_cycles_lock_and_needs_its_version(make):
    store, other = make(), make(lock_timeout=0.5)
    create(store, "c-1")
    head = store.load("c-1").head
    with store.exclusive("c-1"), pytest.raises(LockTimeout):
        other.put_summary("c-1", 1, head, {"cycle_id": "c-1", "tanda": "baru"})
    assert not other.put_summary("c-1", 2, head, {"cycle_id": "c-1", "tanda": "baru"})
    assert other.put_summary("c-1", 1, head, {"cycle_id": "c-1", "tanda": "baru"})
    assert store.load("c-1").summary["tanda"] == "baru"


def test_a_row_that_loses_its_last_event_is_a_problem_of_the_next_page(make, pg_url):
    from langkah.store import SummaryQuery
    from tests.store.test_query import NOW

    store = make()
    for name in ("c-1", "c-2"):
        create(store, name)
        store.append(name, 1, [event(2)], summary(name, 2))
    assert store.query_summaries(SummaryQuery(now=NOW, limit=1)).problems == []
    pg_support.execute(
        pg_url,
        "SET session_replication_role = replica",
        "DELETE FROM events WHERE cycle_id = 'c-2' AND seq = 2",
    )
    for _ in range(40):  # the server counts the deleted row as its session ends
        page = store.query_summaries(SummaryQuery(now=NOW, limit=1))
        if page.problems:
            break
        time.sleep(0.1)
    assert len(page.problems) == 1 and "c-2" in str(page.problems[0])
    assert page.total == 1 and [s["cycle_id"] for s in page.summaries] == ["c-1"]


def test_a_row_written_since_the_last_page_is_looked_at_for_its_last_event(make, pg_url):
    from langkah.store import SummaryQuery
    from tests.store.test_query import NOW

    store = make()
    for name in ("c-1", "c-2"):
        create(store, name)
    assert store.query_summaries(SummaryQuery(now=NOW, limit=1)).problems == []
    # the row claims an event that is not there (no event row deleted: only the row written)
    pg_support.execute(
        pg_url,
        "UPDATE cycles SET version = 2, change_no = nextval('langkah_change') WHERE id = 'c-2'",
    )
    page = store.query_summaries(SummaryQuery(now=NOW, limit=1))
    assert len(page.problems) == 1 and "c-2" in str(page.problems[0]) and page.total == 1


def test_an_optimistic_block_shares_its_connection_with_a_block_inside_it(make):
    store = make(pool_size=1, pool_timeout=0.5)
    other = make(lock_timeout=0.5)
    kept_by(store, "c-1")
    create(store, "c-2")
    with store.exclusive("c-1"):  # its lock sent, its answer not read yet
        with store.exclusive("c-2"):  # on the same connection, after that answer
            assert store.append("c-2", 1, [event(2)], summary("c-2", 2)) == 2
            with pytest.raises(LockTimeout):
                other.append("c-1", 2, [event(3)], summary("c-1", 3))
        assert store.load("c-1").version == 2
        assert store.append("c-1", 2, [event(3)], summary("c-1", 3)) == 3
    assert other.append("c-1", 3, [event(4)], summary("c-1", 4)) == 4  # both released
    assert other.append("c-2", 2, [event(3)], summary("c-2", 3)) == 3


def test_appends_in_blocks_keep_their_connection_and_tell_the_listeners_with_the_unlock(make):
    """The NOTIFY of an append goes with the block's unlock (one statement sent, not waited
    for): the parked connection's answer is read as a good unlock, so it is used again, not
    closed and replaced (which cost a new connection per action)."""
    store = make()
    kept_by(store, "c-1")
    closed: list[object] = []
    real = psycopg.Connection.close

    def counting(self):
        closed.append(self)
        return real(self)

    psycopg.Connection.close = counting  # type: ignore[method-assign]
    try:
        for n in range(3, 8):
            with store.exclusive("c-1"):
                assert store.append("c-1", n - 1, [event(n)], summary("c-1", n)) == n
    finally:
        psycopg.Connection.close = real  # type: ignore[method-assign]
    assert closed == []


def lock_statement_uses(store: PostgresStore) -> dict[str, int]:
    """How often each prepared lock statement ran on the store's (one) connection."""
    found = store._run(
        lambda conn, _: conn.execute(
            "SELECT name, generic_plans + custom_plans FROM pg_prepared_statements"
            " WHERE name LIKE 'langkah%'"
        ).fetchall(),
        "test",
    )
    return {name: int(uses) for name, uses in found}


def test_an_action_on_a_log_it_wrote_locks_and_unlocks_with_prepared_statements(make):
    store = make(pool_size=1, pool_timeout=0.5)
    other = make(lock_timeout=0.5)
    kept_by(store, "c-1")
    before = lock_statement_uses(store)
    assert set(before) == {"langkah_lock", "langkah_unlock", "langkah_unlock_tell"}
    for version in (2, 3, 4):
        with store.exclusive("c-1"):
            assert store.load("c-1").version == version
            store.append("c-1", version, [event(version + 1)], summary("c-1", version + 1))
    after = lock_statement_uses(store)
    assert after["langkah_lock"] - before["langkah_lock"] == 3
    assert after["langkah_unlock_tell"] - before["langkah_unlock_tell"] == 3
    assert other.append("c-1", 5, [event(6)], summary("c-1", 6)) == 6  # unlocked


@pytest.mark.parametrize("deallocated_by", ["DEALLOCATE ALL", "a rollback"])
def test_a_connection_that_lost_its_prepared_statements_still_locks_and_unlocks(
    make, deallocated_by
):
    """psycopg deallocates every prepared statement of a connection after a rollback on it:
    the next block's lock prepares them again, and every block's unlock is sent."""
    store = make(pool_size=1, pool_timeout=0.5)
    other = make(lock_timeout=0.5)
    kept_by(store, "c-1")
    version = 2

    def deallocate() -> None:
        if deallocated_by == "DEALLOCATE ALL":
            store._run(lambda conn, _: conn.execute("DEALLOCATE ALL"), "test")
        else:
            with pytest.raises(ConflictError):  # its transaction rolls back
                store.append("c-1", 1, [event(2)], summary("c-1", 2))
        assert lock_statement_uses(store) == {}
        assert store.load("c-1").version == version  # kept: the next block is optimistic

    def released() -> int:
        # another store's write does not wait for the block's lock
        assert other.append("c-1", version, [event(version + 1)], summary("c-1", version + 1))
        assert store.load("c-1").version == version + 1
        return version + 1

    deallocate()
    with store.exclusive("c-1"):
        assert store.load("c-1").version == version
        store.append("c-1", version, [event(version + 1)], summary("c-1", version + 1))
        version += 1
    assert set(lock_statement_uses(store)) == {
        "langkah_lock",
        "langkah_unlock",
        "langkah_unlock_tell",
    }  # prepared again by the block's lock
    version = released()
    deallocate()
    with store.exclusive("c-1"):
        pass  # a block that never used its connection
    version = released()
    with store.exclusive("c-1"):  # a rollback on the block's connection, after its lock
        assert store.load("c-1").version == version
        with pytest.raises(ConflictError):
            store.append("c-1", 1, [event(2)], summary("c-1", 2))
    version = released()


# -- an action's block without the lock (`optimistic`) ----------------------------------------


def test_an_optimistic_block_on_a_log_it_wrote_takes_no_lock_and_appends_in_one_statement(
    make, pg_url
):
    store, other = make(pool_size=1, pool_timeout=0.5), make(lock_timeout=0.5)
    kept_by(store, "c-1")
    assert store.optimistic_appends
    before = lock_statement_uses(store)
    statements: list[str] = []
    real = psycopg.Connection.execute
    others = threading.local()

    def counted(self, query, params=None, **kw):
        if not getattr(others, "on", False):
            statements.append(str(query)[:40])
        return real(self, query, params, **kw)

    for version in (2, 3):
        psycopg.Connection.execute = counted  # type: ignore[method-assign]
        try:
            with store.optimistic("c-1"):
                assert store.load("c-1").version == version  # the log it wrote, not read
                others.on = True  # (another store's statements are not counted)
                with other.exclusive("c-1"):  # no lock held: another writer's is granted
                    pass
                others.on = False
                assert store.append("c-1", version, [event(version + 1)], summary("c-1", 4)) == (
                    version + 1
                )
        finally:
            psycopg.Connection.execute = real  # type: ignore[method-assign]
    assert [s[:10] for s in statements] == ["WITH lk AS"] * 2
    assert lock_statement_uses(store) == before  # no lock, nor unlock
    assert other.append("c-1", 4, [event(5)], summary("c-1", 5)) == 5


def test_an_optimistic_block_that_lost_the_race_conflicts_and_writes_nothing(make, pg_url):
    store, other = make(), make()
    kept_by(store, "c-1")
    assert other.append("c-1", 2, [event(3)], summary("c-1", 3)) == 3  # behind its back
    with store.optimistic("c-1"):
        assert store.load("c-1").version == 2  # what it kept (the append checks it)
        with pytest.raises(ConflictError):
            store.append("c-1", 2, [event(3, text="kalah")], summary("c-1", 3))
        assert store.load("c-1").version == 3  # read again
        assert store.append("c-1", 3, [event(4)], summary("c-1", 4)) == 4
    assert rows(pg_url, "SELECT count(*) FROM events WHERE event->'data'->>'text' = 'kalah'") == [
        (0,)
    ]
    assert [e.seq for e in other.load("c-1").events] == [1, 2, 3, 4]


def test_an_optimistic_block_waits_for_a_holder_of_the_cycles_lock(make):
    """What needs the cycle to itself (drafts' read-modify-write, a repair) still has it."""
    store, holder = make(lock_timeout=0.5), make()
    kept_by(store, "c-1")
    with holder.exclusive("c-1"), store.optimistic("c-1"):
        store.load("c-1")
        with pytest.raises(LockTimeout):
            store.append("c-1", 2, [event(3)], summary("c-1", 3))
    assert store.load("c-1").version == 2


def test_an_optimistic_block_on_a_log_changed_behind_the_trigger_never_appends(make, pg_url):
    store = make()
    kept_by(store, "c-1")
    pg_support.execute(
        pg_url,
        "SET session_replication_role = replica",
        "UPDATE events SET event = jsonb_set(event, '{data,text}', '\"diubah\"') WHERE seq = 2",
    )
    with store.optimistic("c-1"):
        store.load("c-1")  # the kept log: the change is not seen yet
        with pytest.raises(IntegrityError):
            store.append("c-1", 2, [event(3)], summary("c-1", 3))
    assert rows(pg_url, "SELECT max(seq) FROM events") == [(2,)]


def test_an_optimistic_block_inside_the_cycles_exclusive_block_is_that_block(make):
    store, other = make(), make(lock_timeout=0.5)
    kept_by(store, "c-1")
    with store.exclusive("c-1"), store.optimistic("c-1"):
        assert store.append("c-1", 2, [event(3)], summary("c-1", 3)) == 3
        with pytest.raises(LockTimeout):  # still held
            other.append("c-1", 3, [event(4)], summary("c-1", 4))
