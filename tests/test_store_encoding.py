"""The store's JSON: the fast encoder writes what `json.dumps` would, and an appended file is
still a TinyDB database with the ids TinyDB itself would give."""

from __future__ import annotations

import datetime as dt
import json

from tinydb import TinyDB

from langkah.service import Langkah
from langkah.store.tinydb_storage import dump_json

NOW = dt.datetime(2026, 11, 20, 3, 0, tzinfo=dt.UTC)


def test_dump_json_writes_what_json_dumps_writes():
    doc = {
        "text": "é ‮ \x1b[2J \x00 \u2028 emoji 🙂",
        "numbers": [0, -1, 10**30, 1.5, 1e16, float("nan")],
        "nested": {"a": [True, False, None], "b": {}},
    }
    expected = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    assert dump_json(doc) == expected


def test_dump_json_escapes_lone_surrogates_and_reads_back_exactly():
    doc = {"note": "undecodable \udcff byte"}
    raw = dump_json(doc)
    raw.decode("utf-8")  # valid UTF-8
    assert json.loads(raw) == doc


def test_an_appended_cycle_file_is_a_tinydb_database(tmp_path):
    app = Langkah.open(tmp_path / "data", tmp_path / "no-defs", clock=lambda: NOW)
    cycle = app.start("dawarblandong", "2026-T3").state.cycle_id
    app.note(cycle, "satu")
    app.note(cycle, "dua")
    db = TinyDB(tmp_path / "data" / "cycles" / f"{cycle}.json")
    events = db.table("events")
    assert [doc.doc_id for doc in events.all()] == [1, 2, 3]
    assert [doc["seq"] for doc in events.all()] == [1, 2, 3]
    assert db.table("cycle").get(doc_id=1)["version"] == 3
    assert events.insert({"probe": True}) == 4  # TinyDB's own next id follows on
