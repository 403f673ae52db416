"""Durable atomic file writes: temp file, fsync, rename over the target, fsync the directory."""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import signal
from pathlib import Path

TEMP_SUFFIX = ".tmp"

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


def atomic_write(path: Path, data: bytes) -> FileKey:
    """Replace `path` with `data` so that a crash leaves either the old or the new file.

    Returns the new file's key (inode, mtime_ns, size), which a later `os.stat` of `path`
    reports as long as nobody has replaced the file since (rename keeps inode and mtime)."""
    temp = path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}{TEMP_SUFFIX}"
    fault_point()
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        try:
            view = memoryview(data)
            half = len(data) // 2
            if _KILL_AFTER and half:  # a torn temp file is one of the states a kill leaves
                view = view[os.write(fd, view[:half]) :]
                fault_point()
            while view:
                view = view[os.write(fd, view) :]
            fault_point()
            os.fsync(fd)
            st = os.fstat(fd)
        finally:
            os.close(fd)
        fault_point()
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    fault_point()
    fsync_dir(path.parent)
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def fsync_dir(directory: Path) -> None:
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
