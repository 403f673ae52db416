"""The percentile method (Excel's PERCENTILE.INC) and the period range."""

from __future__ import annotations

import random
import statistics

import pytest

from langkah.analytics import PeriodRange, Selection, percentile
from langkah.analytics.selection import SelectionError
from langkah.engine.period import Period


def test_percentiles_by_hand():
    assert percentile([], 50) is None
    assert percentile([7], 90) == 7
    assert percentile([0, 0, 0, 5], 90) == pytest.approx(3.5)  # position 2.7
    assert percentile([10, 30, 25], 50) == 25  # sorted first
    assert percentile([1, 2, 3, 4], 50) == 2.5  # the usual median
    with pytest.raises(ValueError):
        percentile([1], 101)


def test_percentiles_match_the_standard_library_inclusive_method():
    rng = random.Random(5)
    for n in range(2, 40):
        values = [rng.uniform(0, 500) for _ in range(n)]
        deciles = statistics.quantiles(values, n=10, method="inclusive")
        assert percentile(values, 90) == pytest.approx(deciles[8])
        assert percentile(values, 50) == pytest.approx(statistics.median(values))


def test_a_period_range_holds_the_periods_inside_it():
    half = PeriodRange(Period.parse("2026-T1"), Period.parse("2026-T2"))
    inside = ["2026-T1", "2026-T2", "2026-S1"]
    outside = ["2025-T4", "2026-T3", "2026", "2026-S2"]
    assert [half.holds(Period.parse(p)) for p in inside] == [True] * 3
    assert [half.holds(Period.parse(p)) for p in outside] == [False] * 4
    assert PeriodRange(last=Period.parse("2025")).holds(Period.parse("2019-T2"))
    assert not PeriodRange(first=Period.parse("2026-T2")).holds(Period.parse("2026-T1"))
    year = PeriodRange.exactly(Period.parse("2026"))
    assert year.holds(Period.parse("2026-T4")) and year.holds(Period.parse("2026"))


def test_periods_in_the_wrong_order_are_refused_with_the_fix():
    with pytest.raises(SelectionError, match="--from 2026-T3 comes after --to 2026-T1"):
        PeriodRange(Period.parse("2026-T3"), Period.parse("2026-T1"))
    PeriodRange(Period.parse("2026"), Period.parse("2026-T1"))  # overlapping ends are fine


def test_a_selection_filters_sop_kecamatan_and_period():
    sel = Selection(frozenset({"a/b"}), "kalipare", PeriodRange.exactly(Period.parse("2026-T3")))
    assert sel.wants("a/b", "Kalipare", "2026-T3")
    assert not sel.wants("a/c", "Kalipare", "2026-T3")
    assert not sel.wants("a/b", "Mentebah", "2026-T3")
    assert not sel.wants("a/b", "Kalipare", "2026-T4")
    assert Selection().wants("x", "y", "1999")
