"""The store's lock files, kept open between writes.

One lock file per cycle (and one for the store), locked with flock. Opening the file and
rewriting its holder line on every action cost about as much as the rest of an action's Python,
so each lock file stays open in the process that used it (up to `KEEP` of them). Because flock
belongs to the open file, not the thread, a per-name thread lock makes two threads of the same
process exclude each other too. The holder line is rewritten in place, padded to a fixed width,
so no truncation is needed, and only when another process wrote it last (a lock file left
alone adds nothing to the journal work of the action's fsync).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import socket
import threading
import time
import weakref
from collections import OrderedDict
from pathlib import Path

from langkah.store import process

KEEP = 128  # lock files kept open per store object
HOLDER_WIDTH = 80


class LockBusy(Exception):
    """The lock was not had within the timeout; `fd` is the lock file (to read its holder)."""

    def __init__(self, fd: int | None):
        super().__init__()
        self.fd = fd


class LockPool:
    """Exclusive, blocking-with-timeout locks by name, on files in `folder`."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._fds: OrderedDict[str, int] = OrderedDict()
        self._threads: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()
        self._host = socket.gethostname()
        self._holder_line: tuple[int, bytes] = (0, b"")
        # the kept descriptors are closed when the pool is dropped (a process that opens many
        # stores, such as a test run, would otherwise run out of them)
        weakref.finalize(self, _close_all, self._fds)

    def open_file(self, name: str) -> int:
        """A new descriptor of the lock file of `name` (for a one-off try, e.g. the sweep)."""
        flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK
        return os.open(self.folder / f"{name}.lock", flags, 0o644)

    def acquire(self, name: str, timeout: float) -> int:
        """Lock `name` for this thread; raises LockBusy after `timeout` seconds, OSError when
        the lock file cannot be opened. Returns the lock file's descriptor (kept open)."""
        deadline = time.monotonic() + timeout
        thread_lock = self._threads.get(name)  # made once per name (never removed)
        if thread_lock is None:
            with self._guard:
                thread_lock = self._threads.setdefault(name, threading.Lock())
        if not thread_lock.acquire(timeout=max(timeout, 0.0)):
            raise LockBusy(self._fds.get(name))
        try:
            fd = self._locked_fd(name, deadline)
            # Who holds it, for a writer that waits too long. Written only when another
            # process wrote it last: an untouched file adds nothing to the action's fsync.
            holder = self._holder()
            if os.pread(fd, len(holder), 0) != holder:
                os.pwrite(fd, holder + b"\n", 0)
        except BaseException:
            thread_lock.release()
            raise
        return fd

    def _holder(self) -> bytes:
        """This process's holder line (made again in a forked child: its pid differs)."""
        pid = process.pid()
        if self._holder_line[0] != pid:
            line = f"{pid} {self._host}".ljust(HOLDER_WIDTH).encode("utf-8", "replace")
            self._holder_line = (pid, line)
        return self._holder_line[1]

    def release(self, name: str) -> None:
        fd = self._fds.get(name)
        try:
            if fd is not None:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            self._threads[name].release()

    def close(self) -> None:
        """Close every kept lock file that no thread holds."""
        with self._guard:
            for name in list(self._fds):
                self._forget(name)

    def _locked_fd(self, name: str, deadline: float) -> int:
        pause = 0.0005
        while True:
            fd = self._fd(name)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise LockBusy(fd) from None
                time.sleep(min(pause, left))
                pause = min(pause * 2, 0.02)
                continue
            if os.fstat(fd).st_nlink == 0:  # the file was removed while kept: lock the new one
                fcntl.flock(fd, fcntl.LOCK_UN)
                with self._guard:
                    self._drop(name)
                continue
            return fd

    def _fd(self, name: str) -> int:
        with self._guard:
            fd = self._fds.get(name)
            if fd is not None:
                self._fds.move_to_end(name)
                return fd
            fd = self.open_file(name)
            self._fds[name] = fd
            if len(self._fds) > KEEP:
                for old in list(self._fds)[: len(self._fds) - KEEP]:
                    self._forget(old)
            return fd

    def _forget(self, name: str) -> None:
        """Close a kept lock file, unless a thread holds it (then it stays)."""
        thread_lock = self._threads.get(name)
        if thread_lock is None or not thread_lock.acquire(blocking=False):
            return
        try:
            self._drop(name)
        finally:
            thread_lock.release()

    def _drop(self, name: str) -> None:
        fd = self._fds.pop(name, None)
        if fd is not None:
            os.close(fd)


def _close_all(fds: dict[str, int]) -> None:
    for fd in list(fds.values()):
        with contextlib.suppress(OSError):
            os.close(fd)
    fds.clear()
