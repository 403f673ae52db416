"""SIGKILL writers at random moments: every acknowledged action survives exactly once."""

from __future__ import annotations

import os
import random
import selectors
import signal
import time
from collections import Counter

from tests.fault.conftest import note_texts, open_app, start_writer, temp_files

KILLS = 54  # 18 rounds of 3 writers


class Lines:
    """A writer's stdout read line by line straight from the pipe (no buffer that `select`
    cannot see), so several writers can be followed at once."""

    def __init__(self, proc):
        self.proc, self.fd, self.buffer, self.lines, self.eof = (
            proc,
            proc.stdout.fileno(),
            b"",
            [],
            False,
        )

    def pump(self) -> None:
        chunk = os.read(self.fd, 65536)
        self.eof = not chunk
        self.buffer += chunk
        *complete, self.buffer = self.buffer.split(b"\n")
        self.lines += [line.decode() for line in complete]

    def acks(self) -> list[str]:
        return [line.split()[1] for line in self.lines if line.startswith("ack")]

    def drain(self) -> None:
        while not self.eof:
            self.pump()


def kill_when_acknowledged(reader: Lines) -> bool:
    """SIGKILL the writer once it has acknowledged `reader.wanted` notes."""
    if len(reader.acks()) >= reader.wanted:
        reader.proc.send_signal(signal.SIGKILL)
        return True
    return False


def wait_until(readers: list[Lines], done, timeout: float = 60) -> None:
    """Read from all writers until `done(reader)` holds for each (or `timeout` seconds pass:
    a stuck writer is then reported by the caller's assertion, not waited for forever)."""
    deadline = time.monotonic() + timeout
    pending = [r for r in readers if not done(r)]
    while pending and time.monotonic() < deadline:
        with selectors.DefaultSelector() as selector:  # epoll: any descriptor number
            for reader in pending:
                selector.register(reader.fd, selectors.EVENT_READ, reader)
            for key, _ in selector.select(1.0):
                key.data.pump()
        pending = [r for r in pending if not done(r) and not r.eof]


def test_sigkill_at_random_moments_loses_no_acknowledged_action(data_dir, app, cycles):
    rng = random.Random(20261005)
    acked: list[str] = []
    kills = orphans = 0
    while kills < KILLS:
        # three writers at once: two on one cycle, one on both (conflicts and retries included)
        writers = [
            start_writer("kill", str(data_dir), cycles[0]),
            start_writer("kill", str(data_dir), cycles[0]),
            start_writer("kill", str(data_dir), *cycles),
        ]
        readers = [Lines(proc) for proc in writers]
        wait_until(readers, lambda r: "ready" in r.lines)
        assert all("ready" in r.lines for r in readers), [r.proc.stderr.read() for r in readers]
        # each writer is killed as soon as it has acknowledged its first to fourth note (no
        # sleep): it is then already busy with its next one, so kills land mid-write at varied
        # points; the writers are followed together, so one that waits long to get in is killed
        # after the others, and not starved by them
        for reader in readers:
            reader.wanted = rng.randint(1, 4)
        wait_until(readers, kill_when_acknowledged)
        for reader in readers:
            assert reader.acks(), f"no acknowledgement in 60 s: {reader.lines}"
        for reader in readers:
            proc = reader.proc
            proc.send_signal(signal.SIGKILL)
            proc.wait(30)
            assert proc.returncode == -signal.SIGKILL
            reader.drain()
            acked += reader.acks()
            proc.stdout.close()
            proc.stderr.close()
            kills += 1
        # after each round the store opens and every acknowledged note is there exactly once
        fresh = open_app(data_dir)
        counts = Counter(t for c in cycles for t in note_texts(fresh, c))
        missing = [t for t in acked if counts[t] != 1]
        assert not missing, f"acknowledged but missing or duplicated: {missing[:5]}"
        assert all(n == 1 for n in counts.values()), "a note was written twice"
        for cycle_id in cycles:
            events = fresh.events(cycle_id)
            assert [e.seq for e in events] == list(range(1, len(events) + 1))
        orphans += len(temp_files(data_dir))
        fresh.store.cleanup()  # what the first write of the next process does under the lock
        assert temp_files(data_dir) == []
    assert kills >= 50
    assert acked, "the writers never got to write"
    print(f"{kills} kills, {len(acked)} acknowledged notes, {orphans} orphan temp files cleaned")
