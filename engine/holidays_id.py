"""Indonesian days off (national holidays and cuti bersama) and the calendar built from them.

The `holidays` package computes them (pure computation, no I/O); a local override adds and
removes dates because cuti bersama is set by decree each year and changes mid-year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from functools import lru_cache

import holidays as holidays_lib

from langkah.engine.calendar import WorkingCalendar
from langkah.engine.definition import CalendarSpec

DEFAULT_YEARS = range(2015, 2031)


def indonesian_holidays(
    years: Iterable[int],
    add: Mapping[dt.date, str] | None = None,
    remove: Iterable[dt.date] = (),
) -> dict[dt.date, str]:
    """National holidays and cuti bersama of `years`, minus `remove`, plus `add` (names in Bahasa).

    Dates in both `remove` and `add` end up added.
    """
    return dict(
        _cached(
            tuple(sorted(set(years))),
            frozenset((add or {}).items()),
            frozenset(remove),
        )
    )


@lru_cache(maxsize=32)
def _cached(
    years: tuple[int, ...], add: frozenset[tuple[dt.date, str]], remove: frozenset[dt.date]
) -> dict[dt.date, str]:
    found = holidays_lib.country_holidays(
        "ID", categories=("public", "government"), years=years, language="id"
    )
    days = {day: str(name) for day, name in found.items()}
    for day in remove:
        days.pop(day, None)
    days.update(dict(add))
    return dict(sorted(days.items()))


@lru_cache(maxsize=32)
def _calendar(
    timezone: str,
    hours: object,
    years: tuple[int, ...],
    add: frozenset[tuple[dt.date, str]],
    remove: frozenset[dt.date],
) -> WorkingCalendar:
    return WorkingCalendar(timezone, hours, _cached(years, add, remove))  # type: ignore[arg-type]


def calendar_for(
    spec: CalendarSpec,
    years: Iterable[int] = DEFAULT_YEARS,
    add: Mapping[dt.date, str] | None = None,
    remove: Iterable[dt.date] = (),
) -> WorkingCalendar:
    """The working calendar of a kecamatan: its zone and hours, Indonesian days off, overrides.

    Dates outside `years` have no holidays. Calendars are cached per spec, years and overrides.
    """
    return _calendar(
        spec.timezone,
        spec.working_hours,
        tuple(sorted(set(years))),
        frozenset((add or {}).items()),
        frozenset(remove),
    )
