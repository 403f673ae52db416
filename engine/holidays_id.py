"""Indonesian days off (national holidays and cuti bersama) and the calendar built from them.

The `holidays` package computes them (pure computation, no I/O); a local override adds and
removes dates because cuti bersama is set by decree each year and changes mid-year.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable, Mapping
from functools import lru_cache
from types import MappingProxyType

import holidays as holidays_lib

from langkah.engine.calendar import WorkingCalendar
from langkah.engine.definition import CalendarSpec, WorkingHours

DEFAULT_YEARS = range(2015, 2031)


# lru_cache alone may run a builder twice when two threads miss at once, and the holidays
# package fills its tables lazily: one lock makes each calendar built exactly once, then shared.
_BUILDING = threading.RLock()


def indonesian_holidays(
    years: Iterable[int],
    add: Mapping[dt.date, str] | None = None,
    remove: Iterable[dt.date] = (),
) -> dict[dt.date, str]:
    """National holidays and cuti bersama of `years`, minus `remove`, plus `add` (names in Bahasa).

    Dates in both `remove` and `add` end up added. The result is the caller's own copy.
    """
    return dict(
        _days_off(
            tuple(sorted(set(years))),
            frozenset((add or {}).items()),
            frozenset(remove),
        )
    )


def _days_off(
    years: tuple[int, ...], add: frozenset[tuple[dt.date, str]], remove: frozenset[dt.date]
) -> Mapping[dt.date, str]:
    with _BUILDING:
        return _build_days_off(years, add, remove)


@lru_cache(maxsize=32)
def _build_days_off(
    years: tuple[int, ...], add: frozenset[tuple[dt.date, str]], remove: frozenset[dt.date]
) -> Mapping[dt.date, str]:
    found = holidays_lib.country_holidays(
        "ID", categories=("public", "government"), years=years, language="id"
    )
    days = {day: str(name) for day, name in found.items()}
    for day in remove:
        days.pop(day, None)
    days.update(dict(add))
    return MappingProxyType(dict(sorted(days.items())))  # shared between callers: read-only


@lru_cache(maxsize=32)
def _build_calendar(
    timezone: str,
    hours: WorkingHours,
    years: tuple[int, ...],
    add: frozenset[tuple[dt.date, str]],
    remove: frozenset[dt.date],
) -> WorkingCalendar:
    return WorkingCalendar(timezone, hours, _build_days_off(years, add, remove))


def calendar_for(
    spec: CalendarSpec,
    years: Iterable[int] = DEFAULT_YEARS,
    add: Mapping[dt.date, str] | None = None,
    remove: Iterable[dt.date] = (),
) -> WorkingCalendar:
    """The working calendar of a kecamatan: its zone and hours, Indonesian days off, overrides.

    Dates outside `years` have no holidays. Calendars are immutable and cached per spec, years
    and overrides; any thread may ask for one and share it.
    """
    key = (
        spec.timezone,
        spec.working_hours,
        tuple(sorted(set(years))),
        frozenset((add or {}).items()),
        frozenset(remove),
    )
    with _BUILDING:
        return _build_calendar(*key)
