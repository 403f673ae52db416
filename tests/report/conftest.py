"""Fixtures for the report tests: an app over a temp data dir with a stepping clock."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.report.scenarios import SteppingClock, open_app


@pytest.fixture
def clock() -> SteppingClock:
    return SteppingClock()


@pytest.fixture
def app(clock):
    return open_app(
        Path(os.environ["LANGKAH_DATA_DIR"]), Path(os.environ["LANGKAH_DEFS_DIR"]), clock
    )
