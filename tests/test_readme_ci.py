"""The README's two commands stay true: CI runs exactly the README's test command."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _commands() -> list[str]:
    lines = (ROOT / "README.md").read_text().splitlines()
    return [lines[i + 2] for i, line in enumerate(lines[:-2]) if line.startswith("Run ")]


def test_the_readme_gives_the_two_commands_and_ci_runs_the_test_one():
    run_app, run_tests = _commands()[:2]
    assert run_app.endswith("langkah")
    assert "pytest" in run_tests
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert ci[-1] == run_tests
