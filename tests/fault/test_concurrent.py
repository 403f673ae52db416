"""Two processes, 200 actions each, on different cycles and on the same one."""

from __future__ import annotations

from collections import Counter

import pytest

from langkah.store import ConflictError
from tests.fault.conftest import note_texts, open_app, start_writer

COUNT = 200


def race(data_dir, targets: list[str]) -> tuple[list[str], list[int]]:
    procs = [
        start_writer("race", str(data_dir), cycle, str(COUNT), f"p{i}", stdin=True)
        for i, cycle in enumerate(targets)
    ]
    for proc in procs:
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
    for proc in procs:  # go
        proc.stdin.write("\n")
        proc.stdin.flush()
    acked, conflicts = [], []
    for proc in procs:
        out, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, err
        lines = out.splitlines()
        acked += [line.split()[1] for line in lines if line.startswith("ack")]
        conflicts += [int(line.split()[1]) for line in lines if line.startswith("done")]
    return acked, conflicts


@pytest.mark.parametrize("same_cycle", [False, True], ids=["different-cycles", "same-cycle"])
def test_two_writers_lose_and_duplicate_nothing(data_dir, app, cycles, same_cycle):
    targets = [cycles[0], cycles[0]] if same_cycle else cycles
    acked, conflicts = race(data_dir, targets)
    assert len(acked) == 2 * COUNT and len(conflicts) == 2
    fresh = open_app(data_dir)
    texts = Counter(t for c in set(targets) for t in note_texts(fresh, c))
    assert sorted(texts) == sorted(acked)
    assert set(texts.values()) == {1}
    for cycle_id in set(targets):
        events = fresh.events(cycle_id)
        assert [e.seq for e in events] == list(range(1, len(events) + 1))
    if not same_cycle:
        assert conflicts == [0, 0]  # separate cycles never conflict
    print(f"conflicts reported to the losers: {conflicts}")


def test_a_stale_version_is_refused_with_a_clear_message(data_dir, app, cycles):
    other = open_app(data_dir)
    seen = app.open_cycle(cycles[0]).version
    other.note(cycles[0], "ditulis di proses lain")
    with pytest.raises(ConflictError) as refused:
        app.note(cycles[0], "catatan saya", expected_version=seen)
    assert "reload" in str(refused.value) and cycles[0] in str(refused.value)
    assert note_texts(open_app(data_dir), cycles[0]) == ["ditulis di proses lain"]
