"""The versions of cycle files the store keeps open (langkah/store/pins.py).

An action's rename must not free the version it replaces (the store holds that version open),
the replaced version must be let go once the new one is durable, each descriptor is closed
exactly once, and none leaks: not on a failed write, not past the limit, not after the store
is gone.
"""

from __future__ import annotations

import gc
import os
from pathlib import Path

import pytest

from langkah.store import atomic
from langkah.store.appended import RECORDS_BEFORE_WHOLE
from langkah.store.atomic import atomic_write, read_regular_keyed
from langkah.store.pins import Pins, settle
from tests.fault.conftest import open_app


def open_files(under: Path) -> list[str]:
    """What this process's descriptors point to under `under` (" (deleted)" for a version
    replaced or removed since)."""
    found = []
    for name in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{name}")
        except OSError:  # the descriptor of the listing itself, closed meanwhile
            continue
        if target.startswith(str(under)):
            found.append(target)
    return found


def closed_or_reused(fd: int, inode: int) -> bool:
    """`fd` no longer refers to the file with `inode` (closed, or its number used again)."""
    try:
        return os.fstat(fd).st_ino != inode
    except OSError:
        return True


def test_an_action_keeps_the_version_it_wrote_open(data_dir, app, cycles):
    path = data_dir / "cycles" / f"{cycles[0]}.json"
    app.note(cycles[0], "satu")
    pinned = app.store._pins.pinned(os.fspath(path))
    assert pinned is not None
    assert os.fstat(pinned).st_ino == os.stat(path).st_ino


def test_a_view_pins_nothing(data_dir, cycles):
    fresh = open_app(data_dir)  # has read nothing yet
    for cycle in cycles:
        fresh.open_cycle(cycle)  # a listing or a view: no write of it follows
        assert fresh.store._pins.pinned(str(data_dir / "cycles" / f"{cycle}.json")) is None


@pytest.mark.parametrize("viewed_first", [False, True])
def test_an_action_holds_the_version_it_replaces_open_across_the_rename(
    data_dir, cycles, viewed_first
):
    path = str(data_dir / "cycles" / f"{cycles[1]}.json")
    filler = open_app(data_dir)  # the next action writes the file whole (a rename)
    for i in range(RECORDS_BEFORE_WHOLE):
        filler.note(cycles[1], f"catatan {i}")
    del filler
    gc.collect()
    settle()
    fresh = open_app(data_dir)
    if viewed_first:  # read without a pin, kept in memory: the action pins it then
        fresh.open_cycle(cycles[1])
    fresh.note(cycles[1], "satu")
    # the version replaced is still open here (it waits to be closed on the thread), so the
    # rename only unlinked it
    assert f"{path} (deleted)" in open_files(data_dir / "cycles")
    settle()
    assert open_files(data_dir / "cycles") == [path]


def test_replaced_versions_are_let_go_and_nothing_else_stays_open(data_dir, app, cycles):
    for text in ("satu", "dua", "tiga"):
        for cycle in cycles:
            app.note(cycle, text)
    settle()
    held = open_files(data_dir / "cycles")
    assert not [name for name in held if name.endswith(" (deleted)")], held
    assert sorted(held) == sorted(str(data_dir / "cycles" / f"{c}.json") for c in cycles)


def test_an_action_after_another_writer_still_lets_the_old_version_go(data_dir, app, cycles):
    app.note(cycles[0], "a")
    other = open_app(data_dir)
    other.note(cycles[0], "b")
    app.note(cycles[0], "c")  # reads the other's version (pinned), replaces it
    del other
    gc.collect()
    settle()
    held = open_files(data_dir / "cycles")
    assert not [name for name in held if name.endswith(" (deleted)")], held
    assert held.count(str(data_dir / "cycles" / f"{cycles[0]}.json")) == 1


def test_the_store_lets_go_of_every_version_when_it_is_dropped(data_dir, cycles):
    app = open_app(data_dir)
    for cycle in cycles:
        app.note(cycle, "x")
    assert open_files(data_dir / "cycles")
    del app
    gc.collect()
    settle()
    assert open_files(data_dir / "cycles") == []


def test_no_more_than_the_limit_is_held(tmp_path):
    pins = Pins(limit=3)
    inodes = {}
    for i in range(5):
        path = tmp_path / f"f{i}"
        path.write_bytes(b"x")
        read_regular_keyed(path, pins=pins)
        inodes[i] = os.stat(path).st_ino
    settle()
    assert sorted(open_files(tmp_path)) == [str(tmp_path / f"f{i}") for i in (2, 3, 4)]
    assert pins.pinned(os.fspath(tmp_path / "f0")) is None
    pins.close()
    settle()
    assert open_files(tmp_path) == []


def test_a_write_replacing_a_pinned_version_lets_it_go_after_the_rename(tmp_path):
    path = tmp_path / "cycle.json"
    path.write_bytes(b"old")
    pins = Pins()
    read_regular_keyed(path, pins=pins)
    old = pins.pinned(os.fspath(path))
    assert old is not None
    old_inode = os.fstat(old).st_ino
    atomic_write(path, b"new", pins=pins)
    new = pins.pinned(os.fspath(path))
    assert new is not None and new != old
    assert os.fstat(new).st_ino == os.stat(path).st_ino != old_inode
    settle()
    assert closed_or_reused(old, old_inode)
    assert path.read_bytes() == b"new"
    pins.close()


@pytest.mark.parametrize("where", ["before_sync", "rename", "directory fsync"])
def test_a_failed_write_leaks_no_descriptor_and_keeps_the_old_pin(tmp_path, monkeypatch, where):
    path = tmp_path / "cycle.json"
    path.write_bytes(b"old")
    pins = Pins()
    read_regular_keyed(path, pins=pins)
    old = pins.pinned(os.fspath(path))
    settle()
    before = open_files(tmp_path)

    def fail(*args, **kwargs):
        raise OSError(5, "Input/output error")

    hook = None
    if where == "before_sync":
        hook = fail
    elif where == "rename":
        monkeypatch.setattr(atomic.os, "replace", fail)
    else:
        monkeypatch.setattr(atomic, "fsync_dir", fail)
    with pytest.raises(OSError):
        atomic_write(path, b"new", hook, pins=pins)
    monkeypatch.undo()
    settle()
    assert pins.pinned(os.fspath(path)) == old  # still the version it held
    after = open_files(tmp_path)
    if where == "directory fsync":  # renamed already: the old version is the one deleted
        assert sorted(after) == sorted(b.replace(str(path), f"{path} (deleted)") for b in before)
    else:
        assert after == before
    pins.close()


def test_descriptors_opened_meanwhile_are_never_closed_by_mistake(tmp_path):
    pins = Pins(limit=2)
    sentinel_path = tmp_path / "sentinel"
    sentinel_path.write_bytes(b"s")
    sentinels = []
    for i in range(40):
        path = tmp_path / f"f{i % 5}"
        atomic_write(path, b"%d" % i, pins=pins)
        if i % 4 == 0:
            pins.drop(os.fspath(tmp_path / f"f{(i + 1) % 5}"))
        sentinels.append(os.open(sentinel_path, os.O_RDONLY))
    settle()
    inode = os.stat(sentinel_path).st_ino
    try:
        assert all(os.fstat(fd).st_ino == inode for fd in sentinels)
    finally:
        for fd in sentinels:
            os.close(fd)
        pins.close()


def test_drafts_are_pinned_while_typed_and_let_go_when_cleared(data_dir, app, cycles):
    store = app.store
    path = data_dir / "drafts" / f"{cycles[0]}.json"
    for typed in ("a", "ab", "abc"):
        store.save_draft(cycles[0], {"values": {"x": typed}})
    pinned = store._pins.pinned(os.fspath(path))
    assert pinned is not None and os.fstat(pinned).st_ino == os.stat(path).st_ino
    assert store.load_draft(cycles[0]) == {"values": {"x": "abc"}}
    store.clear_draft(cycles[0])
    settle()
    assert store._pins.pinned(os.fspath(path)) is None
    assert open_files(data_dir / "drafts") == []


def test_pinning_a_version_that_was_replaced_meanwhile_pins_nothing(tmp_path):
    from langkah.store.atomic import pin_current

    path = tmp_path / "cycle.json"
    path.write_bytes(b"v1")
    seen = os.stat(path).st_ino  # what the store kept in memory
    replacement = tmp_path / "other"
    replacement.write_bytes(b"v2")
    os.replace(replacement, path)  # another writer's version since
    pins = Pins()
    pin_current(path, seen, pins)
    assert pins.pinned(os.fspath(path)) is None
    assert open_files(tmp_path) == []  # the descriptor it opened to look is closed
    pin_current(path, os.stat(path).st_ino, pins)  # the version as it is: pinned
    assert os.fstat(pins.pinned(os.fspath(path))).st_ino == os.stat(path).st_ino
    pins.close()
    settle()
    assert open_files(tmp_path) == []
