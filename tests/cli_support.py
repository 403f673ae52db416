"""Running `langkah` in-process for the guard tests: a moving fixed clock, captured output."""

from __future__ import annotations

import datetime as dt
import json

from langkah.cli.main import main

WIB = dt.timezone(dt.timedelta(hours=7))


class Cli:
    """Runs `langkah` in-process with a clock that moves ten minutes per command.

    Every call asserts the exit status and that no traceback reached the output; it returns
    stdout on success and stderr on failure.
    """

    def __init__(self, capsys, monkeypatch, start: dt.datetime | None = None):
        self.capsys, self.monkeypatch = capsys, monkeypatch
        self.now = start or dt.datetime(2026, 10, 1, 8, 0, tzinfo=WIB)

    def __call__(self, *args: str, status: int = 0) -> str:
        self.now += dt.timedelta(minutes=10)
        self.monkeypatch.setenv("LANGKAH_NOW", self.now.isoformat())
        self.capsys.readouterr()
        code = _run(args)
        out, err = self.capsys.readouterr()
        assert code == status, (args, out, err)
        assert "Traceback" not in out + err
        return out if status == 0 else err

    def both(self, *args: str, status: int = 0) -> tuple[str, str]:
        """(stdout, stderr) of one command."""
        self.now += dt.timedelta(minutes=10)
        self.monkeypatch.setenv("LANGKAH_NOW", self.now.isoformat())
        self.capsys.readouterr()
        code = _run(args)
        out, err = self.capsys.readouterr()
        assert code == status, (args, out, err)
        assert "Traceback" not in out + err
        return out, err

    def show(self, cycle: str) -> dict:
        return json.loads(self("show", cycle, "--json"))

    def start(self, sop: str = "kalipare", period: str = "2026-T3") -> str:
        """A new cycle; tests make many of one SOP and period, so duplicates are allowed."""
        return self("start", sop, "--period", period, "--allow-duplicate").strip()


def _run(args: tuple[str, ...]) -> int:
    try:
        return main(list(args))
    except SystemExit as exit:  # argparse's usage errors exit 2
        return int(exit.code or 0)
