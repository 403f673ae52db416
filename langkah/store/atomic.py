"""Durable atomic file writes: temp file, fsync, rename over the target, fsync the directory."""

from __future__ import annotations

import contextlib
import errno
import os
import random
import signal
from collections.abc import Callable
from pathlib import Path

from langkah.file_kinds import not_regular
from langkah.messages import Text, os_reason, say
from langkah.store.base import DamagedStoreError, StoreError
from langkah.store.pins import Pins
from langkah.store.process import pid

TEMP_SUFFIX = ".tmp"
MAX_FILE_BYTES = 64 * 1024 * 1024  # the largest store file read (a cycle of ~100,000 events)


class UnreadableFile(DamagedStoreError):
    """A store file that is not read: not a regular file, a symlink, too large, or not
    readable. It is named with why, skipped where others can be listed, never changed."""

    def __init__(self, path: Path, why: Text):
        StoreError.__init__(self, say("unreadable.skipped", path=str(path), why=why))
        self.path = path
        self.repairable = False
        self.why = why


def _too_large(path: Path, size: int, limit: int) -> UnreadableFile:
    return UnreadableFile(path, say("unreadable.too_large", size=size, limit=limit))


def read_regular(path: Path, limit: int | None = None) -> bytes:
    """`read_regular_keyed` without the stat."""
    return read_regular_keyed(path, limit)[0]


def read_regular_keyed(
    path: Path, limit: int | None = None, pins: Pins | None = None
) -> tuple[bytes, os.stat_result]:
    """The bytes of `path` if it is a regular file of at most `limit` bytes (MAX_FILE_BYTES),
    and the stat of the file they were read from. With `pins`, the version read stays open
    there (langkah/store/pins.py) instead of being closed.

    Symlinks are not followed (lstat, O_NOFOLLOW), a FIFO or device is never opened for
    reading (lstat first; O_NONBLOCK in case it was swapped in since), and the open file is
    checked again (fstat) before a byte is read. FileNotFoundError passes through; every other
    refusal is UnreadableFile naming the path and why."""
    limit = MAX_FILE_BYTES if limit is None else limit
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        raise
    except OSError as error:
        raise UnreadableFile(
            path, say("unreadable.cannot_examine", reason=os_reason(error))
        ) from None
    why = not_regular(st.st_mode)
    if why:
        raise UnreadableFile(path, why)
    if st.st_size > limit:
        raise _too_large(path, st.st_size, limit)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise UnreadableFile(path, say("unreadable.symlink")) from None
        if error.errno in (errno.EACCES, errno.EPERM):
            raise UnreadableFile(path, say("unreadable.permission")) from None
        raise UnreadableFile(path, say("unreadable.cannot_open", reason=os_reason(error))) from None
    try:
        try:
            st = os.fstat(fd)
            why = not_regular(st.st_mode)
            if why:
                raise UnreadableFile(path, why)
            chunks, total = [], 0
            while True:
                wanted = min(max(st.st_size + 1 - total, 1 << 16), 1 << 20, limit + 1 - total)
                chunk = os.read(fd, wanted)
                if not chunk:
                    break
                chunks.append(chunk)
                total += len(chunk)
                if total > limit:
                    raise _too_large(path, max(total, st.st_size), limit)
                if len(chunk) < wanted and total >= st.st_size:
                    break  # a short read of a regular file: its end (no second call to see it)
            data = b"".join(chunks)
        except OSError as error:
            reason = os_reason(error)
            raise UnreadableFile(path, say("unreadable.cannot_read", reason=reason)) from None
    except BaseException:
        os.close(fd)
        raise
    if pins is None:
        os.close(fd)
    else:
        pins.hold(os.fspath(path), fd, st.st_ino)
    return data, st


# The kill-point fault suite (tests/fault/test_kill_points.py): with LANGKAH_FAULT_KILL_AFTER=N
# the process SIGKILLs itself at the Nth filesystem step of a write, as a power cut would.
_KILL_AFTER = int(os.environ.get("LANGKAH_FAULT_KILL_AFTER", "0") or 0)
_steps = 0


def fault_point() -> None:
    """One filesystem step of a write; under the fault suite, maybe the last one."""
    global _steps
    if _KILL_AFTER:
        _steps += 1
        if _steps >= _KILL_AFTER:
            os.kill(os.getpid(), signal.SIGKILL)


FileKey = tuple[int, int, int]  # (inode, mtime_ns, size): a replaced file always changes it


def write_keyed(
    fd: int, data: bytes, before_sync: Callable[[FileKey], None] | None = None
) -> FileKey:
    """Write all of `data` at `fd` and return the file's key then (a later `os.stat` reports
    it while nobody writes the file again; a sync changes none of it), after `before_sync(key)`
    has run: work that needs the key, done before the caller's sync rather than after it
    (Python run right after a wait for the disk runs ~2x slower here: the CPU's caches are
    cold). Under the fault suite half of `data` is written first, a kill point between: a
    half-written file is one of the states a kill leaves."""
    view = memoryview(data)
    half = len(data) // 2
    if _KILL_AFTER and half:
        view = view[os.write(fd, view[:half]) :]
        fault_point()
    while view:
        view = view[os.write(fd, view) :]
    fault_point()
    st = os.fstat(fd)
    key = (st.st_ino, st.st_mtime_ns, st.st_size)
    if before_sync is not None:
        before_sync(key)
    return key


def atomic_write(
    path: Path,
    data: bytes,
    before_sync: Callable[[FileKey], None] | None = None,
    pins: Pins | None = None,
) -> FileKey:
    """Replace `path` with `data` so that a crash leaves either the old or the new file.

    Returns the new file's key (inode, mtime_ns, size), which a later `os.stat` of `path`
    reports as long as nobody has replaced the file since (rename keeps inode and mtime; the
    key is read once the bytes are written, before the fsync, which changes none of it).
    `before_sync(key)`: as in `write_keyed`, before the fsync; an exception from it leaves the
    old file in place, like any failure before the rename.
    `pins`: the new version stays open there once durable (langkah/store/pins.py), and the
    version it replaced, if pinned there, is let go: the rename does not free it."""
    target = os.fspath(path)  # plain strings: this runs on every action
    folder, name = os.path.split(target)
    # unique among live writers (pid) and among the temp files one pid may leave behind (a
    # random part: O_EXCL refuses a name that exists); `random` is seeded from the OS and
    # again in a forked child, and asks the kernel for nothing
    temp = os.path.join(folder, f".{name}.{pid()}.{random.getrandbits(32):08x}{TEMP_SUFFIX}")
    fault_point()
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        try:
            key = write_keyed(fd, data, before_sync)
            os.fsync(fd)
            fault_point()
            os.replace(temp, target)
        except BaseException:  # not renamed: the temp file goes
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise
        fault_point()
        fsync_dir(folder or ".")
    except BaseException:
        os.close(fd)
        raise
    if pins is None:
        os.close(fd)
    else:
        pins.hold(target, fd, key[0])
    return key


def pin_current(path: Path, inode: int, pins: Pins) -> None:
    """Pin `path`'s version (langkah/store/pins.py) if it is the file with `inode` and not
    pinned yet: a version read earlier without a pin, about to be replaced (best effort)."""
    name = os.fspath(path)
    if pins.inode(name) == inode:
        return
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return
    try:
        same = os.fstat(fd).st_ino == inode
    except OSError:
        same = False
    if same:
        pins.hold(name, fd, inode)
    else:
        os.close(fd)


def fsync_dir(directory: Path | str) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError as error:  # some file systems refuse to fsync a directory
        if error.errno not in (errno.EINVAL, errno.EBADF):
            raise
    finally:
        os.close(fd)


def orphan_temps(directory: Path) -> list[Path]:
    """The temp files in `directory` (a live writer's, or one a killed writer left behind)."""
    try:
        return [
            Path(entry.path)
            for entry in os.scandir(directory)
            if entry.name.startswith(".") and entry.name.endswith(TEMP_SUFFIX)
        ]
    except (FileNotFoundError, NotADirectoryError):
        return []
