"""Per-cycle locks (issue 11, part 9): a stuck writer on one cycle blocks no other cycle, a lock
wait times out naming the holder's pid, and concurrent writers need no retry by hand."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter

import pytest

from langkah.store import StoreError
from langkah.store.tinydb_store import TinyDBStore
from tests.fault.conftest import NOW, ROOT, note_texts, open_app, start_writer, temp_files


def cli(data_dir, *args, timeout_s: str = "10"):
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT),
        LANGKAH_NOW=NOW.isoformat(),
        LANGKAH_LOCK_TIMEOUT=timeout_s,
        LANGKAH_DEFS_DIR=str(data_dir / "no-defs"),
    )
    return subprocess.run(
        [sys.executable, "-m", "langkah.cli.main", "--data-dir", str(data_dir), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,  # a wait without a timeout fails the test instead of hanging it
    )


def test_a_stuck_writer_blocks_only_its_own_cycle_and_is_named(data_dir, cycles):
    stuck = start_writer("stuck", str(data_dir), cycles[0], stdin=True)
    try:
        assert stuck.stdout.readline().strip() == "stuck", stuck.stderr.read()
        # its record is written and not yet durable, its lock held
        other = cli(data_dir, "note", cycles[1], "lain")
        assert other.returncode == 0, other.stderr
        blocked = cli(data_dir, "note", cycles[0], "tunggu", timeout_s="0.3")
        assert blocked.returncode == 1 and "Traceback" not in blocked.stderr
        assert f"pid) {stuck.pid}" in blocked.stderr and cycles[0] in blocked.stderr
        assert "menunggu 0.3 detik" in blocked.stderr
        assert "tidak ada yang disimpan" in blocked.stderr
        blocked = cli(data_dir, "--lang", "en", "note", cycles[0], "tunggu", timeout_s="0.3")
        assert blocked.returncode == 1 and "Traceback" not in blocked.stderr
        assert f"pid {stuck.pid}" in blocked.stderr and cycles[0] in blocked.stderr
        assert "0.3 s" in blocked.stderr and "nothing was saved" in blocked.stderr
        stuck.stdin.write("\n")
        stuck.stdin.flush()
        out, err = stuck.communicate(timeout=60)
        assert stuck.returncode == 0 and out.startswith("ack stuck"), err
    finally:
        if stuck.poll() is None:
            stuck.kill()
            stuck.wait()
    app = open_app(data_dir)
    assert note_texts(app, cycles[0]) == ["stuck"]
    assert note_texts(app, cycles[1]) == ["lain"]
    assert temp_files(data_dir) == []


def test_the_lock_timeout_is_a_store_parameter_too(data_dir, cycles):
    assert TinyDBStore(data_dir).lock_timeout == 10.0
    store = TinyDBStore(data_dir, lock_timeout=0.05)
    with TinyDBStore(data_dir).exclusive(cycles[0]):
        with pytest.raises(StoreError, match=f"pid {os.getpid()}"):
            store.load_draft(cycles[0]) or store.save_draft(cycles[0], {})
        store.save_draft(cycles[1], {"a": 1})  # another cycle is free


def _go(procs):
    for proc in procs:
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
    for proc in procs:
        proc.stdin.write("\n")
        proc.stdin.flush()
    acked, conflicts = [], 0
    for proc in procs:
        out, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, err
        lines = out.splitlines()
        acked += [line.split()[1] for line in lines if line.startswith("ack")]
        conflicts += sum(int(line.split()[1]) for line in lines if line.startswith("done"))
    return acked, conflicts


def test_eight_writers_on_eight_cycles_have_no_conflict(data_dir, app):
    cycles = [app.start("kalipare", "2026-T3").state.cycle_id for _ in range(8)]
    procs = [
        start_writer("race", str(data_dir), c, "40", f"p{i}", stdin=True)
        for i, c in enumerate(cycles)
    ]
    acked, conflicts = _go(procs)
    assert conflicts == 0 and len(acked) == 8 * 40
    fresh = open_app(data_dir)
    for i, cycle in enumerate(cycles):
        assert note_texts(fresh, cycle) == [f"p{i}-{n}" for n in range(40)]


def test_eight_writers_on_one_cycle_never_have_to_retry_by_hand(data_dir, app, cycles):
    procs = [
        start_writer("plain", str(data_dir), cycles[0], "30", f"p{i}", stdin=True) for i in range(8)
    ]
    acked, conflicts = _go(procs)
    print(f"conflicts surfaced to the callers: {conflicts}")
    assert conflicts == 0 and len(acked) == 8 * 30
    texts = Counter(note_texts(open_app(data_dir), cycles[0]))
    assert sorted(texts) == sorted(acked) and set(texts.values()) == {1}
