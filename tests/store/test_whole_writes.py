"""The embedded store writing a cycle file whole after reading it from disk (a store object
that did not write it): the file's event members are reused byte for byte only when the file
has the layout the store writes, and the result is exactly the document encoded again. And a
stored event the log's schema refuses is named as damage, not raised as a validation error."""

from __future__ import annotations

import json

import pytest

from langkah.store import DamagedStoreError
from langkah.store.appended import RS, read_cycle_document
from langkah.store.tinydb_storage import dump_json
from langkah.store.tinydb_store import TinyDBStore
from tests.store.test_contract import create, event, summary

CYCLE = "kalipare-2026-t3-aaaaaa"


def test_a_fresh_store_writes_a_file_it_read_whole_as_the_document_encoded_again(tmp_path):
    create(TinyDBStore(tmp_path), CYCLE)
    path = tmp_path / "cycles" / f"{CYCLE}.json"
    assert RS not in path.read_bytes()
    fresh = TinyDBStore(tmp_path)  # reads the file from disk: nothing of it in memory
    fresh.load(CYCLE)
    # a summary key that was not there: the file is written whole, not appended to
    fresh.append(CYCLE, 1, [event(2, text="dua")], summary(CYCLE, 2, paused=True))
    raw = path.read_bytes()
    assert RS not in raw
    document = json.loads(raw)
    assert raw == dump_json(document)
    assert [e["seq"] for e in document["events"].values()] == [1, 2]
    record = TinyDBStore(tmp_path).load(CYCLE)
    assert [e.seq for e in record.events] == [1, 2] and record.integrity is None
    assert record.summary["paused"] is True


def test_a_file_laid_out_otherwise_is_encoded_again_not_reused(tmp_path):
    create(TinyDBStore(tmp_path), CYCLE)
    path = tmp_path / "cycles" / f"{CYCLE}.json"
    path.write_text(json.dumps(read_cycle_document(path), indent=2))  # a hand's pretty print
    fresh = TinyDBStore(tmp_path)
    fresh.append(CYCLE, 1, [event(2, text="dua")], summary(CYCLE, 2, paused=True))
    raw = path.read_bytes()
    assert raw == dump_json(json.loads(raw))  # compact again, every event kept
    assert [e.seq for e in TinyDBStore(tmp_path).load(CYCLE).events] == [1, 2]


@pytest.mark.parametrize(
    "change",
    [{"seq": "dua"}, {"at": "kemarin"}, {"type": "hilang"}, {"data": ["bukan", "objek"]}],
    ids=["seq-text", "at-words", "unknown-type", "data-list"],
)
def test_an_event_the_schema_refuses_is_named_as_damage(tmp_path, change):
    store = TinyDBStore(tmp_path)
    create(store, CYCLE)
    store.append(CYCLE, 1, [event(2, text="dua")], summary(CYCLE, 2))
    path = tmp_path / "cycles" / f"{CYCLE}.json"
    document = read_cycle_document(path)
    document["events"]["2"].update(change)
    path.write_bytes(dump_json(document))
    with pytest.raises(DamagedStoreError) as caught:
        TinyDBStore(tmp_path).load(CYCLE)
    assert f"{CYCLE}.json" in str(caught.value)
