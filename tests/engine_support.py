"""Helpers for engine tests: the bundled definitions parsed directly, and a stepping clock."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from langkah.engine.loader import LoadedDefinition, parse_definition

ROOT = Path(__file__).resolve().parent.parent / "sop_definitions"
DAWARBLANDONG = "dawarblandong/pengukuran-data-kinerja"

# Thursday 1 October 2026, 08.00 WIB
START = dt.datetime(2026, 10, 1, 1, 0, tzinfo=dt.UTC)


def bundled(sop_id: str = DAWARBLANDONG) -> LoadedDefinition:
    path = ROOT / f"{sop_id}.toml"
    return parse_definition(path.read_text(encoding="utf-8"), str(path), sop_id)


class StepClock:
    """A clock that tests move by hand."""

    def __init__(self, start: dt.datetime = START):
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> dt.datetime:
        self.now += dt.timedelta(**delta)
        return self.now
