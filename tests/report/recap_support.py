"""A small store for the recap tests (the analytics worked example plus Dawarblandong cycles
in two periods) and readers of the figures `langkah stats --json` gives for it."""

from __future__ import annotations

import json
from pathlib import Path

from bench.synth import write_cycle
from langkah.store.tinydb_store import TinyDBStore
from tests.analytics.support import DAWARBLANDONG, EXAMPLE_NOW, Log, example_logs, run, wib
from tests.cli_support import _run


def seed(root: Path) -> Path:
    store = TinyDBStore(root)
    for log in example_logs():
        write_cycle(store, log)
    write_cycle(store, run(Log(DAWARBLANDONG, "dawar-1", "2026-T4", wib(1, 8, 0)), [(1, 8, 3)]))
    dawar = Log(DAWARBLANDONG, "dawar-2", "2026-T3", wib(1, 8, 0))
    write_cycle(store, run(dawar, [(1, 8, 30), (1, 9, 0)]))
    return root


def use_store(root: Path, monkeypatch) -> None:
    monkeypatch.setenv("LANGKAH_DATA_DIR", str(root))
    monkeypatch.setenv("LANGKAH_DEFS_DIR", str(root / "no-defs"))
    monkeypatch.setenv("LANGKAH_NOW", EXAMPLE_NOW.isoformat())
    monkeypatch.delenv("LANGKAH_LANG", raising=False)


def cli(capsys, *args: str, status: int = 0) -> tuple[str, str]:
    capsys.readouterr()
    code = _run(args)
    out, err = capsys.readouterr()
    assert code == status, (args, out, err)
    assert "Traceback" not in out + err
    return out, err


def stats_json(capsys, *filters: str) -> dict:
    out, _ = cli(capsys, "stats", "--json", *filters)
    return json.loads(out)


def figure(text: str) -> float | None:
    """A printed figure back as the JSON number: "157,5" -> 157.5, "60%" -> 60.0, "-" -> None."""
    text = text.strip().removesuffix("%")
    return None if text == "-" else float(text.replace(",", "."))
