"""A writer process for the fault-injection tests: adds notes through the service and acknowledges
each one on stdout (flushed) only after the call has returned.

    python -m tests.fault.writer kill DATA_DIR CYCLE [CYCLE...]
        notes round-robin on the cycles until killed; prints "ack TOKEN VERSION" per note
    python -m tests.fault.writer race DATA_DIR CYCLE COUNT TAG
        COUNT notes with expected_version from the last read, reloading after a ConflictError;
        prints "ack TOKEN VERSION" per note and "done CONFLICTS" at the end
    python -m tests.fault.writer plain DATA_DIR CYCLE COUNT TAG
        COUNT notes with no expected version (as `langkah note` sends them), retrying by hand
        after a ConflictError; prints "ack TOKEN VERSION" per note and "done CONFLICTS"
    python -m tests.fault.writer stuck DATA_DIR CYCLE
        one note that stops after appending its record, before the fdatasync that makes it
        durable (prints "stuck"), holding the cycle's lock until a line arrives on stdin; then
        finishes it ("ack ...")
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import random
import sys
import time

from langkah.service import Langkah
from langkah.store import ConflictError

NOW = dt.datetime(2026, 10, 5, 2, 0, tzinfo=dt.UTC)


def ack(token: str, version: int) -> None:
    sys.stdout.write(f"ack {token} {version}\n")
    sys.stdout.flush()


def kill_mode(data_dir: str, cycles: list[str]) -> None:
    app = Langkah.open(data_dir, data_dir + "/no-defs", clock=lambda: NOW)
    print("ready", flush=True)
    for i in itertools.count():
        cycle = cycles[i % len(cycles)]
        token = f"w{os.getpid()}-{i}"
        while True:
            try:
                view = app.note(cycle, token)
                break
            except ConflictError:  # another writer got in between: the note was not written
                # try again after a moment, as a person would: without it, writers that loop
                # straight back can keep one writer from ever getting in
                time.sleep(random.uniform(0, 0.002))
        ack(token, view.version)


def race_mode(data_dir: str, cycle: str, count: int, tag: str) -> None:
    app = Langkah.open(data_dir, data_dir + "/no-defs", clock=lambda: NOW)
    view = app.open_cycle(cycle)
    print("ready", flush=True)
    sys.stdin.readline()  # start together
    conflicts = 0
    for i in range(count):
        token = f"{tag}-{i}"
        while True:
            try:
                view = app.note(cycle, token, expected_version=view.version)
                break
            except ConflictError:
                conflicts += 1
                view = app.open_cycle(cycle)
        ack(token, view.version)
    print(f"done {conflicts}", flush=True)


def plain_mode(data_dir: str, cycle: str, count: int, tag: str) -> None:
    app = Langkah.open(data_dir, data_dir + "/no-defs", clock=lambda: NOW)
    print("ready", flush=True)
    sys.stdin.readline()  # start together
    conflicts = 0
    for i in range(count):
        token = f"{tag}-{i}"
        while True:
            try:
                view = app.note(cycle, token)
                break
            except ConflictError:  # the person would have to send it again by hand
                conflicts += 1
        ack(token, view.version)
    print(f"done {conflicts}", flush=True)


def stuck_mode(data_dir: str, cycle: str) -> None:
    app = Langkah.open(data_dir, data_dir + "/no-defs", clock=lambda: NOW)
    real_sync = os.fdatasync

    def sync_when_told(fd):
        print("stuck", flush=True)
        sys.stdin.readline()
        os.fdatasync = real_sync
        real_sync(fd)

    os.fdatasync = sync_when_told
    view = app.note(cycle, "stuck")
    ack("stuck", view.version)


if __name__ == "__main__":
    mode, data = sys.argv[1], sys.argv[2]
    if mode == "kill":
        kill_mode(data, sys.argv[3:])
    elif mode == "stuck":
        stuck_mode(data, sys.argv[3])
    elif mode == "plain":
        plain_mode(data, sys.argv[3], int(sys.argv[4]), sys.argv[5])
    else:
        race_mode(data, sys.argv[3], int(sys.argv[4]), sys.argv[5])
