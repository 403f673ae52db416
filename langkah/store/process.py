"""This process's id, without a system call each time it is asked.

`os.getpid()` is a system call on every use (glibc no longer caches it), and an action asked
for it three times (its temp file's name, its lock's holder line, the helper threads' owner).
Kept here and made again in a forked child (`os.register_at_fork`), the one way a running
process changes its id.
"""

from __future__ import annotations

import os

_pid = os.getpid()


def pid() -> int:
    return _pid


def _forked() -> None:
    global _pid
    _pid = os.getpid()


os.register_at_fork(after_in_child=_forked)
