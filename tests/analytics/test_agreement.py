"""The analytics' on-time share is the Word report's "Persentase langkah tepat waktu"."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from bench import synth
from langkah.analytics import Verdict, compute, cycle_facts
from langkah.catalog import Catalog
from langkah.engine.holidays_id import calendar_for
from langkah.report.figures import figures
from langkah.views import CycleView
from tests.analytics.support import EXAMPLE_NOW, example_logs


def _view(loaded, state, now) -> CycleView:
    return CycleView(state, loaded, calendar_for(loaded.definition.calendar), now)


def _agree(view: CycleView) -> None:
    facts = cycle_facts(view.state, view.definition, view.calendar, view.now)
    report = figures(view)
    on_time = sum(1 for v in facts.visits if v.verdict == Verdict.ON_TIME)
    late = sum(1 for v in facts.visits if v.verdict == Verdict.LATE)
    pending = sum(1 for v in facts.visits if v.verdict == Verdict.PENDING)
    assert (on_time + late, on_time, late, pending) == (
        report.counted,
        report.on_time,
        len(report.late),
        report.pending,
    ), view.state.cycle_id
    group = compute([facts]).groups[0]
    assert group.on_time_pct == report.percent  # the same number, None when nothing counted
    delays = sorted(v.delay_minutes for v in facts.visits if v.verdict == Verdict.LATE)
    assert delays == pytest.approx(sorted(item.overdue_minutes for item in report.late))


def test_the_worked_example_agrees_with_the_report():
    for log in example_logs():
        _agree(_view(log.loaded, log.state, EXAMPLE_NOW))


def test_synthetic_cycles_of_every_kind_agree_with_the_report():
    rng = random.Random(16)
    catalog = Catalog.load(None)
    kinds = ("finished", "active", "paused", "cancelled")
    seen = set()
    for i in range(120):
        loaded = list(catalog.definitions.values())[i % 3]
        driver = synth.synthetic_cycle(loaded, f"c{i}", rng, kinds[i % 4])
        for now in (synth.NOW, synth.NOW + dt.timedelta(days=40)):
            view = _view(loaded, driver.state, now)
            _agree(view)
            seen.add(view.state.status)
    assert len(seen) == 4  # finished, active, paused and cancelled cycles were all compared
