"""The TinyDB overview index is disposable and self-correcting: whatever happened to it, a query
answers as the cycle files say (tests/store/test_query.py checks the answers themselves)."""

from __future__ import annotations

import datetime as dt
import json
import random

import pytest

from langkah.store import SummaryQuery
from langkah.store.appended import read_cycle_document
from langkah.store.tinydb_index import FORMAT
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
    monkeypatch.setattr(store.index, "written_held", lambda line: store.index.let_go())  # killed
    late = {**stored[last], "status": "active", "timed": True}
    late["due_at"] = (NOW - dt.timedelta(days=40)).isoformat()
    version = store.load(last).version
    store.append(last, version, [_note(version + 1)], late)
    stored[last] = late
    assert last in store.index.load().pending  # what names the cycle
    assert ids(reader)[0] == last
    assert ids(TinyDBStore(root)) == oracle(stored, Q)
    assert last not in store.index.load().pending  # settled, once


def test_a_cycle_file_edited_in_place_by_hand(filled):
    root, _, stored = filled
    reader = TinyDBStore(root)
    first = ids(reader)[0]
    path = root / "cycles" / f"{first}.json"
    data = read_cycle_document(path)
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


def test_a_fold_keeps_a_cycle_a_writer_named_but_has_not_written(filled, monkeypatch):
    """A writer names its cycle ("b"), a reader folds the journal meanwhile, the writer replaces
    the file and is killed before its row, and another writer's later row makes the folder's
    token current again: the cycle must still be read again (the fold kept it pending)."""
    root, store, stored = filled
    last = ids(store)[-1]
    late = {**stored[last], "status": "active", "timed": True}
    late["due_at"] = (NOW - dt.timedelta(days=40)).isoformat()
    version = store.load(last).version
    with store.exclusive(last):
        store.index.begin(last)  # the writer names the cycle ...
        TinyDBStore(root)._indexed(full=True)  # ... a reader folds the journal meanwhile ...
        meta = json.loads((root / "overview-index" / "base.json").read_bytes().split(b"\n")[0])
        assert meta["pending"] == [last]
        with monkeypatch.context() as patched:  # ... and the writer dies after its file
            patched.setattr(store.index, "begin_holding", lambda cycle_id: None)  # (named above)
            patched.setattr(store.index, "written_held", lambda line: None)
            store.append(last, version, [_note(version + 1)], late)
    stored[last] = late
    other = TinyDBStore(root)  # another writer, later: its row carries the newest token
    first = ids(other)[0]
    assert first == last  # read again, now overdue
    other_id = next(c for c in sorted(stored) if c != last)
    other_version = other.load(other_id).version
    other.append(other_id, other_version, [_note(other_version + 1)], stored[other_id])
    assert ids(TinyDBStore(root)) == oracle(stored, Q)
    assert not TinyDBStore(root).index.load().pending  # settled once no writer holds it


def test_a_pending_cycle_whose_file_is_gone_is_ended(filled):
    root, store, stored = filled
    gone = sorted(stored)[3]
    store.index.begin(gone)
    (root / "cycles" / f"{gone}.json").unlink()
    del stored[gone]
    assert ids(TinyDBStore(root)) == oracle(stored, Q)
    assert not store.index.load().pending


def test_an_older_index_with_pending_markers_is_rebuilt_and_they_go(filled):
    root, _, stored = filled
    index_dir = root / "overview-index"
    base = index_dir / "base.json"
    meta_line, _, body = base.read_bytes().partition(b"\n")
    meta = {**json.loads(meta_line), "format": 3}  # what Langkah wrote before format 4
    base.write_bytes(json.dumps(meta).encode() + b"\n" + body)
    (index_dir / "pending").mkdir()
    (index_dir / "pending" / sorted(stored)[0]).touch()
    assert ids(TinyDBStore(root)) == oracle(stored, Q)
    assert not (index_dir / "pending").exists()
    assert json.loads(base.read_bytes().split(b"\n")[0])["format"] == FORMAT  # rebuilt


@pytest.mark.parametrize("name", ["journal", "base.json"])
def test_a_fifo_in_place_of_an_index_file_never_hangs_a_reader_or_a_writer(filled, name):
    """Special files put where the index keeps its own: read as no index (every file checked),
    never opened for reading; a writer's line is refused and the cycle is read again."""
    import os
    import signal

    root, store, stored = filled
    path = root / "overview-index" / name
    path.unlink(missing_ok=True)
    os.mkfifo(path)
    signal.alarm(20)  # a hang fails the test instead of the run
    try:
        fresh = TinyDBStore(root)
        assert ids(fresh) == oracle(stored, Q)
        cycle_id = sorted(stored)[0]
        version = fresh.load(cycle_id).version
        fresh.append(cycle_id, version, [_note(version + 1)], stored[cycle_id])
        assert ids(TinyDBStore(root)) == oracle(stored, Q)
        token = fresh.changes_since(None).token
        assert fresh.changes_since(token).cycle_ids in (None, frozenset())
    finally:
        signal.alarm(0)


def test_an_append_writes_its_row_as_the_row_of_the_file_it_wrote(filled):
    """The row is encoded before the cycle file's fsync, with the key read then: the line is
    `[row, token]` as `dump_json` writes it, the row that of the file as it is now."""
    from langkah.store.tinydb_index import summary_row
    from langkah.store.tinydb_storage import dump_json

    root, store, stored = filled
    cycle_id = sorted(stored)[1]
    version = store.load(cycle_id).version
    store.append(cycle_id, version, [_note(version + 1)], stored[cycle_id])
    row, token = line = json.loads(
        (root / "overview-index" / "journal").read_bytes().splitlines()[-1]
    )
    st = (root / "cycles" / f"{cycle_id}.json").stat()
    summary = store.load(cycle_id).summary
    assert row == summary_row(cycle_id, (st.st_ino, st.st_mtime_ns, st.st_size), summary, True)
    assert token == (root / "cycles").stat().st_mtime_ns
    journal = (root / "overview-index" / "journal").read_bytes().splitlines()[-1]
    assert journal == dump_json(line)
