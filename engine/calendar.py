"""Working time in one kecamatan: its time zone, its working hours and its days off.

Pure computation (no files, no clock). Instants are timezone-aware datetimes; instants returned
are in UTC. Working time is counted in minutes (fractions for seconds) from a table of cumulative
working minutes per date, so a span of a year costs the same as a span of an hour.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections.abc import Mapping
from itertools import accumulate
from zoneinfo import ZoneInfo

from langkah.engine.definition import WorkingHours

UTC = dt.UTC
_MAX_SEARCH_YEARS = 50  # add_working_minutes gives up rather than extend the table for ever


def _aware(instant: dt.datetime) -> dt.datetime:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"{instant} has no time zone; pass an aware datetime (UTC is fine)")
    return instant


class WorkingCalendar:
    """Working hours of one time zone minus holidays; counts and adds working minutes."""

    def __init__(self, timezone: str, hours: WorkingHours, holidays: Mapping[dt.date, str]):
        self.timezone = timezone
        self.zone = ZoneInfo(timezone)
        self.hours = hours
        self._holidays: dict[dt.date, str] = {
            dt.date.fromordinal(d.toordinal()): str(n) for d, n in holidays.items()
        }
        self._intervals = [tuple(hours.minutes(w)) for w in range(7)]
        self._weekday_total = [sum(e - s for s, e in self._intervals[w]) for w in range(7)]
        # _cum[i] = working minutes of the days from ordinal _first to _first + i - 1
        self._first = 0
        self._cum: list[int] = []

    # --- days -------------------------------------------------------------------------------

    def holiday_name(self, day: dt.date) -> str | None:
        """The name of the holiday or cuti bersama on `day`, or None."""
        return self._holidays.get(day)

    def is_working_day(self, day: dt.date) -> bool:
        """True if the weekday has working hours and the day is not a holiday."""
        return self._weekday_total[day.weekday()] > 0 and day not in self._holidays

    def day_minutes(self, day: dt.date) -> int:
        """Working minutes of `day` (0 on weekends without hours and on holidays)."""
        return 0 if day in self._holidays else self._weekday_total[day.weekday()]

    # --- instants ---------------------------------------------------------------------------

    def local(self, instant: dt.datetime) -> dt.datetime:
        """The instant in the calendar's time zone."""
        return _aware(instant).astimezone(self.zone)

    def end_of_day(self, day: dt.date) -> dt.datetime:
        """The UTC instant of the local midnight that ends `day` (for calendar deadlines)."""
        return self._utc(day + dt.timedelta(days=1), 0.0)

    def working_minutes(self, start: dt.datetime, end: dt.datetime) -> float:
        """Working minutes in [start, end); 0 when end <= start."""
        if _aware(end) <= _aware(start):
            return 0.0
        local_start, local_end = self.local(start), self.local(end)
        self._index_of(local_start.date())  # cover both ends before reading positions
        self._index_of(local_end.date())
        return self._position(local_end) - self._position(local_start)

    def add_working_minutes(self, start: dt.datetime, minutes: float) -> dt.datetime:
        """The earliest instant (UTC) at which `minutes` working minutes have passed since start."""
        if not math.isfinite(minutes) or minutes < 0:
            raise ValueError(f"minutes must be a finite number, not negative (got {minutes})")
        if minutes == 0:
            return _aware(start).astimezone(UTC)
        position = self._position(start)
        target = position + minutes
        if target == position:  # too small to count at this magnitude
            return self.next_working_start(start)
        index = self._day_reaching(target, strict=False)
        return self._instant_in_day(index, target - self._cum[index], at_end=True)

    def next_working_start(self, instant: dt.datetime) -> dt.datetime:
        """`instant` (UTC) if working time runs then, else the next working interval's start."""
        if self._running(instant):
            return _aware(instant).astimezone(UTC)
        position = self._position(instant)
        index = self._day_reaching(position, strict=True)
        return self._instant_in_day(index, position - self._cum[index], at_end=False)

    # --- internals --------------------------------------------------------------------------

    def _running(self, instant: dt.datetime) -> bool:
        local = self.local(instant)
        if local.date() in self._holidays:
            return False
        minute = _minute_of_day(local)
        return any(s <= minute < e for s, e in self._intervals[local.weekday()])

    def _utc(self, day: dt.date, minute: float) -> dt.datetime:
        naive = dt.datetime(day.year, day.month, day.day) + dt.timedelta(minutes=minute)
        return naive.replace(tzinfo=self.zone).astimezone(UTC)

    def _extend(self, first_year: int, last_year: int) -> None:
        """Make the table cover at least the years first_year..last_year."""
        if self._cum:
            have_first = dt.date.fromordinal(self._first).year
            have_last = dt.date.fromordinal(self._first + len(self._cum) - 2).year
            first_year, last_year = min(first_year, have_first), max(last_year, have_last)
        first = dt.date(max(first_year, 1), 1, 1).toordinal()
        last = dt.date(min(last_year, 9999), 12, 31).toordinal()
        days = (self.day_minutes(dt.date.fromordinal(o)) for o in range(first, last + 1))
        self._first = first
        self._cum = list(accumulate(days, initial=0))

    def _index_of(self, day: dt.date) -> int:
        index = day.toordinal() - self._first
        if index < 0 or index >= len(self._cum) - 1:
            self._extend(day.year - 1, day.year + 1)
            index = day.toordinal() - self._first
        return index

    def _position(self, instant: dt.datetime) -> float:
        """Working minutes from the start of the table to `instant`."""
        local = instant if instant.tzinfo is self.zone else self.local(instant)
        day = local.date()
        index = self._index_of(day)
        base = self._cum[index]
        if self._cum[index + 1] == base:
            return float(base)
        minute = _minute_of_day(local)
        done = 0.0
        for s, e in self._intervals[day.weekday()]:
            if minute <= s:
                break
            done += (e if minute >= e else minute) - s
        return base + done

    def _day_reaching(self, target: float, strict: bool) -> int:
        """Index of the first day whose end position is >= target (> target when strict)."""
        searched = 0
        while self._cum[-1] < target or (strict and self._cum[-1] <= target):
            if searched > _MAX_SEARCH_YEARS:
                raise ValueError("no working time found in the next 50 years")
            last_year = dt.date.fromordinal(self._first + len(self._cum) - 2).year
            self._extend(last_year, last_year + 2)
            searched += 2
        find = bisect.bisect_right if strict else bisect.bisect_left
        return find(self._cum, target) - 1

    def _instant_in_day(self, index: int, offset: float, at_end: bool) -> dt.datetime:
        """The instant `offset` working minutes into day `index`.

        at_end: an offset that ends an interval gives that interval's end (else the next start).
        """
        day = dt.date.fromordinal(self._first + index)
        done = 0.0
        intervals = self._intervals[day.weekday()]
        for s, e in intervals:
            length = e - s
            if offset < done + length or (at_end and offset <= done + length):
                return self._utc(day, min(s + (offset - done), e))
            done += length
        # rounding put the offset past the day's last interval: its end is the answer
        return self._utc(day, intervals[-1][1])


def _minute_of_day(local: dt.datetime) -> float:
    return local.hour * 60 + local.minute + (local.second + local.microsecond / 1e6) / 60
