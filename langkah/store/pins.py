"""Pinned file versions: the store keeps open a descriptor of the version of each recently
used cycle file that it last wrote or read, and closes it on a background thread, a batch at a
time, once a newer version has replaced it durably.

Why: replacing a file by rename frees the version it replaces inside the `rename` call when
nothing else holds that version: on ext4 the inode is evicted and its blocks freed there (and,
mounted with `discard` as the CI machine is, discarded): ~0.35 ms of a ~1.3 ms durable write
measured there (docs/performance.md). A version still open somewhere is only unlinked by the
rename (put on the orphan list, ~0.03 ms); it is freed when its last descriptor closes.
Closing that descriptor on a thread after the new version is durable (`_Releaser`) takes the
freeing out of the action's time without changing what is on disk or when it is durable: the
write, its fsync, the rename and the folder's fsync happen exactly as before, and after a
crash the file system frees the orphaned old version itself (ext4 at mount).

A descriptor is only a pin: nothing is ever read or written through it. Each one is closed
exactly once, by `release` (handed over by `Pins.hold`, `Pins.drop` or `Pins.close`, never two
of them for one descriptor), so no descriptor number this process reuses is closed by mistake.
"""

from __future__ import annotations

import contextlib
import os
import threading
import weakref

from langkah.store.process import ProcessThread

LIMIT = 32  # pins per store object (the cycles acted on most recently)
BATCH = 16  # replaced versions closed together (see `_Releaser`)


class _Releaser:
    """Closes the descriptors handed to it, BATCH at a time, on one daemon thread per process.

    Waking another thread costs more than the rest of an action's bookkeeping on a virtual
    machine (~60 us measured on the CI machine: the wake-up and the hand-over of the GIL), so
    replaced versions wait here in a short list and the thread is woken once per batch. A
    waiting version only takes disk space; at most BATCH - 1 wait, and a process that exits
    closes them all."""

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._waiting: list[int] = []
        self._thread = ProcessThread("langkah-release", _close_all)

    def release(self, fd: int) -> None:
        with self._mutex:
            self._waiting.append(fd)
            if len(self._waiting) < BATCH:
                return
            batch, self._waiting = self._waiting, []
        if not self._thread.put(batch):  # no thread can start (the interpreter is ending)
            _close_all(batch)

    def settle(self) -> None:
        """Close every descriptor handed over so far, the waiting ones in this thread (for
        measurements and tests: nothing in Langkah needs to wait for it)."""
        with self._mutex:
            batch, self._waiting = self._waiting, []
        _close_all(batch)
        self._thread.join()


def _close_all(fds: list[int]) -> None:
    for fd in fds:
        with contextlib.suppress(OSError):
            os.close(fd)


_RELEASER = _Releaser()
release = _RELEASER.release
settle = _RELEASER.settle


class Pins:
    """The pinned versions of one store's files, by path: at most `limit`, the oldest let go
    first."""

    def __init__(self, limit: int = LIMIT):
        self._held: dict[str, tuple[int, int]] = {}  # name -> (fd, inode); the oldest first
        self._mutex = threading.Lock()
        self._limit = limit
        weakref.finalize(self, _release_all, self._held, self._mutex)

    def hold(self, name: str, fd: int, inode: int) -> None:
        """`fd` (of the file with `inode`) now pins `name`'s version; the one pinned before is
        let go."""
        with self._mutex:
            old = self._held.pop(name, None)
            self._held[name] = (fd, inode)
            oldest = None
            if len(self._held) > self._limit:
                oldest = self._held.pop(next(iter(self._held)))
        if old is not None:
            release(old[0])
        if oldest is not None:
            release(oldest[0])

    def inode(self, name: str) -> int | None:
        """The inode of the version pinned for `name` (None: none is)."""
        held = self._held.get(name)
        return None if held is None else held[1]

    def drop(self, name: str) -> None:
        """Let go of `name`'s pin, if any (its file was replaced by a write that does not pin)."""
        with self._mutex:
            held = self._held.pop(name, None)
        if held is not None:
            release(held[0])

    def pinned(self, name: str) -> int | None:
        """The descriptor pinning `name`, for tests (never to be read, written or closed)."""
        held = self._held.get(name)
        return None if held is None else held[0]

    def close(self) -> None:
        _release_all(self._held, self._mutex)


def _release_all(held: dict[str, tuple[int, int]], mutex: threading.Lock) -> None:
    with mutex:
        fds = [fd for fd, _ in held.values()]
        held.clear()
    for fd in fds:
        release(fd)
