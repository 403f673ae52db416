"""Working time and deadlines that mutation testing showed unchecked (docs/testing.md)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from langkah.engine.calendar import WorkingCalendar
from langkah.engine.definition import DEFAULT_HOURS, WorkingHours
from langkah.engine.period import Period
from langkah.engine.standard_time import parse_standard_time
from langkah.engine.timing import TimeStatus, time_step

WIB = ZoneInfo("Asia/Jakarta")
DEADLINE = parse_standard_time("Paling lambat tanggal 5 triwulan berikutnya")
T3 = Period.parse("2026-T3")


def wib(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=WIB)


def plain() -> WorkingCalendar:
    """A fresh calendar (its minute table not built yet) with the default hours, no holidays."""
    return WorkingCalendar("Asia/Jakarta", DEFAULT_HOURS, {})


def weekday_count(first: dt.date, last: dt.date) -> int:
    days = (first + dt.timedelta(days=n) for n in range((last - first).days + 1))
    return sum(1 for d in days if d.weekday() < 5)


# --- the calendar -----------------------------------------------------------------------------


def test_a_day_with_a_single_working_minute_is_a_working_day():
    calendar = WorkingCalendar("Asia/Jakarta", WorkingHours(sat=("08:00-08:01",)), {})
    saturday = dt.date(2026, 10, 3)
    assert calendar.is_working_day(saturday)
    assert calendar.day_minutes(saturday) == 1
    assert not calendar.is_working_day(saturday + dt.timedelta(days=1))


@pytest.mark.parametrize(
    "end",
    [wib(2028, 1, 1), wib(2028, 1, 1, 12), wib(2028, 1, 3, 8)],
    ids=["midnight", "saturday-noon", "monday-08"],
)
def test_a_span_reaching_just_past_the_years_already_counted(end):
    # the first question builds the table for 2025-2027; 1 January 2028 lies one day past it
    start = wib(2026, 12, 31)
    expected = 450 * weekday_count(dt.date(2026, 12, 31), dt.date(2027, 12, 31))
    expected += 30 if end.day == 3 else 0  # Monday 3 January 07:30-08:00
    calendar = plain()
    calendar.working_minutes(wib(2026, 10, 1), wib(2026, 10, 2))
    assert calendar.working_minutes(start, end) == expected


def test_seconds_and_microseconds_count_as_fractions_of_a_minute():
    calendar = plain()
    start = wib(2026, 10, 1, 8)
    end = start + dt.timedelta(seconds=36, microseconds=600_000)
    assert calendar.working_minutes(start, end) == pytest.approx(36.6 / 60, abs=1e-9)


# --- deadlines --------------------------------------------------------------------------------


def test_a_deadline_step_started_half_a_minute_before_it_is_near_the_limit_at_once():
    # due at the end of Monday 5 October 2026; the working day ends at 16:00
    calendar = plain()
    start = wib(2026, 10, 5, 15, 59, 30)
    now = wib(2026, 10, 5, 15, 59, 55)
    timing = time_step(DEADLINE, 1, start, None, [], calendar, DEFAULT_HOURS, T3, now)
    assert timing.due == dt.datetime(2026, 10, 5, 17, 0, tzinfo=dt.UTC)
    assert timing.fraction == pytest.approx(25 / 30)
    assert timing.status == TimeStatus.NEAR_LIMIT
    assert timing.remaining_minutes == pytest.approx(5 / 60)
