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
