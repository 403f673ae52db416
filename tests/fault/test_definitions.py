"""Broken definitions (mutations of the bundled files): every outcome is a valid definition or a
DefinitionError whose problems all say what and where; never another exception."""

from __future__ import annotations

import subprocess
import sys

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from langkah.catalog import bundled_dir
from langkah.engine.loader import DefinitionError, parse_definition
from tests.fault.conftest import ROOT

BUNDLED = sorted(bundled_dir().glob("*/*.toml"))
TEXTS = [p.read_text(encoding="utf-8") for p in BUNDLED]
JUNK = [
    "\x00",
    "\x07",
    "[",
    "]",
    "]]",
    "=",
    '"',
    "'''",
    "#",
    "\\",
    "\u202e",
    "😀",
    "\ufeff",
    "{",
    ".",
]
VALUES = ['""', "0", "-1", "99999", "true", "[]", "{}", '"x"', "2023-13-45", '"25:00-26:00"', "nan"]


@st.composite
def mutated(draw) -> str:
    lines = draw(st.sampled_from(TEXTS)).splitlines()
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "value", "junk", "truncate"]))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "value" and "=" in lines[i]:
            key = lines[i].split("=", 1)[0]
            lines[i] = f"{key}= {draw(st.sampled_from(VALUES))}"
        elif op == "junk":
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + draw(st.sampled_from(JUNK)) + lines[i][at:]
        elif op == "truncate":
            lines = lines[: i + 1]
            lines[-1] = lines[-1][: draw(st.integers(0, len(lines[-1])))]
    return "\n".join(lines) + "\n"


def check(text: str) -> None:
    try:
        parse_definition(text, "mutated.toml", "x/y")
    except DefinitionError as error:
        assert error.problems
        for problem in error.problems:
            assert problem.message.strip(), problem
            assert problem.line or problem.path, f"no line or key path: {problem}"
            assert problem.source == "mutated.toml"


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_every_mutation_is_valid_or_a_located_definition_error(text):
    check(text)


def test_validate_command_reports_mutated_files_without_a_traceback(tmp_path):
    texts = TEXTS[0].splitlines()
    cases = {
        "deleted-number.toml": "\n".join(t for t in texts if not t.startswith("number = 3")),
        "junk.toml": TEXTS[0].replace("[[steps]]", "[[steps]\x07", 1),
        "truncated.toml": TEXTS[0][: len(TEXTS[0]) // 2],
        "bad-value.toml": TEXTS[0].replace('time = "5 menit"', "time = 5", 1),
        "binary.toml": None,
    }
    for name, text in cases.items():
        path = tmp_path / name
        if text is None:
            path.write_bytes(b"\xff\xfe\x00garbage")
        else:
            path.write_text(text, encoding="utf-8")
        proc = subprocess.run(
            [sys.executable, "-m", "langkah.cli.main", "validate", str(path)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        output = proc.stdout + proc.stderr
        assert proc.returncode != 0, f"{name} was accepted"
        assert "Traceback" not in output, output
        assert name in output, output
