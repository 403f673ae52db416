"""The overview (`langkah status`, the TUI's first screen): fresh, exact, and filtered right."""

from __future__ import annotations

import json

import pytest

from langkah.cli.main import main
from langkah.engine.timing import TimeStatus
from langkah.service import Langkah
from tests.engine_support import StepClock


def open_app(root, clock) -> Langkah:
    return Langkah.open(root / "data", root / "defs", clock=clock)


def complete_step_1(app: Langkah, cycle_id: str) -> None:
    view = app.open_cycle(cycle_id)
    app.record_inputs(cycle_id, {spec.id: "ya" for spec in view.current_step.inputs})
    app.complete(cycle_id)


@pytest.mark.parametrize("cycles", [1, 20])  # 20: past the slack, the cache file is written too
def test_the_overview_sees_a_step_completed_by_another_process(tmp_path, cycles):
    clock = StepClock()
    watcher = open_app(tmp_path, clock)
    ids = [watcher.start("kalipare", "2026-T3").state.cycle_id for _ in range(cycles)]
    assert {r.current_step for r in watcher.overview().rows} == {1}  # now remembered
    other = open_app(tmp_path, clock)  # another process
    clock.advance(minutes=5)
    complete_step_1(other, ids[0])
    rows = {r.cycle_id: r for r in watcher.overview().rows}
    assert rows[ids[0]].current_step == 2
    # and a process that starts now (reading the summary cache file) sees it too
    rows = {r.cycle_id: r for r in open_app(tmp_path, clock).overview().rows}
    assert rows[ids[0]].current_step == 2


def test_the_overview_does_not_count_paused_time(tmp_path):
    clock = StepClock()
    app = open_app(tmp_path, clock)
    cycle_id = app.start("kalipare", "2026-T3").state.cycle_id  # step 1: 15 minutes
    clock.advance(minutes=5)
    app.pause(cycle_id, "menunggu data seksi")
    clock.advance(minutes=60)
    (row,) = open_app(tmp_path, clock).overview().rows  # still paused: the clock stands still
    assert row.timing.elapsed_minutes == pytest.approx(5)
    app.resume(cycle_id, "data sudah masuk")
    clock.advance(minutes=5)
    (row,) = open_app(tmp_path, clock).overview().rows
    view = app.open_cycle(cycle_id)
    assert row.timing.elapsed_minutes == pytest.approx(10)
    assert row.timing.elapsed_minutes == pytest.approx(view.current_timing.elapsed_minutes)
    assert row.timing.status == view.current_timing.status == TimeStatus.ON_TIME


def test_only_overdue_cycles_pass_the_overdue_filter(tmp_path, monkeypatch, capsys):
    clock = StepClock()
    app = open_app(tmp_path, clock)
    late = app.start("kalipare", "2026-T3").state.cycle_id  # step 1: 15 minutes
    clock.advance(minutes=3)
    near = app.start("kalipare", "2026-T3").state.cycle_id
    clock.advance(minutes=9)
    fine = app.start("kalipare", "2026-T3").state.cycle_id
    clock.advance(minutes=4)  # late: 16 of 15 minutes, near: 13 (87 %), fine: 4
    statuses = {r.cycle_id: r.timing.status for r in app.overview().rows}
    assert statuses == {
        late: TimeStatus.OVERDUE,
        near: TimeStatus.NEAR_LIMIT,
        fine: TimeStatus.ON_TIME,
    }
    assert [r.cycle_id for r in app.overview().rows if r.is_overdue] == [late]
    monkeypatch.setenv("LANGKAH_NOW", clock.now.isoformat())
    capsys.readouterr()
    assert main(["--data-dir", str(tmp_path / "data"), "status", "--overdue", "--json"]) == 0
    assert [row["cycle_id"] for row in json.loads(capsys.readouterr().out)] == [late]
    assert main(["--data-dir", str(tmp_path / "data"), "status", "--overdue"]) == 0
    text = capsys.readouterr().out
    assert late in text and near not in text and fine not in text


def test_each_row_has_its_definitions_working_day(tmp_path):
    """The working day (to show durations in days) is worked out once per definition and step
    (memoized with the step's facts): each row still has its own definition's."""
    from langkah.engine.timing import minutes_per_day

    clock = StepClock()
    app = open_app(tmp_path, clock)
    sops = ("kalipare", "dawarblandong", "mentebah", "kalipare")
    ids = [app.start(sop, "2026-T3").state.cycle_id for sop in sops]
    clock.advance(minutes=5)
    complete_step_1(app, ids[0])
    rows = open_app(tmp_path, clock).overview().rows
    assert len(rows) == 4
    for row in rows:
        hours = app.open_cycle(row.cycle_id).definition.calendar.working_hours
        assert row.day_minutes == minutes_per_day(hours) > 0
