"""Lock files kept open between writes still exclude: other threads, other processes, and a
lock file that was removed meanwhile."""

from __future__ import annotations

import fcntl
import os
import threading
import time

import pytest

from langkah.store.locks import LockBusy, LockPool


def from_another_thread(pool: LockPool, name: str, timeout: float) -> str:
    """Try lock `name` from another thread: "got it" (then released) or "busy". The thread
    gets 5 s: a try that never ends fails the test instead of hanging it."""
    outcome: list[str] = []

    def attempt() -> None:
        try:
            pool.acquire(name, timeout)
        except LockBusy:
            outcome.append("busy")
            return
        outcome.append("got it")
        pool.release(name)

    thread = threading.Thread(target=attempt, daemon=True)
    thread.start()
    thread.join(5.0)
    assert not thread.is_alive(), f"acquire({name!r}, {timeout}) never ended"
    return outcome[0]


def test_two_threads_of_one_process_exclude_each_other(tmp_path):
    pool = LockPool(tmp_path)
    pool.acquire("c1", 1.0)
    assert from_another_thread(pool, "c1", 0.2) == "busy"
    # a timeout below zero is a single try, never an endless wait
    assert from_another_thread(pool, "c1", -1.0) == "busy"
    pool.release("c1")
    assert from_another_thread(pool, "c1", 0.2) == "got it"


def test_another_open_file_cannot_take_a_held_lock(tmp_path):
    pool = LockPool(tmp_path)
    pool.acquire("c1", 1.0)
    fd = os.open(tmp_path / "c1.lock", os.O_RDWR)
    try:
        with pytest.raises(BlockingIOError):
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        pool.release("c1")
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # free once released
    finally:
        os.close(fd)


def test_a_removed_lock_file_is_replaced_not_locked_in_vain(tmp_path):
    pool = LockPool(tmp_path)
    pool.acquire("c1", 1.0)
    pool.release("c1")
    (tmp_path / "c1.lock").unlink()  # the kept descriptor now points at a removed file
    pool.acquire("c1", 1.0)
    fd = os.open(tmp_path / "c1.lock", os.O_RDWR)
    try:
        with pytest.raises(BlockingIOError):  # the lock is on the file others will open
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    finally:
        os.close(fd)
        pool.release("c1")


def test_the_holder_line_names_this_process_and_is_written_once(tmp_path):
    pool = LockPool(tmp_path)
    pool.acquire("c1", 1.0)
    pool.release("c1")
    path = tmp_path / "c1.lock"
    assert path.read_text().split()[0] == str(os.getpid())
    before = path.stat().st_mtime_ns
    pool.acquire("c1", 1.0)
    pool.release("c1")
    assert path.stat().st_mtime_ns == before  # taken again by the same process: not rewritten


def test_a_failing_first_sweep_releases_the_lock(tmp_path, monkeypatch):
    """The first write sweeps old temp files under the lock; if that fails, the lock is
    released (not held for ever by this thread or process) and the error is not hidden."""
    from langkah.store.tinydb_store import TinyDBStore

    store = TinyDBStore(tmp_path)

    def broken_sweep() -> int:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(store, "_sweep", broken_sweep)
    with pytest.raises(OSError), store.exclusive("siklus-1"):
        pass
    assert not store._depths()
    other = TinyDBStore(tmp_path, lock_timeout=0.2)  # another holder gets it at once
    with other.exclusive("siklus-1"):
        pass
    with store.exclusive("siklus-1"):  # and so does this store again (swept once only)
        pass


def test_a_dropped_store_keeps_no_file_descriptors(tmp_path):
    """Lock files and the index journal stay open while a store object lives (cheaper
    actions), and are closed when it is dropped: a process that opens many stores (a test
    run, a long TUI session switching data folders) must not run out of descriptors."""
    import gc

    from langkah.store.pins import settle
    from langkah.store.tinydb_store import TinyDBStore
    from tests.store.test_contract import create, event, summary

    def open_fds() -> int:
        # replaced file versions wait, process-wide, to be closed 16 at a time
        # (langkah/store/pins.py): closed here first, the count is exact
        settle()
        return len(os.listdir("/proc/self/fd"))

    gc.collect()
    before = open_fds()
    for n in range(20):
        store = TinyDBStore(tmp_path / "data")
        create(store, f"c-{n}")
        # an action keeps the version it wrote open; the store lets it go when dropped
        store.append(f"c-{n}", 1, [event(2, text="x")], summary(f"c-{n}", 2))
        del store
    gc.collect()
    assert open_fds() - before == 0


def test_a_lock_another_process_holds_briefly_is_waited_for_then_taken(tmp_path):
    """Another process's hold (another open file description) is waited out, within the
    timeout; a hold longer than the timeout gives LockBusy after about the timeout."""
    pool = LockPool(tmp_path)
    fd = os.open(tmp_path / "c1.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        timer = threading.Timer(0.15, fcntl.flock, (fd, fcntl.LOCK_UN))
        timer.start()
        start = time.monotonic()
        pool.acquire("c1", 5.0)
        waited = time.monotonic() - start
        timer.join()
        assert 0.1 <= waited < 5.0
        pool.release("c1")
        fcntl.flock(fd, fcntl.LOCK_EX)  # held again, now past the timeout
        start = time.monotonic()
        with pytest.raises(LockBusy):
            pool.acquire("c1", 0.2)
        assert 0.15 <= time.monotonic() - start < 5.0
        fcntl.flock(fd, fcntl.LOCK_UN)  # the refused wait left nothing held behind it
        pool.acquire("c1", 1.0)
        pool.release("c1")
    finally:
        os.close(fd)


def _open_lock_files(folder, name: str) -> int:
    """This process's descriptors open on `folder/name`."""
    target = os.fspath(folder / name)
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            count += os.readlink(f"/proc/self/fd/{fd}") == target
        except OSError:
            continue
    return count


def test_closing_the_pool_keeps_a_held_lock_and_closes_the_others(tmp_path):
    pool = LockPool(tmp_path)
    pool.acquire("c1", 1.0)
    pool.acquire("c2", 1.0)
    pool.release("c2")
    pool.close()
    assert _open_lock_files(tmp_path, "c2.lock") == 0
    assert _open_lock_files(tmp_path, "c1.lock") == 1
    fd = os.open(tmp_path / "c1.lock", os.O_RDWR)
    try:
        with pytest.raises(BlockingIOError):  # still held by this thread
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    finally:
        os.close(fd)
    # the thread lock is still this thread's too
    assert from_another_thread(pool, "c1", 0.1) == "busy"
    pool.release("c1")
    pool.close()
    assert _open_lock_files(tmp_path, "c1.lock") == 0
