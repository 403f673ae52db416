"""Working time and deadlines that mutation testing showed unchecked (docs/testing.md)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from langkah.engine.calendar import WorkingCalendar
from langkah.engine.definition import DEFAULT_HOURS, WorkingHours
from langkah.engine.period import Period
from langkah.engine.standard_time import parse_standard_time
from langkah.engine.timing import TimeStatus, minutes_per_day, standard_minutes, time_step

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


def test_adding_working_time_past_the_years_already_counted():
    calendar = plain()
    calendar.working_minutes(wib(2026, 10, 1), wib(2026, 10, 2))  # table: 2025-2027
    # Friday 31 December 2027 08:00 + three working days of 450 minutes:
    # 420 that Friday, 450 on Monday 3 and Tuesday 4 January, 30 on Wednesday 5 January
    due = calendar.add_working_minutes(wib(2027, 12, 31, 8), 3 * 450)
    assert due == wib(2028, 1, 5, 8).astimezone(dt.UTC)


def _all_days_off(first: dt.date, last: dt.date) -> dict[dt.date, str]:
    days = (first + dt.timedelta(days=n) for n in range((last - first).days + 1))
    return {d: "libur" for d in days}


def test_the_search_for_working_time_looks_fifty_two_years_ahead_then_gives_up():
    start = wib(2026, 1, 1, 8)
    open_2079 = WorkingCalendar(
        "Asia/Jakarta", DEFAULT_HOURS, _all_days_off(dt.date(2026, 1, 1), dt.date(2078, 12, 31))
    )
    # 1 January 2079 is a Sunday: the first working minute ends at 07:31 on Monday 2 January
    assert open_2079.add_working_minutes(start, 1) == wib(2079, 1, 2, 7, 31).astimezone(dt.UTC)
    closed = WorkingCalendar(
        "Asia/Jakarta", DEFAULT_HOURS, _all_days_off(dt.date(2026, 1, 1), dt.date(2079, 12, 31))
    )
    with pytest.raises(ValueError, match="no working time found in the next 50 years"):
        closed.add_working_minutes(start, 1)


@pytest.mark.parametrize("day", [1, 28])
def test_a_deadline_may_fall_on_any_day_from_the_first_to_the_twenty_eighth(day):
    standard = parse_standard_time(f"paling lambat tanggal {day} triwulan berikutnya")
    assert standard.deadline_day == day
    assert T3.deadline(standard.deadline_day, standard.deadline_unit) == dt.date(2026, 10, day)


@pytest.mark.parametrize("day", [0, 29])
def test_a_deadline_day_outside_one_to_twenty_eight_is_refused(day):
    with pytest.raises(ValueError, match=f"tanggal {day} must be from 1 to 28"):
        parse_standard_time(f"paling lambat tanggal {day} triwulan berikutnya")


def test_a_year_is_a_single_period():
    assert str(Period("tahun", 2026)) == "2026"
    with pytest.raises(ValueError, match="from 1 to 1"):
        Period("tahun", 2026, 2)


def test_at_the_deadline_itself_nothing_remains_and_nothing_is_late():
    calendar = plain()
    due = wib(2026, 10, 6)  # the end of Monday 5 October
    timing = time_step(DEADLINE, 1, wib(2026, 10, 5, 8), None, [], calendar, DEFAULT_HOURS, T3, due)
    assert timing.due == due.astimezone(dt.UTC)
    assert timing.remaining_minutes == 0
    assert timing.overdue_minutes == 0
    assert timing.status == TimeStatus.NEAR_LIMIT


def test_a_holiday_counts_nothing_even_from_the_middle_of_its_day():
    monday = dt.date(2026, 10, 5)
    calendar = WorkingCalendar("Asia/Jakarta", DEFAULT_HOURS, {monday: "libur"})
    # only Tuesday 07:30-10:00 counts
    assert calendar.working_minutes(wib(2026, 10, 5, 10), wib(2026, 10, 6, 10)) == 150


@pytest.mark.parametrize(("year", "valid"), [(1, True), (9999, True), (0, False), (10000, False)])
def test_a_period_year_runs_from_1_to_9999(year, valid):
    if valid:
        assert Period("tahun", year).year == year
    else:
        with pytest.raises(ValueError, match="out of range"):
            Period("tahun", year)


def test_a_deadline_step_started_after_its_deadline_is_late_from_the_start():
    calendar = plain()
    start = wib(2026, 10, 6, 8)  # the deadline ended at midnight
    now = wib(2026, 10, 6, 10)
    timing = time_step(DEADLINE, 1, start, None, [], calendar, DEFAULT_HOURS, T3, now)
    assert timing.status == TimeStatus.OVERDUE
    assert timing.overdue_minutes == 150  # counted from the deadline: 07:30-10:00
    assert timing.remaining_minutes is None
    assert timing.fraction == pytest.approx(1.0)
    assert timing.fraction > 1.0


def test_a_duration_step_in_time_is_not_late_by_any_amount():
    standard = parse_standard_time("60 menit")
    start = wib(2026, 10, 1, 8)
    timing = time_step(
        standard, 1, start, None, [], plain(), DEFAULT_HOURS, T3, start + dt.timedelta(minutes=20)
    )
    assert timing.overdue_minutes == 0
    assert timing.remaining_minutes == 40
    assert timing.due == wib(2026, 10, 1, 9).astimezone(dt.UTC)
    assert timing.status == TimeStatus.ON_TIME


def test_a_deadline_day_missing_from_its_month_names_that_month():
    with pytest.raises(ValueError, match=r"day 32 does not exist in 2027-01$"):
        Period.parse("2026-T4").deadline(32, "bulan")
    with pytest.raises(ValueError, match=r"day 31 does not exist in 2026-04$"):
        Period.parse("2026-T1").deadline(31, "bulan")


@pytest.mark.parametrize(("kind", "index"), [("triwulan", 0), ("semester", 0), ("semester", 3)])
def test_a_period_index_outside_its_year_is_refused(kind, index):
    with pytest.raises(ValueError, match=f"a {kind} index must be from 1 to"):
        Period(kind, 2026, index)


def test_working_days_count_nothing_under_hours_with_no_working_day():
    no_hours = WorkingHours()
    assert minutes_per_day(no_hours) == 0
    assert standard_minutes(parse_standard_time("2 hari"), no_hours) == 0
    assert standard_minutes(parse_standard_time("2 hari"), DEFAULT_HOURS) == 900


class _NoOffset(dt.tzinfo):
    """A time zone object that does not know its offset (what `datetime` calls naive too)."""

    def utcoffset(self, when):
        return None

    def dst(self, when):
        return None


def test_an_instant_whose_zone_has_no_offset_is_refused():
    broken = dt.datetime(2026, 10, 1, 8, tzinfo=_NoOffset())
    with pytest.raises(ValueError, match="has no time zone"):
        plain().working_minutes(broken, wib(2026, 10, 1, 9))
    with pytest.raises(ValueError, match="has no time zone"):
        plain().working_minutes(dt.datetime(2026, 10, 1, 8), wib(2026, 10, 1, 9))


def test_a_step_just_started_has_used_no_time():
    standard = parse_standard_time("60 menit")
    start = wib(2026, 10, 1, 8)
    timing = time_step(standard, 1, start, None, [], plain(), DEFAULT_HOURS, T3, start)
    assert timing.elapsed_minutes == 0
    assert timing.fraction == 0
    assert timing.remaining_minutes == 60


def test_the_next_working_start_after_the_last_minute_of_the_years_counted():
    calendar = plain()
    calendar.working_minutes(wib(2026, 10, 1), wib(2026, 10, 2))  # table: 2025-2027
    # Friday 31 December 2027 after work: the next start is Monday 3 January 2028, 07:30
    assert calendar.next_working_start(wib(2027, 12, 31, 17)) == wib(2028, 1, 3, 7, 30).astimezone(
        dt.UTC
    )


def test_a_deadline_step_started_after_the_last_working_minute_has_used_nothing():
    calendar = plain()
    start = wib(2026, 10, 5, 17)  # after work on the deadline day; due at midnight
    timing = time_step(
        DEADLINE, 1, start, None, [], calendar, DEFAULT_HOURS, T3, wib(2026, 10, 5, 20)
    )
    assert timing.fraction == 0
    assert timing.status == TimeStatus.ON_TIME
    assert timing.remaining_minutes == 0


def test_a_standard_without_a_deadline_has_no_deadline_day():
    assert parse_standard_time("15 menit").model_dump() == {
        "text": "15 menit",
        "kind": "duration",
        "minutes": 15,
        "days": 0,
        "deadline_day": 0,
        "deadline_unit": None,
        "weeks": 0,
    }


def test_a_period_field_is_read_from_text_only():
    from pydantic import BaseModel, ValidationError

    class Row(BaseModel):
        period: Period

    assert Row(period="2026-T3").period == T3
    assert Row(period=2026).period == Period("tahun", 2026)
    for wrong in (True, 2026.0):
        with pytest.raises(ValidationError, match="a period must be text"):
            Row(period=wrong)


def test_a_duration_step_exactly_at_its_limit_is_near_it_not_late():
    standard = parse_standard_time("60 menit")
    start = wib(2026, 10, 1, 8)
    timing = time_step(
        standard, 1, start, None, [], plain(), DEFAULT_HOURS, T3, start + dt.timedelta(hours=1)
    )
    assert timing.remaining_minutes == 0
    assert timing.overdue_minutes == 0
    assert timing.due == wib(2026, 10, 1, 9).astimezone(dt.UTC)
    assert timing.status == TimeStatus.NEAR_LIMIT
