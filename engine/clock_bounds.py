"""The span of time Langkah can count in: from 2000-01-01 to the end of the year after the last
year the holiday data covers. Times outside it are refused, never silently mis-counted.

"Covered" means the year's cuti bersama (set by decree, the `holidays` package's "government"
category) is known, from the package or from days the local hari_libur.toml adds in that year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache

from langkah.engine.errors import EngineError
from langkah.engine.period import Period, PeriodError

FIRST_DAY = dt.date(2000, 1, 1)
# Decree data is recent: look for it in these years (a wider range only costs start-up time).
_PROBE_YEARS = range(2020, 2071)


@lru_cache(maxsize=1)
def package_last_year() -> int:
    """The last year whose cuti bersama the installed `holidays` package knows."""
    import holidays as holidays_lib  # 0.05-0.1 s: only when the cached answer is missing

    found = holidays_lib.country_holidays("ID", categories=("government",), years=_PROBE_YEARS)
    return max((day.year for day in found), default=_PROBE_YEARS.start)


def holiday_last_year(added: Iterable[dt.date] = ()) -> int:
    """The last year the holiday data covers: the package's, or a later year hari_libur.toml
    adds days off in."""
    return max([package_last_year(), *(day.year for day in added)])


@lru_cache(maxsize=8)  # read on every action (the clock's check); datetimes are immutable
def time_window(last_year: int) -> tuple[dt.datetime, dt.datetime]:
    """[first, end): the instants (UTC) an action may be recorded at."""
    return (
        dt.datetime.combine(FIRST_DAY, dt.time(), dt.UTC),
        dt.datetime(last_year + 2, 1, 1, tzinfo=dt.UTC),
    )


def period_years(last_year: int) -> tuple[int, int]:
    """The first and last year a cycle's period may lie in: the years time can be counted in
    (a period outside them is a typing slip, such as 2062 for 2026, or a year whose working
    days are not known)."""
    return FIRST_DAY.year, time_window(last_year)[1].year - 1


def check_period(period: Period, last_year: int) -> Period:
    """`period` if its year is one time can be counted in, else PeriodError naming the span."""
    first, last = period_years(last_year)
    if not first <= period.year <= last:
        raise PeriodError("out_of_span", text=str(period), first=first, last=last)
    return period


class TimeOutOfBounds(EngineError, ValueError):
    """A clock reading outside the span Langkah can count in."""

    def __init__(self, at: str, last_year: int, source: str = ""):
        super().__init__("time_out_of_bounds", at=at, last_year=last_year, source=source)

    def message(self, lang: str = "id") -> str:
        p = self.params
        end = int(str(p["last_year"])) + 1
        source = f"{p['source']} " if p["source"] else ""
        if lang == "id":
            return (
                f"Waktu {source}{p['at']} di luar rentang yang bisa dihitung "
                f"(2000-01-01 sampai {end}-12-31): data hari libur hanya sampai {p['last_year']}. "
                "Periksa jam komputer atau LANGKAH_NOW; untuk tahun berikutnya perbarui paket "
                "holidays atau tambahkan hari_libur.toml (docs/holidays.md)."
            )
        return (
            f"The time {source}{p['at']} is outside what Langkah can count "
            f"(2000-01-01 to {end}-12-31): the holiday data ends in {p['last_year']}. "
            "Check the computer's clock or LANGKAH_NOW; for later years upgrade the holidays "
            "package or add hari_libur.toml (docs/holidays.md)."
        )


def check_time(at: dt.datetime, last_year: int, source: str = "") -> dt.datetime:
    """`at` if it lies in the time window, else TimeOutOfBounds naming it."""
    first, end = time_window(last_year)
    if not first <= at < end:
        raise TimeOutOfBounds(at.isoformat(), last_year, source)
    return at


def uncovered_years(first: dt.date, last: dt.date, last_year: int) -> list[int]:
    """The years from `first` to `last` that the holiday data does not cover."""
    return [year for year in range(first.year, last.year + 1) if year > last_year]
