"""SIGKILL writers at random moments: every acknowledged action survives exactly once."""

from __future__ import annotations

import random
import select
import signal
import time
from collections import Counter

from tests.fault.conftest import note_texts, open_app, start_writer, temp_files

KILLS = 54  # 18 rounds of 3 writers


def read_line(proc, timeout: float) -> str:
    ready, _, _ = select.select([proc.stdout], [], [], timeout)
    return proc.stdout.readline() if ready else ""


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
        for proc in writers:
            assert read_line(proc, 60).strip() == "ready", proc.stderr.read()
        time.sleep(rng.uniform(0.0, 0.12))
        for proc in writers:
            time.sleep(rng.uniform(0.0, 0.01))
            proc.send_signal(signal.SIGKILL)
        for proc in writers:
            proc.wait(30)
            assert proc.returncode == -signal.SIGKILL
            acked += [
                line.split()[1]
                for line in proc.stdout.read().splitlines()
                if line.startswith("ack")
            ]
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
