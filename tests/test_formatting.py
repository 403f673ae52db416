"""Durations read the way a person rounds: to the nearest minute, halves up."""

from __future__ import annotations

import pytest

from langkah.formatting import count, duration


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (None, "-"),
        (0, "0 menit"),
        (0.4, "0 menit"),
        (0.5, "1 menit"),
        (1.5, "2 menit"),
        (2.5, "3 menit"),
        (59.4, "59 menit"),
        (59.5, "1 jam"),
        (89.4, "1 jam 29 menit"),
        (89.6, "1 jam 30 menit"),
        (119.99, "2 jam"),
        (449.4, "7 jam 29 menit"),
        (449.5, "7 jam 30 menit"),
    ],
)
def test_duration_rounds_to_the_nearest_minute(minutes, text):
    assert duration(minutes) == text


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (449.4, "7 h 29 min"),
        (449.5, "1 d"),  # rounds up to a whole working day of 450 minutes
        (899.6, "2 d"),
        (450 + 89.6, "1 d 1 h 30 min"),
    ],
)
def test_whole_days_come_from_the_rounded_minutes(minutes, text):
    assert duration(minutes, "en", per_day=450) == text


@pytest.mark.parametrize(
    ("number", "lang", "text"),
    [
        (0, "id", "0"),
        (999, "id", "999"),
        (50_000, "id", "50.000"),
        (1_234_567, "id", "1.234.567"),
        (50_000, "en", "50,000"),
    ],
)
def test_counts_group_thousands_as_the_language_does(number, lang, text):
    assert count(number, lang) == text
