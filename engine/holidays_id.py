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


def package_days_off(years: Iterable[int]) -> dict[dt.date, str]:
    """The `holidays` package's Indonesian national holidays and cuti bersama of `years`.

    Importing the package loads every country it knows (about 0.1 s): callers that start often
    keep the answer per package version (langkah/holiday_days.py) and pass it as `base`."""
    import holidays as holidays_lib

    with _BUILDING:  # the package fills its tables lazily
        found = holidays_lib.country_holidays(
            "ID", categories=("public", "government"), years=sorted(set(years)), language="id"
        )
        return {day: str(name) for day, name in sorted(found.items())}


@lru_cache(maxsize=32)
def _build_days_off(
    years: tuple[int, ...],
    add: frozenset[tuple[dt.date, str]],
    remove: frozenset[dt.date],
    base: tuple[tuple[dt.date, str], ...] | None = None,
) -> Mapping[dt.date, str]:
    if base is None:
        days = package_days_off(years)
    else:  # the package's answer kept by the caller: only the years asked for
        wanted = set(years)
        days = {day: name for day, name in base if day.year in wanted}
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
    base: tuple[tuple[dt.date, str], ...] | None = None,
) -> WorkingCalendar:
    return WorkingCalendar(timezone, hours, _build_days_off(years, add, remove, base))


def calendar_for(
    spec: CalendarSpec,
    years: Iterable[int] = DEFAULT_YEARS,
    add: Mapping[dt.date, str] | None = None,
    remove: Iterable[dt.date] = (),
    base: Mapping[dt.date, str] | None = None,
) -> WorkingCalendar:
    """The working calendar of a kecamatan: its zone and hours, Indonesian days off, overrides.

    Dates outside `years` have no holidays. `base`, when given, is what `package_days_off`
    answered for (at least) `years` — kept by the caller — and the package is not asked.
    Calendars are immutable and cached per spec, years, overrides and base; any thread may ask
    for one and share it.
    """
    key = (
        spec.timezone,
        spec.working_hours,
        tuple(sorted(set(years))),
        frozenset((add or {}).items()),
        frozenset(remove),
        tuple(sorted(base.items())) if base is not None else None,
    )
    with _BUILDING:
        return _build_calendar(*key)
