"""Durable writes: the new bytes are fsynced before the rename, the directory after it.

Without the directory fsync a power cut after `append` returned can bring back the old file
(the rename lives in the directory, not in the file). The calls are recorded by wrapping
os.open / os.fsync / os.replace / os.rename, so this holds however the store writes.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from langkah.store.appended import RECORDS_BEFORE_WHOLE
from langkah.store.atomic import atomic_write
from langkah.store.tinydb_store import TinyDBStore
from tests.store.test_contract import create, event, summary


@pytest.fixture
def calls(monkeypatch):
    record: list[tuple[str, Path | None]] = []
    paths: dict[int, Path] = {}
    real_open, real_fsync, real_datasync, real_write = os.open, os.fsync, os.fdatasync, os.write
    real_replace, real_rename = os.replace, os.rename

    def spy_open(path, flags, *args, **kwargs):
        fd = real_open(path, flags, *args, **kwargs)
        paths[fd] = Path(os.fsdecode(path)).resolve()
        return fd

    def spy_fsync(fd):
        record.append(("fsync", paths.get(fd)))
        return real_fsync(fd)

    def spy_datasync(fd):
        record.append(("fdatasync", paths.get(fd)))
        return real_datasync(fd)

    def spy_write(fd, data):
        if fd in paths:
            record.append(("write", paths[fd]))
        return real_write(fd, data)

    def spy_move(real):
        def move(src, dst, *args, **kwargs):
            result = real(src, dst, *args, **kwargs)
            record.append(("rename", Path(os.fsdecode(dst)).resolve()))
            return result

        return move

    monkeypatch.setattr(os, "open", spy_open)
    monkeypatch.setattr(os, "fsync", spy_fsync)
    monkeypatch.setattr(os, "fdatasync", spy_datasync)
    monkeypatch.setattr(os, "write", spy_write)
    monkeypatch.setattr(os, "replace", spy_move(real_replace))
    monkeypatch.setattr(os, "rename", spy_move(real_rename))
    return record


def assert_durable(calls: list[tuple[str, Path | None]], target: Path) -> None:
    target = target.resolve()
    renames = [i for i, call in enumerate(calls) if call == ("rename", target)]
    assert renames, f"{target} was not replaced by rename: {calls}"
    last = renames[-1]
    before, after = calls[:last], calls[last + 1 :]
    assert any(kind == "fsync" and p is not None and p != target.parent for kind, p in before), (
        "the new bytes were not fsynced before the rename"
    )
    assert ("fsync", target.parent) in after, "the directory was not fsynced after the rename"


def test_atomic_write(tmp_path, calls):
    atomic_write(tmp_path / "file.json", b"{}")
    assert_durable(calls, tmp_path / "file.json")


@pytest.fixture
def store(tmp_path):
    store = TinyDBStore(tmp_path / "data")
    create(store, "c-1")
    return store


def test_append(store, tmp_path, calls):
    """An action appends its record to the cycle file and fdatasyncs it: no new file, no
    rename (docs/store-format.md, "Appended records")."""
    store.append("c-1", 1, [event(2)], summary("c-1", 2))
    target = (tmp_path / "data" / "cycles" / "c-1.json").resolve()
    writes = [i for i, call in enumerate(calls) if call == ("write", target)]
    assert writes, f"nothing was written to {target}: {calls}"
    assert ("fdatasync", target) in calls[writes[-1] + 1 :], "the record was not fdatasynced"
    assert not [call for call in calls if call[0] == "rename"], calls


def test_an_append_that_writes_the_file_whole(store, tmp_path, calls):
    for version in range(1, RECORDS_BEFORE_WHOLE + 1):
        store.append("c-1", version, [event(version + 1)], summary("c-1", version + 1))
    calls.clear()
    store.append("c-1", version + 1, [event(version + 2)], summary("c-1", version + 2))
    assert_durable(calls, tmp_path / "data" / "cycles" / "c-1.json")


def test_create(store, tmp_path, calls):
    create(store, "c-2")
    assert_durable(calls, tmp_path / "data" / "cycles" / "c-2.json")


def test_draft(store, tmp_path, calls):
    store.save_draft("c-1", {"step": 1, "values": {}})
    assert_durable(calls, tmp_path / "data" / "drafts" / "c-1.json")


def test_definition(store, tmp_path, calls):
    store.put_definition("b" * 64, "[sop]\n")
    assert_durable(calls, tmp_path / "data" / "definitions" / f"{'b' * 64}.toml")


def test_atomic_write_gives_its_key_before_the_fsync(tmp_path, calls):
    """`before_sync` gets the key a later stat reports, and runs before the temp's fsync."""
    target = tmp_path / "file.json"
    target.write_bytes(b"old")
    seen = []

    def before_sync(key):
        seen.append(key)
        calls.append(("before_sync", None))

    key = atomic_write(target, b'{"new": 1}', before_sync)
    st = os.stat(target)
    assert seen == [key] == [(st.st_ino, st.st_mtime_ns, st.st_size)]
    kinds = [kind for kind, _ in calls]
    assert kinds.index("before_sync") < kinds.index("fsync")
    assert_durable(calls, target)


def test_atomic_write_failing_before_the_fsync_leaves_the_old_file(tmp_path):
    target = tmp_path / "file.json"
    target.write_bytes(b"old")

    def before_sync(key):
        raise RuntimeError("no")

    with pytest.raises(RuntimeError):
        atomic_write(target, b"new", before_sync)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.json"]  # no temp left
