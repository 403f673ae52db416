"""Fixtures of the fault-injection suite: a data directory with cycles, and writer processes."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from langkah.service import Langkah

ROOT = Path(__file__).resolve().parents[2]
NOW = dt.datetime(2026, 10, 5, 2, 0, tzinfo=dt.UTC)


def open_app(data_dir: Path) -> Langkah:
    return Langkah.open(data_dir, data_dir / "no-defs", clock=lambda: NOW)


def note_texts(app: Langkah, cycle_id: str) -> list[str]:
    return [e.data["text"] for e in app.events(cycle_id) if e.type == "note_added"]


def temp_files(data_dir: Path) -> list[Path]:
    return [p for p in data_dir.rglob(".*") if p.name.endswith(".tmp")]


def start_writer(*args: str, stdin: bool = False) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen(
        [sys.executable, "-m", "tests.fault.writer", *args],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def data_dir(tmp_path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def app(data_dir) -> Langkah:
    return open_app(data_dir)


@pytest.fixture
def cycles(app) -> list[str]:
    return [app.start(sop, "2026-T3").state.cycle_id for sop in ("dawarblandong", "kalipare")]
