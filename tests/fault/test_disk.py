"""A full disk and a read-only data folder: a clear message, the previous state intact, and
the app still opens and lists the cycles."""

from __future__ import annotations

import errno
import os

import pytest

from langkah.store import StoreError
from langkah.store import atomic as atomic_module
from langkah.store.appended import RECORDS_BEFORE_WHOLE
from tests.fault.conftest import note_texts, open_app, temp_files


def snapshot(data_dir):
    return {p: p.read_bytes() for p in (data_dir / "cycles").iterdir()}


def failing(code: int):
    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    return fail


@pytest.mark.parametrize(
    ("target", "code", "words", "whole"),
    [
        # an action appends its record to the cycle file (write, fdatasync) ...
        ("write", errno.ENOSPC, "disk is full", False),
        ("fdatasync", errno.ENOSPC, "disk is full", False),
        ("fdatasync", errno.EIO, "nothing was saved", False),
        # ... or, once the file holds RECORDS_BEFORE_WHOLE records, writes it whole
        ("write", errno.ENOSPC, "disk is full", True),
        ("fsync", errno.ENOSPC, "disk is full", True),
        ("replace", errno.ENOSPC, "disk is full", True),
        ("fsync", errno.EIO, "nothing was saved", True),
        ("replace", errno.EROFS, "not writable", True),
        ("replace", errno.EACCES, "not writable", True),
    ],
)
def test_a_failed_write_says_why_and_changes_nothing(
    data_dir, app, cycles, monkeypatch, target, code, words, whole
):
    earlier = [f"sebelum {i}" for i in range(RECORDS_BEFORE_WHOLE - 1 if whole else 0)]
    for text in earlier:
        app.note(cycles[0], text)
    app.note(cycles[0], "sebelum")
    before = snapshot(data_dir)
    monkeypatch.setattr(atomic_module.os, target, failing(code))
    with pytest.raises(StoreError) as refused:
        app.note(cycles[0], "tidak tersimpan")
    monkeypatch.undo()
    message = str(refused.value)
    assert words in message and "Traceback" not in message
    # and in Bahasa Indonesia, the app's language, with no English word of the system's
    said = refused.value.text.message("id")
    assert "tidak ada yang disimpan" in said and str(data_dir) in said
    assert os.strerror(code) not in said
    assert str(data_dir) in message  # names where
    assert snapshot(data_dir) == before
    assert temp_files(data_dir) == []
    fresh = open_app(data_dir)
    assert note_texts(fresh, cycles[0]) == [*earlier, "sebelum"]
    assert sorted(r.cycle_id for r in fresh.overview().rows) == sorted(cycles)
    monkeypatch.setattr(atomic_module.os, target, failing(code))  # and the same in a new process
    with pytest.raises(StoreError):
        fresh.note(cycles[0], "tidak tersimpan")
    monkeypatch.undo()
    assert snapshot(data_dir) == before
    fresh.note(cycles[0], "sesudah")  # the next action, once the disk is back, is written
    assert note_texts(open_app(data_dir), cycles[0]) == [*earlier, "sebelum", "sesudah"]


def test_a_full_disk_while_starting_a_cycle_leaves_no_half_cycle(
    data_dir, app, cycles, monkeypatch
):
    before = snapshot(data_dir)
    monkeypatch.setattr(atomic_module.os, "fsync", failing(errno.ENOSPC))
    with pytest.raises(StoreError, match="disk is full"):
        app.start("mentebah", "2026-T3")
    monkeypatch.undo()
    assert snapshot(data_dir) == before
    assert temp_files(data_dir) == []


def test_a_read_only_folder_is_refused_up_front_and_still_listed(
    data_dir, app, cycles, monkeypatch
):
    before = snapshot(data_dir)
    real_access = os.access

    def access(path, mode, *args, **kwargs):
        if mode & os.W_OK and str(path).startswith(str(data_dir)):
            return False
        return real_access(path, mode, *args, **kwargs)

    monkeypatch.setattr(os, "access", access)
    fresh = open_app(data_dir)
    assert fresh.store.read_only
    overview = fresh.overview()
    assert sorted(r.cycle_id for r in overview.rows) == sorted(cycles)
    assert fresh.open_cycle(cycles[0]).version == 1
    with pytest.raises(StoreError, match="read-only; nothing was saved"):
        fresh.note(cycles[0], "tidak boleh")
    with pytest.raises(StoreError, match="read-only"):
        fresh.start("kalipare", "2026-T4")
    assert fresh.store.cleanup() == 0
    assert snapshot(data_dir) == before


def test_a_read_only_folder_through_the_cli(data_dir, app, cycles, monkeypatch, capsys):
    from langkah.cli.main import main

    monkeypatch.setenv("LANGKAH_DATA_DIR", str(data_dir))
    real_access = os.access
    monkeypatch.setattr(
        os,
        "access",
        lambda path, mode, *a, **k: (
            False
            if mode & os.W_OK and str(path).startswith(str(data_dir))
            else real_access(path, mode, *a, **k)
        ),
    )
    assert main(["note", cycles[0], "halo"]) == 1
    err = capsys.readouterr().err
    assert "folder data hanya-baca; tidak ada yang disimpan" in err and "Traceback" not in err
    assert main(["status"]) == 0
    out = capsys.readouterr().out
    assert all(c in out for c in cycles)
