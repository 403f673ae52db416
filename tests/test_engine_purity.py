"""The engine is pure: importing all of it loads neither Textual, the interface nor the adapters."""

from __future__ import annotations

import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pytest

import langkah.engine as engine

# Modules of langkah that are not the engine, and third-party I/O or interface libraries.
FORBIDDEN_ROOTS = ("textual", "docx", "tinydb", "psycopg", "platformdirs")


def test_engine_imports_neither_textual_nor_tui():
    modules = [
        f"langkah.engine.{m.name}"
        for m in pkgutil.iter_modules([str(Path(engine.__file__).parent)])
    ]
    assert len(modules) >= 10
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        f"{FORBIDDEN_ROOTS!r} or (m.startswith('langkah.') and not "
        "m.startswith('langkah.engine')))\n"
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


def _engine_sources() -> list[tuple[str, str]]:
    root = Path(engine.__file__).parent
    sources = [(path.name, path.read_text()) for path in sorted(root.glob("*.py"))]
    assert len(sources) >= 10
    return sources


@pytest.mark.parametrize("module", ["uuid", "secrets", "random"])
def test_engine_source_never_invents_ids_or_chance(module):
    """Ids come from the caller (`event_id=`): an engine that draws them cannot be replayed."""
    pattern = re.compile(rf"^\s*(import\s+{module}\b|from\s+{module}\b)", re.MULTILINE)
    for name, text in _engine_sources():
        assert not pattern.search(text), f"{name} imports {module}"


@pytest.mark.parametrize("call", ["open", "read_text", "read_bytes", "write_text", "write_bytes"])
def test_engine_source_never_touches_files(call):
    """Reading a definition file is the adapters' job (langkah.catalog.load_definition)."""
    pattern = re.compile(rf"\b{call}\s*\(")  # open( and path.open(, not _require_open(
    for name, text in _engine_sources():
        assert not pattern.search(text), f"{name} touches files ({call}()"
