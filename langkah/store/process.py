"""This process's id, without a system call each time it is asked, and this process's own
helper threads.

`os.getpid()` is a system call on every use (glibc no longer caches it), and an action asked
for it three times (its temp file's name, its lock's holder line, the helper threads' owner).
Kept here and made again in a forked child (`os.register_at_fork`), the one way a running
process changes its id.

`ProcessThread`: one daemon thread that serves what is put to it, in order, started on first
use and again in a forked child (which has none of its parent's threads). The store closes
replaced file versions on one (pins.py).
"""

from __future__ import annotations

import contextlib
import os
import queue
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")

_pid = os.getpid()


def pid() -> int:
    return _pid


def _forked() -> None:
    global _pid
    _pid = os.getpid()


os.register_at_fork(after_in_child=_forked)


class _Barrier(threading.Event):
    """Put behind the items to wait for (`ProcessThread.join`)."""


class ProcessThread(Generic[T]):
    """One daemon thread of this process calling `serve(item)` for each item put, in order."""

    def __init__(self, name: str, serve: Callable[[T], None]):
        self._name = name
        self._serve = serve
        self._mutex = threading.Lock()
        self._queue: queue.SimpleQueue[T | _Barrier] | None = None
        self._pid = 0  # the process the thread runs in

    def put(self, item: T) -> bool:
        """Hand `item` to the thread; False when no thread can be started (the interpreter is
        shutting down): the caller then does the work itself."""
        work = self._running()
        if work is None:
            return False
        work.put(item)
        return True

    def join(self) -> None:
        """Wait until every item put so far in this process is served."""
        work = self._queue if self._pid == _pid else None
        if work is not None:
            done = _Barrier()
            work.put(done)
            done.wait()

    def _running(self) -> queue.SimpleQueue[T | _Barrier] | None:
        if self._pid == _pid:
            return self._queue
        with self._mutex:
            if self._pid != _pid:
                work: queue.SimpleQueue[T | _Barrier] = queue.SimpleQueue()
                thread = threading.Thread(
                    target=self._loop, args=(work,), name=self._name, daemon=True
                )
                try:
                    thread.start()
                except RuntimeError:
                    return None
                self._queue, self._pid = work, _pid
        return self._queue

    def _loop(self, work: queue.SimpleQueue[T | _Barrier]) -> None:
        while True:
            item = work.get()
            if isinstance(item, _Barrier):
                item.set()
                continue
            with contextlib.suppress(Exception):  # the thread must outlive a failing item
                self._serve(item)
