"""Steps against their standards in working time: durations, working days, deadlines, pauses."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from langkah.engine import actions
from langkah.engine.cycle import apply, replay
from langkah.engine.definition import DEFAULT_HOURS
from langkah.engine.holidays_id import calendar_for
from langkah.engine.period import Period
from langkah.engine.timing import TimeStatus, minutes_per_day, time_cycle, time_visit
from tests.engine_support import bundled

WIB = dt.timezone(dt.timedelta(hours=7))


def at(day: int, hour: int, minute: int = 0, month: int = 10) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=WIB)


def _timing(loaded, log, now):
    d = loaded.definition
    state = replay(d, log)
    cal = calendar_for(d.calendar)
    return time_visit(state.visits[-1], d, cal, Period.parse(state.period), now)


def test_a_working_day_is_the_average_day_of_the_schedule():
    assert minutes_per_day(DEFAULT_HOURS) == 450


def test_minutes_count_in_working_time_across_the_lunch_break():
    loaded = bundled()  # step 1: 5 menit
    log = [
        actions.start(loaded, "c", Period.parse("2026-T3"), {}, at(1, 11, 58), "", event_id="e1")
    ]
    t = _timing(loaded, log, at(1, 13, 1))
    assert t.elapsed_minutes == pytest.approx(3)  # 11.58-12.00 and 13.00-13.01
    assert t.wall_minutes == pytest.approx(63)
    assert t.status == TimeStatus.ON_TIME
    assert t.due == at(1, 13, 3).astimezone(dt.UTC)
    t = _timing(loaded, log, at(1, 13, 2))
    assert t.elapsed_minutes == pytest.approx(4)
    assert t.status == TimeStatus.NEAR_LIMIT
    t = _timing(loaded, log, at(1, 14, 0))
    assert t.status == TimeStatus.OVERDUE
    assert t.overdue_minutes == pytest.approx(57)


def test_near_the_limit_after_eighty_percent():
    loaded = bundled()  # step 1: 5 menit
    log = [actions.start(loaded, "c", Period.parse("2026-T3"), {}, at(1, 9, 0), "", event_id="e1")]
    assert _timing(loaded, log, at(1, 9, 3)).status == TimeStatus.ON_TIME
    assert _timing(loaded, log, at(1, 9, 4)).status == TimeStatus.NEAR_LIMIT
    assert _timing(loaded, log, at(1, 9, 5)).status == TimeStatus.NEAR_LIMIT
    assert _timing(loaded, log, at(1, 9, 6)).status == TimeStatus.OVERDUE


def test_paused_time_does_not_count_against_a_duration():
    loaded = bundled()
    d = loaded.definition
    log = [actions.start(loaded, "c", Period.parse("2026-T3"), {}, at(1, 9, 0), "", event_id="e1")]
    state = replay(d, log)
    for event_factory, when in (
        (
            lambda s, now: actions.pause(
                s, d, "tunggu nota dinas", now, "", event_id=f"e{s.version + 1}"
            ),
            at(1, 9, 2),
        ),
        (
            lambda s, now: actions.resume(s, d, "ada", now, "", event_id=f"e{s.version + 1}"),
            at(1, 10, 2),
        ),
    ):
        event = event_factory(state, when)
        log.append(event)
        state = apply(d, state, event)
    t = _timing(loaded, log, at(1, 10, 4))
    assert t.elapsed_minutes == pytest.approx(4)
    assert t.paused_minutes == pytest.approx(60)
    assert t.status == TimeStatus.NEAR_LIMIT


def test_a_working_day_standard_spans_a_national_holiday():
    loaded = bundled()
    d = loaded.definition
    cal = calendar_for(d.calendar)
    # step 4 ("1 hari") entered Friday 14 August 2026 at 15.00; Monday 17 August is a holiday
    log = [
        actions.start(
            loaded, "c", Period.parse("2026-T3"), {}, at(14, 15, month=8), "", event_id="e1"
        )
    ]
    state = replay(d, log)
    visit = state.visits[-1].model_copy(update={"step": 4})
    t = time_visit(visit, d, cal, Period.parse("2026-T3"), at(18, 8, month=8))
    assert t.elapsed_minutes == pytest.approx(90 + 30)  # Fri 15.00-16.30, Tue 07.30-08.00
    assert t.status == TimeStatus.ON_TIME
    # 330 more working minutes: 08.00-12.00, then 13.00-14.30
    assert t.due == at(18, 14, 30, month=8).astimezone(dt.UTC)


def test_a_deadline_in_the_next_quarter():
    loaded = bundled("mentebah/pengukuran-kinerja")
    d = loaded.definition
    cal = calendar_for(d.calendar)
    log = [actions.start(loaded, "c", Period.parse("2026-T3"), {}, at(1, 8), "", event_id="e1")]
    state = replay(d, log)
    step2 = next(s for s in d.steps if s.standard.kind == "deadline")
    visit = state.visits[-1].model_copy(update={"step": step2.number})
    before = time_visit(visit, d, cal, Period.parse("2026-T3"), at(2, 9))
    # "paling lambat tanggal 5 triwulan berikutnya" for Triwulan III: 5 October 2026, end of day
    assert before.due == dt.datetime(2026, 10, 6, tzinfo=ZoneInfo("Asia/Pontianak"))
    assert before.status in (TimeStatus.ON_TIME, TimeStatus.NEAR_LIMIT)
    after = time_visit(visit, d, cal, Period.parse("2026-T3"), at(6, 9))
    assert after.status == TimeStatus.OVERDUE
    assert after.overdue_minutes == pytest.approx(90)  # Tue 6 Oct 07.30-09.00


def test_the_cycle_total_is_measured_against_the_sum_of_standards():
    loaded = bundled()
    d = loaded.definition
    log = [actions.start(loaded, "c", Period.parse("2026-T3"), {}, at(1, 8), "", event_id="e1")]
    state = replay(d, log)
    timing = time_cycle(state, d, calendar_for(d.calendar), at(1, 8, 30))
    # 5+60+120+3 hari+120+60+120+30 menit; step 11 has no standard
    assert timing.standard_minutes == 5 + 60 + 120 + 3 * 450 + 120 + 60 + 120 + 30
    assert timing.elapsed_minutes == pytest.approx(30)
    assert timing.current is not None and timing.current.step == 1
