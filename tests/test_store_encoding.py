"""The store's JSON: the fast encoder writes what `json.dumps` would, and a cycle file, its
records merged, is a TinyDB database with the ids TinyDB itself would give."""

from __future__ import annotations

import datetime as dt
import json

from tinydb import TinyDB

from langkah.service import Langkah
from langkah.store.appended import RECORDS_BEFORE_WHOLE, RS, read_cycle_document
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


def _cycle_file(tmp_path, cycle):
    return tmp_path / "data" / "cycles" / f"{cycle}.json"


def test_a_cycle_file_is_a_tinydb_database_with_records_merged(tmp_path):
    """Merged, the records give the document TinyDB itself would hold (its ids, its next id);
    once written whole, the file is that TinyDB database again."""
    app = Langkah.open(tmp_path / "data", tmp_path / "no-defs", clock=lambda: NOW)
    cycle = app.start("dawarblandong", "2026-T3").state.cycle_id
    app.note(cycle, "satu")
    app.note(cycle, "dua")
    path = _cycle_file(tmp_path, cycle)
    assert path.read_bytes().count(RS) == 2
    copy = tmp_path / "merged.json"
    copy.write_bytes(dump_json(read_cycle_document(path)))
    db = TinyDB(copy)
    events = db.table("events")
    assert [doc.doc_id for doc in events.all()] == [1, 2, 3]
    assert [doc["seq"] for doc in events.all()] == [1, 2, 3]
    assert db.table("cycle").get(doc_id=1)["version"] == 3
    assert events.insert({"probe": True}) == 4  # TinyDB's own next id follows on
    for i in range(RECORDS_BEFORE_WHOLE - 1):
        app.note(cycle, f"lagi {i}")
    assert RS not in path.read_bytes()  # written whole
    events = TinyDB(path).table("events")
    assert [doc.doc_id for doc in events.all()] == list(range(1, RECORDS_BEFORE_WHOLE + 3))


def test_records_only_add_bytes_and_a_whole_write_encodes_the_merged_document(tmp_path):
    """An action adds its record after the bytes already there (never changing one of them);
    the action that writes the file whole writes exactly what encoding the merged document
    gives: after a create, after its own appends, and after a file another store object
    wrote."""
    app = Langkah.open(tmp_path / "data", tmp_path / "no-defs", clock=lambda: NOW)
    cycle = app.start("dawarblandong", "2026-T3").state.cycle_id
    path = _cycle_file(tmp_path, cycle)
    texts = ["satu", 'dua, "kutip" é 🙂']
    before = path.read_bytes()
    for text in texts:
        app.note(cycle, text)
        after = path.read_bytes()
        assert after.startswith(before) and after.endswith(b"\n") and len(after) > len(before)
        before = after
        # merged, the records give the very document the writer holds (header, summary, log)
        assert read_cycle_document(path) == app.store._known[path].data
    other = Langkah.open(tmp_path / "data", tmp_path / "no-defs", clock=lambda: NOW)
    while path.read_bytes().count(RS) < RECORDS_BEFORE_WHOLE:
        texts.append(f"tiga {len(texts)}")
        other.note(cycle, texts[-1])  # a file this store object read, not wrote
    merged = read_cycle_document(path)
    app.note(cycle, "empat")  # written whole, by the store object that did not write last
    data = read_cycle_document(path)
    assert path.read_bytes() == dump_json(data)
    assert data["cycle"] == {"1": data["cycle"]["1"]} and list(data["events"])[:-1] == list(
        merged["events"]
    )
    assert list(data["events"]) == [str(i) for i in range(1, len(texts) + 3)]
    assert [e["data"].get("text") for e in data["events"].values()][1:] == [*texts, "empat"]
    assert app.verify(cycle).problems == []


def test_a_file_laid_out_otherwise_gets_records_after_it_and_stays_readable(tmp_path):
    app = Langkah.open(tmp_path / "data", tmp_path / "no-defs", clock=lambda: NOW)
    cycle = app.start("dawarblandong", "2026-T3").state.cycle_id
    path = _cycle_file(tmp_path, cycle)
    data = read_cycle_document(path)
    tidy = (json.dumps(data, indent=2) + "\n").encode("utf-8")  # a hand-tidied file
    path.write_bytes(tidy)
    other = Langkah.open(tmp_path / "data", tmp_path / "no-defs", clock=lambda: NOW)
    other.note(cycle, "setelah dirapikan")
    assert path.read_bytes().startswith(tidy + RS)
    assert other.verify(cycle).problems == []
    assert len(Langkah.open(tmp_path / "data", tmp_path / "no-defs").events(cycle)) == 2


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
