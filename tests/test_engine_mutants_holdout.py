"""Engine behaviour found unchecked by the post-merge hold-out mutation sample (docs/testing.md)."""

from __future__ import annotations

import datetime as dt

from langkah.engine import actions
from langkah.engine.calendar import WorkingCalendar
from langkah.engine.definition import DEFAULT_HOURS
from langkah.engine.timing import TimeStatus, time_cycle
from tests.test_engine_actions import D, Run

WIB = dt.timezone(dt.timedelta(hours=7))
PLAIN = WorkingCalendar("Asia/Jakarta", DEFAULT_HOURS, {})


def test_the_cycle_counts_one_overdue_step_among_steps_on_time():
    run = Run()  # step 1's standard is 5 minutes, step 2's 60
    for _ in range(2):  # steps 1 and 2 in two minutes each: on time
        run.fill()
        run.do(actions.complete, minutes=1)
    run.fill()
    run.do(actions.complete, minutes=60 * 24 * 14)  # step 3 two weeks later: overdue
    timing = time_cycle(run.state, D, PLAIN, run.now)
    statuses = [t.status for t in timing.visits if not t.running]
    assert statuses.count(TimeStatus.OVERDUE) == 1 and len(statuses) == 3
    assert (timing.on_time, timing.overdue) == (2, 1)


def test_adding_no_working_time_outside_working_hours_stays_at_the_same_instant():
    evening = dt.datetime(2026, 11, 20, 20, 0, tzinfo=WIB)  # a Friday, after hours
    sunday = dt.datetime(2026, 11, 22, 10, 0, tzinfo=WIB)
    for start in (evening, sunday):
        assert PLAIN.add_working_minutes(start, 0) == start
    assert PLAIN.add_working_minutes(evening, 1) > evening + dt.timedelta(hours=12)


def test_a_calendar_names_its_time_zone():
    assert PLAIN.timezone == "Asia/Jakarta"
    assert WorkingCalendar("Asia/Makassar", DEFAULT_HOURS, {}).timezone == "Asia/Makassar"
