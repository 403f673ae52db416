"""Shared test fixtures. Keep it small: add only what several test files need."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory, monkeypatch):
    """Never read or write the machine's real Langkah folders: point them at empty temp dirs."""
    root = tmp_path_factory.mktemp("langkah-home")
    monkeypatch.setenv("LANGKAH_DEFS_DIR", str(root / "definitions"))
    monkeypatch.setenv("LANGKAH_DATA_DIR", str(root / "data"))
    for name in ("LANGKAH_NOW", "LANGKAH_LANG"):
        monkeypatch.delenv(name, raising=False)
