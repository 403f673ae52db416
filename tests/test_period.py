"""Periods: parsing, labels, bounds and "paling lambat tanggal N ... berikutnya" deadlines."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import BaseModel

from langkah.engine.period import Period
from langkah.engine.standard_time import PeriodUnit


@pytest.mark.parametrize(
    ("text", "kind", "year", "index", "canonical"),
    [
        ("2026-T3", "triwulan", 2026, 3, "2026-T3"),
        ("2026-t3", "triwulan", 2026, 3, "2026-T3"),
        (" 2026-T1 ", "triwulan", 2026, 1, "2026-T1"),
        ("2026-S1", "semester", 2026, 1, "2026-S1"),
        ("2026-s2", "semester", 2026, 2, "2026-S2"),
        ("2026", "tahun", 2026, 1, "2026"),
    ],
)
def test_parse_and_str(text, kind, year, index, canonical):
    period = Period.parse(text)
    assert (period.kind, period.year, period.index) == (kind, year, index)
    assert str(period) == canonical
    assert Period.parse(str(period)) == period


@pytest.mark.parametrize(
    "text", ["T3-2026", "2026-T5", "2026-T0", "2026-S3", "2026-Q3", "26-T3", "2026 T3", "", "2026-"]
)
def test_parse_errors_show_accepted_forms(text):
    with pytest.raises(ValueError) as error:
        Period.parse(text)
    message = str(error.value)
    assert "2026-T3" in message and "2026-S1" in message and "2026 (tahun)" in message


def test_constructor_validates():
    with pytest.raises(ValueError):
        Period("triwulan", 2026, 5)
    with pytest.raises(ValueError):
        Period("bulan", 2026, 1)
    assert Period(PeriodUnit.QUARTER, 2026, 2) == Period("triwulan", 2026, 2)


def test_labels():
    assert Period.parse("2026-T3").label() == "Triwulan III Tahun 2026"
    assert Period.parse("2026-T4").label("id") == "Triwulan IV Tahun 2026"
    assert Period.parse("2026-S1").label() == "Semester I Tahun 2026"
    assert Period.parse("2026").label() == "Tahun 2026"
    assert Period.parse("2026-T3").label("en") == "Quarter III 2026"
    assert Period.parse("2026-S1").label("en") == "Semester I 2026"
    assert Period.parse("2026").label("en") == "Year 2026"


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026-T1", dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
        ("2026-T2", dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
        ("2026-T3", dt.date(2026, 7, 1), dt.date(2026, 9, 30)),
        ("2026-T4", dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
        ("2026-S1", dt.date(2026, 1, 1), dt.date(2026, 6, 30)),
        ("2026-S2", dt.date(2026, 7, 1), dt.date(2026, 12, 31)),
        ("2024", dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
    ],
)
def test_start_and_end(text, start, end):
    period = Period.parse(text)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("2026-T1", dt.date(2026, 4, 5)),
        ("2026-T2", dt.date(2026, 7, 5)),
        ("2026-T3", dt.date(2026, 10, 5)),
        ("2026-T4", dt.date(2027, 1, 5)),
    ],
)
def test_quarter_deadlines(text, due):
    assert Period.parse(text).deadline(5, PeriodUnit.QUARTER) == due


def test_other_deadlines():
    assert Period.parse("2026-S1").deadline(5, PeriodUnit.QUARTER) == dt.date(2026, 7, 5)
    assert Period.parse("2026-S2").deadline(10, PeriodUnit.SEMESTER) == dt.date(2027, 1, 10)
    assert Period.parse("2026").deadline(5, PeriodUnit.MONTH) == dt.date(2027, 1, 5)
    assert Period.parse("2026-T1").deadline(5, PeriodUnit.YEAR) == dt.date(2027, 1, 5)
    assert Period.parse("2026-T3").deadline(5, PeriodUnit.MONTH) == dt.date(2026, 10, 5)
    assert Period.parse("2026-T1").deadline(15, PeriodUnit.SEMESTER) == dt.date(2026, 7, 15)
    assert Period.parse("2026-T2").deadline(1, "triwulan") == dt.date(2026, 7, 1)


def test_containing():
    assert Period.containing(dt.date(2026, 8, 17), "triwulan") == Period.parse("2026-T3")
    assert Period.containing(dt.date(2026, 12, 31), PeriodUnit.QUARTER) == Period.parse("2026-T4")
    assert Period.containing(dt.date(2026, 6, 30), "semester") == Period.parse("2026-S1")
    assert Period.containing(dt.date(2026, 7, 1), "semester") == Period.parse("2026-S2")
    assert Period.containing(dt.date(2026, 3, 1), "tahun") == Period.parse("2026")
    with pytest.raises(ValueError):
        Period.containing(dt.date(2026, 3, 1), "bulan")


def test_hashable_and_in_pydantic_models():
    class Cycle(BaseModel):
        period: Period

    assert len({Period.parse("2026-T3"), Period.parse("2026-t3")}) == 1
    cycle = Cycle(period="2026-t3")
    assert cycle.period == Period("triwulan", 2026, 3)
    assert cycle.model_dump(mode="json") == {"period": "2026-T3"}
    assert Cycle.model_validate_json('{"period": "2026"}').period.kind == "tahun"
    with pytest.raises(ValueError):
        Cycle(period="T3-2026")
