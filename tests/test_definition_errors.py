"""Every kind of load error points at the right line with a clear message, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from langkah.catalog import load_definition
from langkah.cli.main import main
from langkah.engine.loader import DefinitionError

FIXTURES = Path(__file__).parent / "fixtures" / "bad_definitions"

# fixture, line, key path, distinctive part of the message, number of problems reported
CASES = [
    ("toml_syntax", 18, "", "TOML syntax error", 1),
    ("unknown_key", 20, "steps[1].duration", "is not a known key", 1),
    ("missing_field", 16, "steps[1].activity", "is required but missing", 1),
    ("duplicate_step", 21, "steps[2].number", "step number 1 is used twice", 1),
    ("decision_target", 23, "steps[1].decision.no", "leads to step 9, which does not exist", 1),
    ("unreachable", 21, "steps[2]", "step 2 cannot be reached from step 1", 1),
    ("endless_loop", 16, "steps[1]", "step 1 is in a loop with no way out to the end", 2),
    ("undeclared_actor", 19, "steps[1].actors[1]", "actor 'sekcam' is not declared", 1),
    ("bad_time", 19, "steps[1].time", "waktu 'sebentar' is not understood", 1),
    ("bad_timezone", 10, "calendar.timezone", "'Asia/Mentebah' is not an IANA time zone", 1),
    # no default time zone: a definition without [calendar] is refused, naming the table
    ("missing_calendar", None, "calendar", "is required but missing", 1),
    ("decision_without_question", 21, "steps[1].decision.question", "is required but missing", 1),
    ("decision_blank_question", 22, "steps[1].decision.question", "at least 1 character", 1),
    ("decision_without_table", 19, "steps[1].symbol", "needs a [steps.decision] table", 1),
]


def test_every_fixture_has_a_case():
    assert sorted(p.stem for p in FIXTURES.glob("*.toml")) == sorted(c[0] for c in CASES)


@pytest.mark.parametrize(
    ("name", "line", "key_path", "fragment", "count"), CASES, ids=[c[0] for c in CASES]
)
def test_load_error(name, line, key_path, fragment, count, capsys):
    path = FIXTURES / f"{name}.toml"
    with pytest.raises(DefinitionError) as caught:
        load_definition(path)
    problems = caught.value.problems
    assert len(problems) == count, [str(p) for p in problems]
    first = problems[0]
    assert (first.source, first.line, first.path) == (str(path), line, key_path)
    assert fragment in first.message
    where = f"{path}:{line}" if line else str(path)
    expected_prefix = f"{where}: {key_path}: " if key_path else f"{where}: "
    assert str(first).startswith(expected_prefix)

    # the command line reports the same lines and nothing else: no traceback
    assert main(["validate", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == [str(p) for p in problems]
    assert "Traceback" not in out + err


def test_a_missing_file_is_a_load_error_naming_it(tmp_path, capsys):
    path = tmp_path / "hilang.toml"
    with pytest.raises(DefinitionError) as caught:
        load_definition(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}: cannot read: No such file or directory"
    ]
    assert main(["validate", str(path)]) == 1
    out, err = capsys.readouterr()
    assert f"{path}: cannot read" in out + err and "Traceback" not in out + err


def test_a_file_that_is_not_utf8_is_a_load_error_naming_the_byte(tmp_path):
    path = tmp_path / "latin1.toml"
    path.write_bytes(b'[identity]\nname = "Kecamatan \xe9"\n')
    with pytest.raises(DefinitionError) as caught:
        load_definition(path)
    (problem,) = caught.value.problems
    assert problem.source == str(path) and problem.line is None
    assert problem.message == "not UTF-8 text (invalid continuation byte at byte 29)"
