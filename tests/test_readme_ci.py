"""The README's two commands stay true: CI runs exactly the README's test command."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _commands() -> list[str]:
    """The first line of the code block after each paragraph that starts with "Run "."""
    lines = (ROOT / "README.md").read_text().splitlines()
    found = []
    for i, line in enumerate(lines):
        if line.startswith("Run "):
            fence = next(j for j in range(i + 1, len(lines)) if lines[j].startswith("```"))
            found.append(lines[fence + 1])
    return found


def test_the_readme_gives_the_two_commands_and_ci_runs_the_test_one():
    run_app, run_tests = _commands()[:2]
    assert run_app.endswith("langkah")
    assert "pytest" in run_tests
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert ci[-1] == run_tests
