"""Format 2 and out-of-range values: each refused at validation with its file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from langkah.catalog import load_definition
from langkah.cli.main import main
from langkah.engine.loader import DefinitionError

FIXTURES = Path(__file__).parent / "fixtures" / "bad_definitions_v2"

# fixture, line, key path, distinctive part of the message
CASES = [
    ("format_out_of_range", 1, "format", "Input should be 1 or 2 (found 7)"),
    ("date_before_1945", 7, "identity.created", "1900-08-17 is before 1945"),
    ("date_with_time", 7, "identity.effective", "write a date without a time"),
    ("revision_negative", 7, "identity.revised", "a revision number is a whole number from 0"),
    ("duration_beyond_a_year", 23, "steps[1].time", "'13834 hari' is more than a year"),
    ("kecamatan_missing", 3, "identity.kecamatan", "is required for a kecamatan"),
    ("unit_name_missing", 3, "identity.unit_name", "is required for a dinas"),
    ("unknown_unit_kind", 6, "identity.unit_kind", "'kecamatan', 'kelurahan', 'desa', 'dinas'"),
    ("format_2_key_in_format_1", 7, "identity.head_title", "needs format = 2"),
    ("text_date_in_format_1", 7, "identity.created", "other than a date needs format = 2"),
    ("handoff_one_actor", 24, "steps[1].handoff", "a handoff needs two actors or more"),
    ("bare_number_without_unit", 23, "steps[1].time", "waktu '120' has no unit"),
    ("unknown_time_unit", 2, "time_unit", "'menit', 'jam', 'hari' or 'minggu' (found 'detik')"),
    ("waktu_phrase_unknown", 23, "steps[1].time", "waktu '2 bulan' is not understood"),
    ("calendar_without_working_time", 11, "calendar.hours", "has no working time on any day"),
    ("beyond_a_year_of_this_calendar", 25, "steps[1].time", "more than a year (52 weeks) of this"),
]


def test_every_fixture_has_a_case():
    assert sorted(p.stem for p in FIXTURES.glob("*.toml")) == sorted(c[0] for c in CASES)


@pytest.mark.parametrize(("name", "line", "key_path", "fragment"), CASES, ids=[c[0] for c in CASES])
def test_refused_with_its_line(name, line, key_path, fragment, capsys):
    path = FIXTURES / f"{name}.toml"
    with pytest.raises(DefinitionError) as caught:
        load_definition(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.path) == (line, key_path)
    assert fragment in problem.message
    assert str(problem) == f"{path}:{line}: {key_path}: {problem.message}"
    assert main(["validate", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == [str(problem)]
    assert "Traceback" not in out + err
