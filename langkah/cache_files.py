"""Reading the disposable cache files kept in the data folder (the definitions' index, the
preferences, the holiday cache, the stats' facts): never a FIFO or device, never more than a
limit, and any trouble is simply "no cache". A module of its own, imported at start-up by the
preferences without the definitions' index."""

from __future__ import annotations

import os
import stat
from pathlib import Path

MAX_CACHE_BYTES = 64 * 1024 * 1024


def read_cache_file(path: Path, limit: int = MAX_CACHE_BYTES) -> str | None:
    """The text of a disposable cache file, or None when it is missing, not a regular file (a
    FIFO is never waited on), larger than `limit`, unreadable or not UTF-8."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
            return None
        with os.fdopen(os.dup(fd), "rb") as stream:
            data = stream.read(limit + 1)
        return data.decode("utf-8") if len(data) <= limit else None
    except (OSError, UnicodeDecodeError):
        return None
    finally:
        os.close(fd)
