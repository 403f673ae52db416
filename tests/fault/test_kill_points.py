"""Kill `langkah repair` and `langkah verify --upgrade` at every filesystem step
(LANGKAH_FAULT_KILL_AFTER=N makes the process SIGKILL itself at its Nth step, as a power cut
would): after each kill every cycle is readable, or repairable, and nothing acknowledged is
lost; a repair run after the kill finishes the job."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys

from langkah.store.appended import read_cycle_document
from tests.fault.conftest import ROOT, open_app
from tests.test_integrity import write_schema_1

MAX_STEPS = 60  # more than either command takes on the store below


def run(data_dir, *args: str, kill_after: int = 0) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT), LANGKAH_FAULT_KILL_AFTER=str(kill_after))
    return subprocess.run(
        [sys.executable, "-m", "langkah.cli.main", "--data-dir", str(data_dir), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def all_events(data_dir) -> dict[str, list[str]]:
    app = open_app(data_dir)
    return {c: [e.id for e in app.events(c)] for c in app.cycle_ids()}


def prepare(tmp_path, app, cycles, data_dir):
    for i in range(5):
        app.note(cycles[0], f"catatan {i}")
        app.note(cycles[1], f"catatan {i}")
    third = app.start("mentebah", "2026-T3").state.cycle_id
    acknowledged = all_events(data_dir)
    write_schema_1(data_dir / "cycles" / f"{cycles[1]}.json")  # an old file: to upgrade
    damaged = data_dir / "cycles" / f"{third}.json"
    doc = read_cycle_document(damaged)
    doc["cycle"]["1"]["version"] = 7  # a header that disagrees with its log: repair's work
    damaged.write_text(json.dumps(doc))
    pristine = tmp_path / "pristine"
    shutil.copytree(data_dir, pristine)
    return pristine, acknowledged


def check_after(data_dir, acknowledged) -> None:
    """Every cycle reads after a plain repair, with every acknowledged event."""
    finish = run(data_dir, "repair")
    assert finish.returncode == 0, finish.stdout + finish.stderr
    assert all_events(data_dir) == acknowledged
    again = {p.name: p.read_bytes() for p in (data_dir / "cycles").iterdir()}
    assert run(data_dir, "repair").returncode == 0
    assert {p.name: p.read_bytes() for p in (data_dir / "cycles").iterdir()} == again
    assert run(data_dir, "verify").returncode == 0


def kill_everywhere(tmp_path, app, cycles, data_dir, *command: str) -> int:
    pristine, acknowledged = prepare(tmp_path, app, cycles, data_dir)
    kills = 0
    for step in range(1, MAX_STEPS + 1):
        shutil.rmtree(data_dir)
        shutil.copytree(pristine, data_dir)
        result = run(data_dir, *command, kill_after=step)
        if result.returncode != -signal.SIGKILL:
            assert result.returncode in (0, 1), result.stderr
            assert "Traceback" not in result.stderr
            break
        kills += 1
        app_now = open_app(data_dir)
        for cycle_id in app_now.cycle_ids():  # readable, or named as repairable
            problem = app_now.store.check(cycle_id)
            assert problem is None or "langkah repair" in str(problem), problem
        check_after(data_dir, acknowledged)
    else:
        raise AssertionError(f"{command} took more than {MAX_STEPS} steps")
    return kills


def test_killing_repair_at_every_step_loses_nothing(tmp_path, app, cycles, data_dir):
    assert kill_everywhere(tmp_path, app, cycles, data_dir, "repair") >= 5


def test_killing_the_upgrade_at_every_step_loses_nothing(tmp_path, app, cycles, data_dir):
    assert kill_everywhere(tmp_path, app, cycles, data_dir, "verify", "--upgrade") >= 3
