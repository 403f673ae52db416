"""Working time in one kecamatan: its time zone, its working hours and its days off.

Pure computation (no files, no clock). Instants are timezone-aware datetimes; instants returned
are in UTC. Working time is counted in minutes (fractions for seconds) from a table of cumulative
working minutes per date, so a span of a year costs the same as a span of an hour.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import accumulate
from types import MappingProxyType
from zoneinfo import ZoneInfo

from langkah.engine.definition import WorkingHours

UTC = dt.UTC
_MAX_SEARCH_YEARS = 50  # add_working_minutes gives up rather than extend the table for ever


def _aware(instant: dt.datetime) -> dt.datetime:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"{instant} has no time zone; pass an aware datetime (UTC is fine)")
    return instant


@dataclass(frozen=True)
class _Table:
    """Cumulative working minutes per day: cum[i] = minutes of the days first .. first + i - 1.

    Immutable: a calendar that needs more days builds a wider table and publishes it whole.
    """

    first: int  # ordinal of the first day covered
    cum: tuple[int, ...]

    @property
    def last(self) -> int:
        """Ordinal of the last day covered (first - 1 for the empty table)."""
        return self.first + len(self.cum) - 2

    def covers(self, ordinal: int) -> bool:
        return self.first <= ordinal <= self.last

    def index(self, day: dt.date) -> int:
        return day.toordinal() - self.first


_EMPTY = _Table(first=0, cum=(0,))


class WorkingCalendar:
    """Working hours of one time zone minus holidays; counts and adds working minutes.

    Immutable once built, and safe to share between threads: its zone, hours and days off never
    change; the table of cumulative minutes is a cache that grows (under a lock) by replacing one
    immutable `_Table` with a wider one, and each computation works on the one table it read.
    """

    __slots__ = (
        "_timezone",
        "_zone",
        "_hours",
        "_holidays",
        "_intervals",
        "_weekday_total",
        "_table",
        "_lock",
    )

    def __init__(self, timezone: str, hours: WorkingHours, holidays: Mapping[dt.date, str]):
        self._timezone = timezone
        self._zone = ZoneInfo(timezone)
        self._hours = hours
        self._holidays: Mapping[dt.date, str] = MappingProxyType(
            {dt.date.fromordinal(d.toordinal()): str(n) for d, n in holidays.items()}
        )
        self._intervals: tuple[tuple[tuple[int, int], ...], ...] = tuple(
            tuple(hours.minutes(w)) for w in range(7)
        )
        self._weekday_total = tuple(sum(e - s for s, e in self._intervals[w]) for w in range(7))
        self._table = _EMPTY
        self._lock = threading.Lock()

    @property
    def timezone(self) -> str:
        return self._timezone

    @property
    def zone(self) -> ZoneInfo:
        return self._zone

    @property
    def hours(self) -> WorkingHours:
        return self._hours

    @property
    def holidays(self) -> Mapping[dt.date, str]:
        """The days off this calendar knows (read-only)."""
        return self._holidays

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
        return _aware(instant).astimezone(self._zone)

    def end_of_day(self, day: dt.date) -> dt.datetime:
        """The UTC instant of the local midnight that ends `day` (for calendar deadlines)."""
        return self._utc(day + dt.timedelta(days=1), 0.0)

    def working_minutes(self, start: dt.datetime, end: dt.datetime) -> float:
        """Working minutes in [start, end); 0 when end <= start."""
        if _aware(end) <= _aware(start):
            return 0.0
        local_start, local_end = self.local(start), self.local(end)
        table = self._covering(local_start.date(), local_end.date())
        return self._position(table, local_end) - self._position(table, local_start)

    def add_working_minutes(self, start: dt.datetime, minutes: float) -> dt.datetime:
        """The earliest instant (UTC) at which `minutes` working minutes have passed since start."""
        if not math.isfinite(minutes) or minutes < 0:
            raise ValueError(f"minutes must be a finite number, not negative (got {minutes})")
        if minutes == 0:
            return _aware(start).astimezone(UTC)
        local = self.local(start)
        table = self._covering(local.date())
        position = self._position(table, local)
        target = position + minutes
        if target == position:  # too small to count at this magnitude
            return self.next_working_start(start)
        table, index, target = self._day_reaching(table, target, strict=False)
        return self._instant_in_day(table, index, target - table.cum[index], at_end=True)

    def next_working_start(self, instant: dt.datetime) -> dt.datetime:
        """`instant` (UTC) if working time runs then, else the next working interval's start."""
        if self._running(instant):
            return _aware(instant).astimezone(UTC)
        local = self.local(instant)
        table = self._covering(local.date())
        position = self._position(table, local)
        table, index, position = self._day_reaching(table, position, strict=True)
        return self._instant_in_day(table, index, position - table.cum[index], at_end=False)

    # --- internals --------------------------------------------------------------------------

    def _running(self, instant: dt.datetime) -> bool:
        local = self.local(instant)
        if local.date() in self._holidays:
            return False
        minute = _minute_of_day(local)
        return any(s <= minute < e for s, e in self._intervals[local.weekday()])

    def _utc(self, day: dt.date, minute: float) -> dt.datetime:
        naive = dt.datetime(day.year, day.month, day.day) + dt.timedelta(minutes=minute)
        return naive.replace(tzinfo=self._zone).astimezone(UTC)

    def _covering(self, *days: dt.date) -> _Table:
        """A table that covers `days` (the published one, or a wider one published now)."""
        table = self._table
        if all(table.covers(d.toordinal()) for d in days):
            return table
        years = [d.year for d in days]
        return self._widened(min(years) - 1, max(years) + 1)

    def _widened(self, first_year: int, last_year: int) -> _Table:
        """Publish (and return) a table covering the current one and first_year..last_year."""
        with self._lock:
            table = self._table
            if table.cum != _EMPTY.cum:
                first_year = min(first_year, dt.date.fromordinal(table.first).year)
                last_year = max(last_year, dt.date.fromordinal(table.last).year)
            first = dt.date(max(first_year, 1), 1, 1).toordinal()
            last = dt.date(min(last_year, 9999), 12, 31).toordinal()
            if table.first == first and table.last == last:
                return table
            days = (self.day_minutes(dt.date.fromordinal(o)) for o in range(first, last + 1))
            table = _Table(first, tuple(accumulate(days, initial=0)))
            self._table = table
            return table

    def _position(self, table: _Table, local: dt.datetime) -> float:
        """Working minutes from the start of `table` to the local instant (its day covered)."""
        day = local.date()
        index = table.index(day)
        base = table.cum[index]
        if table.cum[index + 1] == base:
            return float(base)
        minute = _minute_of_day(local)
        done = 0.0
        for s, e in self._intervals[day.weekday()]:
            if minute <= s:
                break
            done += (e if minute >= e else minute) - s
        return base + done

    def _day_reaching(
        self, table: _Table, target: float, strict: bool
    ) -> tuple[_Table, int, float]:
        """The first day whose end position is >= target (> target when strict).

        Returns the table used (wider than `table` when it had to grow), the day's index in it
        and `target` counted from that table's start.
        """
        searched = 0
        while table.cum[-1] < target or (strict and table.cum[-1] <= target):
            if searched > _MAX_SEARCH_YEARS:
                raise ValueError("no working time found in the next 50 years")
            last_year = dt.date.fromordinal(table.last).year
            wider = self._widened(last_year, last_year + 2)
            target += wider.cum[table.first - wider.first]  # same instant, new origin
            table = wider
            searched += 2
        find = bisect.bisect_right if strict else bisect.bisect_left
        return table, find(table.cum, target) - 1, target

    def _instant_in_day(
        self, table: _Table, index: int, offset: float, at_end: bool
    ) -> dt.datetime:
        """The instant `offset` working minutes into day `index` of `table`.

        at_end: an offset that ends an interval gives that interval's end (else the next start).
        """
        day = dt.date.fromordinal(table.first + index)
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
