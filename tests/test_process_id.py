"""The store's cached process id follows a fork (temp names and lock holders name the writer)."""

from __future__ import annotations

import os

from langkah.store import process


def test_the_cached_id_is_this_process_and_a_forked_child_gets_its_own():
    assert process.pid() == os.getpid()
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        try:
            os.write(write, f"{process.pid()} {os.getpid()}".encode())
        finally:
            os._exit(0)
    os.close(write)
    told = os.read(read, 100).decode().split()
    os.close(read)
    os.waitpid(child, 0)
    assert told[0] == told[1] == str(child)
    assert process.pid() == os.getpid()


def test_a_process_thread_serves_in_order_survives_a_failing_item_and_joins():
    import threading

    served: list[tuple[int, str]] = []

    def serve(item: int) -> None:
        if item == 2:
            raise ValueError("a failing item")
        served.append((item, threading.current_thread().name))

    worker = process.ProcessThread("langkah-test-thread", serve)
    assert all(worker.put(i) for i in range(5))
    worker.join()  # returns once everything put so far is served
    assert served == [(i, "langkah-test-thread") for i in (0, 1, 3, 4)]
