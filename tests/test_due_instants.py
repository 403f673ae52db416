"""The instants the overview sorts and filters by (engine.timing.due_instants) agree with what
`time_step` says at any later moment: overdue exactly after `due_at`, near the limit from
`near_at` (the store compares instants; the views compute minutes: both must tell the same)."""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

import pytest

from langkah.engine.calendar import WorkingCalendar
from langkah.engine.definition import DEFAULT_HOURS
from langkah.engine.period import Period
from langkah.engine.standard_time import parse_standard_time
from langkah.engine.timing import TimeStatus, due_instants, time_step, urgency_rank

WIB = ZoneInfo("Asia/Jakarta")
CALENDAR = WorkingCalendar("Asia/Jakarta", DEFAULT_HOURS, {dt.date(2026, 10, 20): "libur"})
T3 = Period.parse("2026-T3")
STANDARDS = [
    "15 menit",
    "90 menit",
    "1 jam",
    "2 hari",
    "1 minggu",
    "1 menit",
    "Paling lambat tanggal 5 triwulan berikutnya",
    "",
]
RANK = {TimeStatus.OVERDUE: 0, TimeStatus.NEAR_LIMIT: 1, TimeStatus.ON_TIME: 2}


def minute(rng: random.Random, start: dt.datetime, span_days: int) -> dt.datetime:
    return start + dt.timedelta(minutes=rng.randint(0, span_days * 24 * 60))


def case(rng: random.Random):
    standard = parse_standard_time(rng.choice(STANDARDS))
    started = minute(rng, dt.datetime(2026, 9, 28, tzinfo=WIB), 10).astimezone(dt.UTC)
    pauses: list[tuple[dt.datetime, dt.datetime | None]] = []
    at = started
    for _ in range(rng.randint(0, 3)):
        begin = at + dt.timedelta(minutes=rng.randint(1, 3000))
        end = begin + dt.timedelta(minutes=rng.randint(1, 3000))
        pauses.append((begin, end))
        at = end
    if rng.random() < 0.3:  # paused now
        pauses.append((at + dt.timedelta(minutes=rng.randint(1, 3000)), None))
    return standard, started, pauses


@pytest.mark.parametrize("seed", range(6))
def test_the_rank_from_the_instants_is_the_status_time_step_finds(seed):
    rng = random.Random(seed)
    checked = 0
    for _ in range(150):
        standard, started, pauses = case(rng)
        near, due = due_instants(standard, started, pauses, CALENDAR, DEFAULT_HOURS, T3)
        last_event = max([started, *(p for pair in pauses for p in pair if p is not None)])
        for _ in range(6):
            now = last_event + dt.timedelta(minutes=rng.randint(0, 40000), seconds=30)
            if any(t is not None and abs(t - now) < dt.timedelta(minutes=2) for t in (near, due)):
                continue  # at the very boundary the minutes round either way
            timing = time_step(standard, 1, started, None, pauses, CALENDAR, DEFAULT_HOURS, T3, now)
            timed = timing.status != TimeStatus.NO_STANDARD
            expected = RANK.get(timing.status, 3)
            assert urgency_rank(True, timed, near, due, now) == expected, (
                standard.text,
                started,
                pauses,
                now,
                near,
                due,
                timing.status,
            )
            checked += 1
    assert checked > 500


def test_a_step_reached_and_paused_within_its_standard_never_becomes_overdue():
    standard = parse_standard_time("60 menit")
    started = dt.datetime(2026, 10, 1, 1, 0, tzinfo=dt.UTC)  # 08.00 WIB, a Thursday
    pause = [(started + dt.timedelta(minutes=50), None)]
    near, due = due_instants(standard, started, pause, CALENDAR, DEFAULT_HOURS, T3)
    assert due is None
    assert near == started + dt.timedelta(minutes=48)  # 80 % of 60 minutes, before the pause


def test_overdue_begins_after_the_next_working_minute_not_at_the_close_of_day():
    standard = parse_standard_time("60 menit")
    started = dt.datetime(2026, 10, 2, 8, 30, tzinfo=dt.UTC)  # Friday 15.30 WIB; work ends 16.30
    near, due = due_instants(standard, started, [], CALENDAR, DEFAULT_HOURS, T3)
    monday = dt.datetime(2026, 10, 5, 7, 30, tzinfo=WIB)  # the next working minute
    assert due == monday.astimezone(dt.UTC)
    saturday = dt.datetime(2026, 10, 3, 10, 0, tzinfo=WIB)
    timing = time_step(standard, 1, started, None, [], CALENDAR, DEFAULT_HOURS, T3, saturday)
    assert timing.status == TimeStatus.NEAR_LIMIT  # used up, not past: not yet overdue
    assert urgency_rank(True, True, near, due, saturday.astimezone(dt.UTC)) == 1
