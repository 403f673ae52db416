"""The TinyDB overview index is disposable and self-correcting: whatever happened to it, a query
answers as the cycle files say (tests/store/test_query.py checks the answers themselves)."""

from __future__ import annotations

import datetime as dt
import json
import random

import pytest

from langkah.store import SummaryQuery
from langkah.store.tinydb_store import TinyDBStore
from tests.store.test_query import NOW, fill, oracle

Q = SummaryQuery(now=NOW)


def ids(store: TinyDBStore, query: SummaryQuery = Q) -> list[str]:
    return [s["cycle_id"] for s in store.query_summaries(query).summaries]


@pytest.fixture
def filled(tmp_path):
    root = tmp_path / "data"
    store = TinyDBStore(root)
    stored = fill(store, 30, 11)
    assert ids(TinyDBStore(root)) == oracle(stored, Q)
    return root, store, stored


def test_a_deleted_index_is_rebuilt(filled):
    root, _, stored = filled
    for path in (root / "overview-index").iterdir():
        if path.is_file():
            path.unlink()
    assert ids(TinyDBStore(root)) == oracle(stored, Q)
    assert (root / "overview-index" / "base.json").is_file()


@pytest.mark.parametrize("damage", ["torn", "edited", "garbage journal"])
def test_a_broken_index_is_rebuilt(filled, damage):
    root, _, stored = filled
    base = root / "overview-index" / "base.json"
    raw = base.read_bytes()
    if damage == "torn":
        base.write_bytes(raw[: len(raw) // 2])
    elif damage == "edited":  # a row changed by hand: the checksum no longer matches
        base.write_bytes(raw.replace(b'"active"', b'"finished"', 1))
    else:
        first = oracle(stored, Q)[0]  # a line of the right length, with a text for a time
        bad = [first, 1, 2, 3, 0, "s", "k", "p", "active", 1, None, "soon", "", None]
        path = ["../../etc/passwd", 1, 2, 3, 0, "s", "k", "p", "active", 1, None, 1.0, "", None]
        lines = [json.dumps([bad, 1]), json.dumps([path, 1]), '[["x"],1]', "{not json"]
        journal = root / "overview-index" / "journal"
        journal.write_text("\n".join(lines) + "\n")
    assert ids(TinyDBStore(root)) == oracle(stored, Q)


def test_a_writer_killed_between_the_cycle_write_and_its_index_line(filled, monkeypatch):
    root, store, stored = filled
    reader = TinyDBStore(root)
    assert ids(reader)  # the reader has the index in memory
    last = ids(reader)[-1]
    monkeypatch.setattr(store.index, "written", lambda row: None)  # killed before the line
    late = {**stored[last], "status": "active", "timed": True}
    late["due_at"] = (NOW - dt.timedelta(days=40)).isoformat()
    version = store.load(last).version
    store.append(last, version, [_note(version + 1)], late)
    stored[last] = late
    assert (root / "overview-index" / "pending" / last).exists()  # what names the cycle
    assert ids(reader)[0] == last
    assert ids(TinyDBStore(root)) == oracle(stored, Q)
    assert not (root / "overview-index" / "pending" / last).exists()  # settled, once


def test_a_cycle_file_edited_in_place_by_hand(filled):
    root, _, stored = filled
    reader = TinyDBStore(root)
    first = ids(reader)[0]
    path = root / "cycles" / f"{first}.json"
    data = json.loads(path.read_text())
    data["cycle"]["1"]["summary"]["status"] = "cancelled"  # written in place, same inode
    with open(path, "r+") as handle:
        handle.write(json.dumps(data))
        handle.truncate()
    stored[first] = {**stored[first], "status": "cancelled"}
    fresh = TinyDBStore(root)
    assert ids(fresh, SummaryQuery(now=NOW, limit=5)) == oracle(stored, Q)[:5]
    assert first not in ids(fresh, SummaryQuery(now=NOW, status="open"))


def test_a_cycle_file_removed_or_copied_in_by_hand(filled, tmp_path):
    root, _, stored = filled
    gone = random.Random(1).choice(sorted(stored))
    (root / "cycles" / f"{gone}.json").unlink()
    del stored[gone]
    assert ids(TinyDBStore(root)) == oracle(stored, Q)
    other = TinyDBStore(tmp_path / "other")
    extra = fill(other, 3, 12)
    for cycle_id in extra:
        name = f"{cycle_id}.json"
        (root / "cycles" / name).write_bytes((tmp_path / "other" / "cycles" / name).read_bytes())
    stored.update(extra)
    assert ids(TinyDBStore(root)) == oracle(stored, Q)


def test_a_page_reads_only_its_own_cycle_files(filled, monkeypatch):
    root, _, stored = filled
    reader = TinyDBStore(root)
    reader.query_summaries(Q)  # the index is current
    read = []
    original = TinyDBStore._read_raw

    def counting(self, path):
        read.append(path.stem)
        return original(self, path)

    monkeypatch.setattr(TinyDBStore, "_read_raw", counting)
    page = TinyDBStore(root).query_summaries(SummaryQuery(now=NOW, limit=4))
    assert sorted(read) == sorted(s["cycle_id"] for s in page.summaries)
    assert page.total == len(stored)


def _note(seq: int):
    from tests.store.test_contract import event

    return event(seq)


def test_a_journal_removed_under_a_running_writer_is_opened_again(filled):
    root, store, stored = filled
    journal = root / "overview-index" / "journal"
    cycle_id = sorted(stored)[0]
    version = store.load(cycle_id).version
    store.append(cycle_id, version, [_note(version + 1)], stored[cycle_id])
    journal.unlink()  # the writer keeps the journal open between writes
    store.append(cycle_id, version + 1, [_note(version + 2)], stored[cycle_id])
    assert cycle_id in journal.read_text()
