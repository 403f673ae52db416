"""Work done while a durable write waits for the disk.

An action's write spends most of its time in `fsync`, where the interpreter lock is released
and the CPU has nothing to do. `start(work)` hands a pure function to a helper thread right
before that wait; `Pending.result()` right after it returns the function's value (or raises
its exception), waiting for the helper only if it has not finished. The first action on a
cycle in a process uses it to check the hash chain of the log it read while its new version
is being made durable; the rename that makes that version visible waits for the verdict
(langkah/store/tinydb_store.py, `_append_locked`).

One daemon thread per process (a forked child starts its own). Where no thread can be started
(the interpreter is shutting down) the work runs in `result()`, on the caller's thread; so it
does when the helper has not answered within `PATIENCE` seconds (the work is a pure function:
running it twice is harmless). Started just before the wait and not earlier: a helper woken
while the caller still runs Python only waits for the interpreter lock, and then holds the
caller up for as long as it runs.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from langkah.store import process

T = TypeVar("T")

PATIENCE = 10.0  # seconds `result()` waits for the helper before doing the work itself


class Pending(Generic[T]):
    """The value of one piece of work handed to the helper (or not: see `result`)."""

    __slots__ = ("_work", "_value", "_error", "_done", "handed")

    def __init__(self, work: Callable[[], T]):
        self._work = work
        self._value: T | None = None
        self._error: BaseException | None = None
        self._done = threading.Lock()
        self._done.acquire()  # released once the work has run
        self.handed = False  # True once a helper thread has it

    def run(self) -> None:
        try:
            self._value = self._work()
        except BaseException as error:  # handed to `result()`'s caller
            self._error = error
        finally:
            self._done.release()

    def result(self) -> T:
        if not self.handed:
            self.run()
        if not self._done.acquire(timeout=PATIENCE):  # pragma: no cover - a stuck helper
            return self._work()
        self._done.release()  # a second `result()` returns at once
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]


class _Helper:
    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._queue: queue.SimpleQueue[Pending[object]] | None = None
        self._pid = 0  # the process the thread runs in

    def start(self, work: Callable[[], T]) -> Pending[T]:
        pending = Pending(work)
        work_queue = self._running()
        if work_queue is not None:
            pending.handed = True
            work_queue.put(pending)  # type: ignore[arg-type]
        return pending

    def _running(self) -> queue.SimpleQueue[Pending[object]] | None:
        if self._pid == process.pid():
            return self._queue
        with self._mutex:
            if self._pid != process.pid():
                work: queue.SimpleQueue[Pending[object]] = queue.SimpleQueue()
                thread = threading.Thread(
                    target=_serve, args=(work,), name="langkah-overlap", daemon=True
                )
                try:
                    thread.start()
                except RuntimeError:
                    return None
                self._queue, self._pid = work, process.pid()
        return self._queue


def _serve(work: queue.SimpleQueue[Pending[object]]) -> None:
    while True:
        work.get().run()


_HELPER = _Helper()
start = _HELPER.start
