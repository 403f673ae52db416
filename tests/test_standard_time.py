"""The waktu parser, over every spelling the seed SOPs use and some it must refuse."""

from __future__ import annotations

import pytest

from langkah.engine.standard_time import PeriodUnit, StandardKind, parse_standard_time

SEED_SPELLINGS = [
    ("15 Menit", StandardKind.DURATION, 15, 0),
    ("30 menit", StandardKind.DURATION, 30, 0),
    ("1 Jam", StandardKind.DURATION, 60, 0),
    ("120 menit", StandardKind.DURATION, 120, 0),
    ("60 menit", StandardKind.DURATION, 60, 0),
    ("5 menit", StandardKind.DURATION, 5, 0),
    ("5 Menit", StandardKind.DURATION, 5, 0),
    ("1 hari", StandardKind.WORKDAYS, 0, 1),
    ("1 Hari", StandardKind.WORKDAYS, 0, 1),
    ("2 Hari", StandardKind.WORKDAYS, 0, 2),
    ("", StandardKind.NONE, 0, 0),
]


@pytest.mark.parametrize(("text", "kind", "minutes", "days"), SEED_SPELLINGS)
def test_seed_spellings(text, kind, minutes, days):
    parsed = parse_standard_time(text)
    assert parsed.text == text
    assert parsed.kind == kind
    assert parsed.minutes == minutes
    assert parsed.days == days
    assert parsed.deadline_unit is None


@pytest.mark.parametrize(
    "text",
    [
        "Paling Lambat Tanggal 5 triwulan Berikutnya",
        "paling lambat tanggal 5 tribulan berikutnya",
        "  Paling  Lambat\tTanggal 5 Triwulan Berikutnya ",
    ],
)
def test_deadline(text):
    parsed = parse_standard_time(text)
    assert parsed.kind == StandardKind.DEADLINE
    assert parsed.deadline_day == 5
    assert parsed.deadline_unit == PeriodUnit.QUARTER
    assert parsed.text == text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("sebentar", "waktu 'sebentar' is not understood"),
        ("0 menit", "must be more than zero"),
        ("5 menitan", "waktu '5 menitan' is not understood"),
        ("Paling lambat tanggal 40 triwulan berikutnya", "tanggal 40 must be from 1 to 28"),
        ("1.5 jam", "write a decimal with a comma"),
    ],
)
def test_rejects(text, message):
    with pytest.raises(ValueError, match=message) as caught:
        parse_standard_time(text)
    assert text in str(caught.value)
