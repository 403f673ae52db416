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

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from langkah.store.process import ProcessThread

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


_HELPER: ProcessThread[Pending[object]] = ProcessThread("langkah-overlap", Pending.run)


def start(work: Callable[[], T]) -> Pending[T]:
    """Hand `work` to the helper thread (or, if none can start, to `result()`)."""
    pending = Pending(work)
    pending.handed = _HELPER.put(pending)  # type: ignore[arg-type]
    return pending
