"""Every kind of load error points at the right line with a clear message, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from langkah.cli.main import main
from langkah.engine.loader import DefinitionError, load_definition

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
    expected_prefix = f"{path}:{line}: {key_path}: " if key_path else f"{path}:{line}: "
    assert str(first).startswith(expected_prefix)

    # the command line reports the same lines and nothing else: no traceback
    assert main(["validate", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == [str(p) for p in problems]
    assert "Traceback" not in out + err
