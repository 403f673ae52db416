"""The engine is pure: importing all of it loads neither Textual nor the interface."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import engine


def test_engine_imports_neither_textual_nor_tui():
    modules = [
        f"engine.{m.name}" for m in pkgutil.iter_modules([str(Path(engine.__file__).parent)])
    ]
    assert len(modules) >= 10
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('textual', 'tui', 'langkah', 'docx', 'tinydb'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_engine_source_never_reads_the_clock():
    root = Path(engine.__file__).parent
    for path in root.glob("*.py"):
        text = path.read_text()
        for forbidden in ("datetime.now(", "dt.datetime.now(", "time.time(", "pendulum.now("):
            assert forbidden not in text, f"{path.name} reads the clock ({forbidden})"
