"""Fault injection on the PostgreSQL store: writers killed at random moments and inside their
transaction, the server crashed and restarted under a writer. Nothing acknowledged is lost or
doubled; a half-done transaction is never seen; the writer gets one clear line, never a
traceback, and carries on once the server is back."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter

import psycopg
import pytest

from tests.fault.conftest import ROOT, note_texts, open_app, start_writer
from tests.fault.test_kill import Lines, kill_when_acknowledged, wait_until

pytestmark = pytest.mark.needs_postgresql
ROUNDS = 6  # of three writers each


@pytest.fixture
def pg_store(pg_url, monkeypatch):
    """LANGKAH_STORE names the test's schema: this process and its writers use PostgreSQL."""
    monkeypatch.setenv("LANGKAH_STORE", pg_url)
    return pg_url


def start_pg_writer(mode: str, data_dir, cycle: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.fault.pg_writer", mode, str(data_dir), cycle],
        cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def exactly_once(app, cycles: list[str], acked: list[str]) -> None:
    counts = Counter(t for c in cycles for t in note_texts(app, c))
    missing = [t for t in acked if counts[t] != 1]
    assert not missing, f"acknowledged but missing or duplicated: {missing[:5]}"
    assert all(n == 1 for n in counts.values()), "a note was written twice"
    for cycle_id in cycles:
        events = app.events(cycle_id)
        assert [e.seq for e in events] == list(range(1, len(events) + 1))
        assert app.verify(cycle_id).problems == []


def test_writers_killed_at_random_moments_lose_no_acknowledged_action(data_dir, pg_store):
    app = open_app(data_dir)
    cycles = [app.start(sop, "2026-T3").state.cycle_id for sop in ("dawarblandong", "kalipare")]
    rng = random.Random(20261130)
    acked: list[str] = []
    for _ in range(ROUNDS):
        writers = [
            start_writer("kill", str(data_dir), cycles[0]),
            start_writer("kill", str(data_dir), cycles[0]),
            start_writer("kill", str(data_dir), *cycles),
        ]
        readers = [Lines(proc) for proc in writers]
        wait_until(readers, lambda r: "ready" in r.lines)
        assert all("ready" in r.lines for r in readers), [r.proc.stderr.read() for r in readers]
        for reader in readers:
            reader.wanted = rng.randint(1, 4)
        wait_until(readers, kill_when_acknowledged)
        for reader in readers:
            assert reader.acks(), f"no acknowledgement in 60 s: {reader.lines}"
            reader.proc.send_signal(signal.SIGKILL)
            reader.proc.wait(30)
            reader.drain()
            acked += reader.acks()
            reader.proc.stdout.close()
            reader.proc.stderr.close()
        exactly_once(open_app(data_dir), cycles, acked)
    assert len(acked) >= ROUNDS * 3


def test_a_writer_killed_inside_its_transaction_leaves_nothing_half_done(data_dir, pg_store):
    app = open_app(data_dir)
    cycle = app.start("kalipare", "2026-T3").state.cycle_id
    app.note(cycle, "sebelum")
    proc = start_pg_writer("stuck", data_dir, cycle)
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "stuck", proc.stderr.read()
        # its event row is inserted but not committed: no other connection sees it
        with psycopg.connect(pg_store, autocommit=True) as conn:
            rows = conn.execute(
                "SELECT count(*) FROM events WHERE cycle_id = %s", [cycle]
            ).fetchone()
        assert rows == (2,)
        assert open_app(data_dir).open_cycle(cycle).version == 2
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
    # the server rolled it back and let go of the cycle: the next action goes straight in
    started = time.monotonic()
    after = open_app(data_dir).note(cycle, "sesudah")
    assert time.monotonic() - started < 5
    assert after.version == 3
    assert note_texts(open_app(data_dir), cycle) == ["sebelum", "sesudah"]


def test_a_server_crash_and_restart_loses_nothing_acknowledged(
    data_dir, private_server, monkeypatch
):
    monkeypatch.setenv("LANGKAH_STORE", private_server.url)
    app = open_app(data_dir)
    cycle = app.start("kalipare", "2026-T3").state.cycle_id
    proc = start_pg_writer("steady", data_dir, cycle)
    reader = Lines(proc)
    try:
        wait_until([reader], lambda r: len(r.acks()) >= 20)
        before = len(reader.acks())
        assert before >= 20, (reader.lines, proc.stderr.read() if proc.poll() else "")
        private_server.restart()
        wait_until([reader], lambda r: len(r.acks()) >= before + 20, timeout=90)
        assert len(reader.acks()) >= before + 20, reader.lines[-5:]
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        reader.drain()
        errors = proc.stderr.read()
        proc.stdout.close()
        proc.stderr.close()
    assert errors == "", errors  # no traceback, nothing else on stderr
    for line in (line for line in reader.lines if line.startswith("error ")):
        assert "PostgreSQL postgresql:///postgres" in line or "[socket" in line, line
    exactly_once(open_app(data_dir), [cycle], reader.acks())


def test_a_stopped_server_is_one_clear_message_and_the_app_carries_on_once_it_is_back(
    data_dir, private_server, monkeypatch
):
    from langkah.store import StoreError

    monkeypatch.setenv("LANGKAH_STORE", private_server.url)
    monkeypatch.setenv("LANGKAH_LOCK_TIMEOUT", "2")  # also how long to wait for a connection
    app = open_app(data_dir)
    cycle = app.start("kalipare", "2026-T3").state.cycle_id
    private_server._ctl("-m", "immediate", "stop")
    started = time.monotonic()
    with pytest.raises(StoreError) as down:
        app.note(cycle, "hilang?")
    assert time.monotonic() - started < 15
    message = str(down.value)
    assert message.startswith("PostgreSQL postgresql://postgres@[socket ") and "\n" not in message
    assert "No such file or directory" in message or "connect" in message, message
    private_server.start()
    assert app.note(cycle, "kembali").version == 2  # the same app object, reconnected
    assert note_texts(open_app(data_dir), cycle) == ["kembali"]
