"""Holidays are counted in every year an action may be recorded in, not only recent ones."""

from __future__ import annotations

import datetime as dt

from langkah.service import Langkah


def test_a_cycle_in_2005_counts_that_years_holidays(tmp_path):
    app = Langkah.open(tmp_path / "data", tmp_path / "defs")
    definition = app.catalog.get("dawarblandong/pengukuran-data-kinerja").definition
    calendar = app.calendar(definition)
    # 17 August 2005 (Independence Day) was a Wednesday: not a working day
    day = dt.datetime(2005, 8, 17, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    assert calendar.working_minutes(day, day + dt.timedelta(hours=8)) == 0
    # and the year after the last covered one is counted too (the window's last year)
    last = app.holiday_last_year + 1
    new_year = dt.datetime(last, 1, 1, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    assert calendar.working_minutes(new_year, new_year + dt.timedelta(hours=8)) == 0
