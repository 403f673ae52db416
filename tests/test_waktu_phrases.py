"""The waktu phrase table of docs/definition-format.md, checked row by row against the parser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from langkah.engine.definition import DEFAULT_HOURS, WorkingHours
from langkah.engine.standard_time import StandardKind, parse_standard_time
from langkah.engine.timing import standard_minutes

DOC = Path(__file__).parent.parent / "docs" / "definition-format.md"


def _table(marker: str) -> list[list[str]]:
    """The rows (cells stripped) of the table after an HTML comment starting with `marker`."""
    lines = DOC.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"<!-- {marker}"))
    rows = []
    for line in lines[start + 3 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip().strip("|").split(" | ")])
    return rows


def _code(cell: str) -> str:
    match = re.search(r"`([^`]*)`", cell)
    assert match, cell
    return match.group(1)


PHRASES = _table("waktu-phrases")
REFUSED = _table("waktu-refused")


def test_the_tables_are_found():
    assert len(PHRASES) >= 20 and len(REFUSED) >= 10
    families = {row[0] for row in PHRASES if row[0]}
    assert len(families) >= 12


@pytest.mark.parametrize(("family", "example", "read_as", "minutes"), PHRASES)
def test_each_phrase_means_what_the_table_says(family, example, read_as, minutes):
    text = _code(example)
    unit = re.search(r'time_unit = "(\w+)"', family)
    parsed = parse_standard_time(text, unit.group(1) if unit else None)
    assert parsed.text == text
    assert parsed.meaning() == read_as
    if minutes == "deadline":
        assert parsed.kind == StandardKind.DEADLINE
        assert standard_minutes(parsed, DEFAULT_HOURS) is None
    elif minutes == "none":
        assert parsed.kind == StandardKind.NONE
    else:
        assert standard_minutes(parsed, DEFAULT_HOURS) == pytest.approx(float(minutes))
    # the range is kept in the text, the upper bound is the standard
    if "-" in text or "s.d." in text or "sampai" in text:
        assert parsed.shown().startswith(text)


@pytest.mark.parametrize(("example", "because"), REFUSED)
def test_each_refused_phrase_is_an_error_naming_it(example, because):
    text = _code(example)
    with pytest.raises(ValueError) as caught:
        parse_standard_time(text)
    assert because in str(caught.value)
    assert f"'{text}'" in str(caught.value)


def test_a_bare_number_is_read_in_the_default_unit_only():
    assert parse_standard_time("90", "menit").minutes == 90
    assert parse_standard_time("90 menit", "hari").minutes == 90  # a written unit wins
    with pytest.raises(ValueError, match="has no unit"):
        parse_standard_time("90")


def test_weeks_follow_the_units_calendar():
    six_days = WorkingHours(
        mon=("08:00-12:00",),
        tue=("08:00-12:00",),
        wed=("08:00-12:00",),
        thu=("08:00-12:00",),
        fri=("08:00-11:00",),
        sat=("08:00-10:00",),
    )
    assert standard_minutes(parse_standard_time("2 minggu"), six_days) == 2 * (4 * 240 + 180 + 120)


def test_the_one_year_limit_is_exact():
    assert parse_standard_time("260 hari").days == 260
    assert parse_standard_time("1950 jam").minutes == 1950 * 60
    assert parse_standard_time("52 minggu").weeks == 52
    assert parse_standard_time("117000 menit").minutes == 117000
    for text in ("260,5 hari", "1951 jam", "117001 menit", "1-261 hari"):
        with pytest.raises(ValueError, match="more than a year"):
            parse_standard_time(text)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("15 Menit", "15 Menit"),
        ("2  Hari", "2 Hari"),
        ("3 hari kerja", "3 hari kerja"),
        ("1 x 24 jam", "1 x 24 jam (= 1 hari kerja)"),
        ("1-2 hari", "1-2 hari (= 2 hari kerja)"),
        ("½ hari", "½ hari (= 0,5 hari kerja)"),
        ("", "-"),
    ],
)
def test_what_a_waktu_is_read_as_is_shown_when_the_text_does_not_say_it(text, shown):
    assert parse_standard_time(text).shown() == shown


def test_shown_in_english():
    assert parse_standard_time("1 x 24 jam").shown("en") == "1 x 24 jam (= 1 working day)"
    assert parse_standard_time("1,5 hari").shown("en") == "1,5 hari (= 1.5 working days)"
