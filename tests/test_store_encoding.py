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


def _cycle_file(tmp_path, cycle):
    return tmp_path / "data" / "cycles" / f"{cycle}.json"


def test_an_append_writes_the_bytes_the_whole_document_encodes_to(tmp_path):
    """`append` writes the events already stored as they are and encodes only the new ones and
    the header: the file must be exactly what encoding the whole document gives, after a
    create, after its own append, and after a file read by another store object."""
    app = Langkah.open(tmp_path / "data", tmp_path / "no-defs", clock=lambda: NOW)
    cycle = app.start("dawarblandong", "2026-T3").state.cycle_id
    path = _cycle_file(tmp_path, cycle)
    app.note(cycle, "satu")  # after the store's own create
    app.note(cycle, 'dua, "kutip" é 🙂')
    for _ in range(2):
        assert path.read_bytes() == dump_json(json.loads(path.read_bytes()))
        other = Langkah.open(tmp_path / "data", tmp_path / "no-defs", clock=lambda: NOW)
        other.note(cycle, "tiga")  # a file this store object read, not wrote
    data = json.loads(path.read_bytes())
    assert path.read_bytes() == dump_json(data)
    assert list(data["events"]) == [str(i) for i in range(1, 6)]
    assert [e["data"].get("text") for e in data["events"].values()][1:] == [
        "satu",
        'dua, "kutip" é 🙂',
        "tiga",
        "tiga",
    ]
    assert app.verify(cycle).problems == []


def test_a_file_laid_out_otherwise_is_encoded_whole_and_stays_readable(tmp_path):
    app = Langkah.open(tmp_path / "data", tmp_path / "no-defs", clock=lambda: NOW)
    cycle = app.start("dawarblandong", "2026-T3").state.cycle_id
    path = _cycle_file(tmp_path, cycle)
    data = json.loads(path.read_bytes())
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")  # a hand-tidied file
    other = Langkah.open(tmp_path / "data", tmp_path / "no-defs", clock=lambda: NOW)
    other.note(cycle, "setelah dirapikan")
    assert path.read_bytes() == dump_json(json.loads(path.read_bytes()))
    assert other.verify(cycle).problems == []
    assert len(other.events(cycle)) == 2


def test_an_undecodable_note_appended_after_readable_ones_reads_back_exactly(tmp_path):
    app = Langkah.open(tmp_path / "data", tmp_path / "no-defs", clock=lambda: NOW)
    cycle = app.start("dawarblandong", "2026-T3").state.cycle_id
    app.note(cycle, "é biasa")
    app.note(cycle, "undecodable \udcff byte")
    app.note(cycle, "sesudahnya é")
    raw = _cycle_file(tmp_path, cycle).read_bytes()
    raw.decode("utf-8")  # valid UTF-8: only the undecodable event is written with escapes
    other = Langkah.open(tmp_path / "data", tmp_path / "no-defs", clock=lambda: NOW)
    texts = [e.data.get("text") for e in other.events(cycle)][1:]
    assert texts == ["é biasa", "undecodable \udcff byte", "sesudahnya é"]
    assert other.verify(cycle).problems == []
