"""Which cycles changed since a point: exact ids on both backends (`changes_since`), and on
PostgreSQL pushed by LISTEN/NOTIFY (`watch`) within a second of another connection's commit,
recovering (and saying "can't tell") after a server restart."""

from __future__ import annotations

import datetime as dt
import queue
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from langkah.store import CycleStore
from tests import pg_support
from tests.store.test_contract import create, event, summary

NOW = dt.datetime(2026, 11, 20, 3, tzinfo=dt.UTC)


def append_note(store: CycleStore, cycle_id: str) -> None:
    version = store.load(cycle_id).version
    store.append(cycle_id, version, [event(version + 1)], summary(cycle_id, version + 1))


def test_changes_since_names_exactly_the_cycles_another_handle_wrote(store_factory):
    mine, other = store_factory(), store_factory()
    for name in ("c-1", "c-2", "c-3"):
        create(other, name)
    first = mine.changes_since(None)
    assert first.cycle_ids is None  # no point to compare with: reload everything
    assert mine.changes_since(first.token).cycle_ids == frozenset()

    append_note(other, "c-2")
    create(other, "c-4")
    changed = mine.changes_since(first.token)
    assert changed.cycle_ids == {"c-2", "c-4"}
    assert mine.changes_since(changed.token).cycle_ids == frozenset()
    append_note(other, "c-1")
    assert mine.changes_since(changed.token).cycle_ids == {"c-1"}
    assert mine.changes_since(first.token).cycle_ids == {"c-1", "c-2", "c-4"}


def test_a_cycle_file_removed_by_hand_is_a_cannot_tell_and_the_reload_agrees(tmp_path):
    """No writer names a file removed by hand: the folder's mtime moved with no journal row to
    account for it, so the store cannot tell (the caller reloads, and the reload agrees)."""
    from langkah.store import SummaryQuery
    from langkah.store.tinydb_store import TinyDBStore

    store = TinyDBStore(tmp_path / "data")
    create(store, "c-1")
    create(store, "c-2")
    token = store.changes_since(None).token
    (tmp_path / "data" / "cycles" / "c-1.json").unlink()
    changes = store.changes_since(token)
    assert changes.cycle_ids is None
    assert store.changes_since(changes.token).cycle_ids == frozenset()  # accounted for now
    page = store.query_summaries(SummaryQuery(now=NOW))
    assert [s["cycle_id"] for s in page.summaries] == ["c-2"]


def test_changes_on_files_are_read_from_the_journal_without_listing_the_folder(
    tmp_path, monkeypatch
):
    from langkah.store.tinydb_store import TinyDBStore

    mine, other = TinyDBStore(tmp_path / "data"), TinyDBStore(tmp_path / "data")
    create(other, "c-1")
    first = mine.changes_since(None)

    def no_listing(*args, **kwargs):
        raise AssertionError("the cycles folder was listed")

    monkeypatch.setattr("os.scandir", no_listing)
    monkeypatch.setattr("os.listdir", no_listing)
    create(other, "c-2")
    append_note(other, "c-1")
    assert mine.changes_since(first.token).cycle_ids == {"c-1", "c-2"}


def test_a_writer_between_its_file_and_its_row_is_named_and_asked_about_again(
    tmp_path, monkeypatch
):
    from langkah.store.tinydb_store import TinyDBStore

    mine, other = TinyDBStore(tmp_path / "data"), TinyDBStore(tmp_path / "data")
    create(other, "c-1")
    token = mine.changes_since(None).token
    rows = []
    monkeypatch.setattr(other.index, "written_held", rows.append)  # the row held back
    append_note(other, "c-1")
    halfway = mine.changes_since(token)
    assert halfway.cycle_ids == {"c-1"}  # named by its "b" line
    monkeypatch.undo()
    other.index.written_held(rows[0])  # the row comes
    assert mine.changes_since(halfway.token).cycle_ids == {"c-1"}
    assert mine.changes_since(mine.changes_since(halfway.token).token).cycle_ids == frozenset()


def test_a_fold_of_the_journal_is_a_cannot_tell(tmp_path):
    from langkah.store.tinydb_store import TinyDBStore

    store = TinyDBStore(tmp_path / "data")
    create(store, "c-1")
    token = store.changes_since(None).token
    append_note(store, "c-1")
    store._indexed(full=True)  # a reader folds the journal into a new base
    assert store.changes_since(token).cycle_ids is None


def test_a_file_store_does_not_push(tmp_path):
    from langkah.store.tinydb_store import TinyDBStore

    store = TinyDBStore(tmp_path / "data")
    assert store.pushes_changes is False
    assert list(store.watch(threading.Event())) == []


@contextmanager
def watching(store: CycleStore) -> Iterator[queue.Queue[tuple[float, frozenset[str] | None]]]:
    """`store.watch` in a thread: each batch it reports, with when it arrived."""
    got: queue.Queue[tuple[float, frozenset[str] | None]] = queue.Queue()
    stop = threading.Event()

    def run() -> None:
        for ids in store.watch(stop):
            got.put((time.monotonic(), ids))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield got
    finally:
        stop.set()
        thread.join(5)
        assert not thread.is_alive(), "the listener did not stop"


def listening(got: queue.Queue, store: CycleStore, probe: str) -> None:
    """Wait until the listener hears: write `probe` until it is reported."""
    for _ in range(50):
        create(store, f"{probe}-{_}")
        try:
            got.get(timeout=0.2)
            break
        except queue.Empty:
            continue
    while not got.empty():
        got.get_nowait()


def written_in_another_process(url: str, cycle_id: str) -> float:
    """Create a cycle from a separate Python process; the time its commit returned."""
    code = (
        "import sys, time\n"
        "from langkah.store.postgres_store import PostgresStore\n"
        "from tests.store.test_contract import create\n"
        "s = PostgresStore(sys.argv[1]); create(s, sys.argv[2]); print(time.monotonic())\n"
    )
    out = subprocess.run(
        ["python", "-c", code, url, cycle_id], check=True, capture_output=True, text=True
    )
    return float(out.stdout.strip())


@pytest.mark.needs_postgresql
def test_a_write_in_another_process_is_pushed_with_its_id_within_a_second(pg_url):
    from langkah.store.postgres_store import PostgresStore

    store = PostgresStore(pg_url)
    try:
        assert store.pushes_changes
        with watching(store) as got:
            listening(got, store, "probe")
            committed = written_in_another_process(pg_url, "kalipare-dari-budi")
            arrived, ids = got.get(timeout=5)
            assert ids == {"kalipare-dari-budi"}
            assert arrived - committed < 1.0
            append_note(store, "kalipare-dari-budi")  # another connection of this process
            assert got.get(timeout=1)[1] == {"kalipare-dari-budi"}
            with store.exclusive("kalipare-dari-budi"):  # nothing is told before the commit
                append_note(store, "kalipare-dari-budi")
            assert got.get(timeout=1)[1] == {"kalipare-dari-budi"}
            assert got.empty()
    finally:
        store.close()


@pytest.mark.needs_postgresql
def test_two_schemas_of_one_database_do_not_hear_each_other(pg_database):
    from langkah.store.postgres_store import PostgresStore

    with pg_support.test_schema(pg_database) as one, pg_support.test_schema(pg_database) as two:
        mine, theirs = PostgresStore(one), PostgresStore(two)
        try:
            with watching(mine) as got:
                listening(got, mine, "probe")
                create(theirs, "other-schema")
                with pytest.raises(queue.Empty):
                    got.get(timeout=0.5)
        finally:
            mine.close()
            theirs.close()


@pytest.mark.needs_postgresql
def test_after_a_server_restart_the_listener_comes_back_and_says_it_cannot_tell(
    private_server,
):
    from langkah.store.postgres_store import PostgresStore

    store = PostgresStore(private_server.url, lock_timeout=5)
    try:
        with watching(store) as got:
            listening(got, store, "probe")
            private_server.restart()
            arrived, ids = got.get(timeout=30)
            assert ids is None  # what was written while it was away is unknown: reload all
            create(store, "sesudah")
            assert got.get(timeout=5)[1] == {"sesudah"}
    finally:
        store.close()


def test_changes_on_files_need_no_lock_file_to_read(tmp_path, monkeypatch):
    """A data folder where the journal's lock cannot be opened (read-only, or no index yet)."""
    from langkah.store.tinydb_store import TinyDBStore

    fresh = TinyDBStore(tmp_path / "empty")
    assert fresh.changes_since(fresh.changes_since(None).token).cycle_ids == frozenset()
    mine, other = TinyDBStore(tmp_path / "data"), TinyDBStore(tmp_path / "data")
    create(other, "c-1")
    monkeypatch.setattr(mine.index, "lock_path", tmp_path / "no-such-folder" / "journal.lock")
    token = mine.changes_since(None).token
    append_note(other, "c-1")
    assert mine.changes_since(token).cycle_ids == {"c-1"}


@pytest.mark.needs_postgresql
def test_an_action_without_the_lock_is_told_after_its_commit(pg_url):
    """An `optimistic` block's append is told by a NOTIFY sent after its commit without
    waiting for it; also on a connection that lost its prepared statements (a rollback)."""
    from langkah.store.postgres_store import PostgresStore

    store = PostgresStore(pg_url, pool_size=1)
    try:
        create(store, "kalipare-optimis")
        store.load("kalipare-optimis")
        with watching(store) as got:
            listening(got, store, "probe")
            for deallocated in (False, True):
                if deallocated:
                    store._run(lambda conn, _: conn.execute("DEALLOCATE ALL"), "test")
                with store.optimistic("kalipare-optimis"):
                    append_note(store, "kalipare-optimis")
                    assert got.empty()  # nothing is told before the commit
                assert got.get(timeout=1)[1] == {"kalipare-optimis"}
                assert got.empty()
            # the NOTIFY left on its way: the connection serves the next work
            assert store.load("kalipare-optimis").version == 3
    finally:
        store.close()
