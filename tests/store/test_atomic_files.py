"""langkah/store/atomic.py at its edges: the size limit to the byte, the mode a written file
gets, a folder that is a file, a version to pin that is already gone."""

from __future__ import annotations

import os

import pytest

from langkah.store.atomic import (
    UnreadableFile,
    atomic_write,
    orphan_temps,
    pin_current,
    read_regular,
    read_regular_keyed,
)
from langkah.store.pins import Pins


@pytest.mark.parametrize("size", [0, 1, 4096, 70_000, 300_000])
def test_a_file_of_exactly_the_limit_is_read_and_one_byte_more_is_refused(tmp_path, size):
    path = tmp_path / "c.json"
    data = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    path.write_bytes(data)
    assert read_regular(path, limit=size) == data
    raw, st = read_regular_keyed(path, limit=size + 10)
    assert raw == data and st.st_size == size
    if size:
        with pytest.raises(UnreadableFile) as caught:
            read_regular(path, limit=size - 1)
        assert not caught.value.repairable  # named and left alone, never rebuilt


def test_a_written_file_is_readable_by_all_and_writable_by_its_owner(tmp_path):
    old = os.umask(0o022)
    try:
        path = tmp_path / "c.json"
        atomic_write(path, b"{}")
        assert oct(path.stat().st_mode & 0o777) == oct(0o644)
        assert orphan_temps(tmp_path) == []
    finally:
        os.umask(old)


def test_temp_files_of_a_folder_that_is_a_file_or_gone_are_none(tmp_path):
    (tmp_path / "cycles").write_text("not a folder")
    assert orphan_temps(tmp_path / "cycles") == []
    assert orphan_temps(tmp_path / "gone") == []
    for name in (".c.json.1.abcd.tmp", "c.json.tmp", ".keep", "c.json"):
        (tmp_path / name).write_text("")
    assert orphan_temps(tmp_path) == [tmp_path / ".c.json.1.abcd.tmp"]  # hidden and .tmp


def test_pinning_a_version_that_is_gone_does_nothing(tmp_path):
    path = tmp_path / "c.json"
    atomic_write(path, b"{}")
    inode = path.stat().st_ino
    path.unlink()
    pins = Pins()
    pin_current(path, inode, pins)  # removed meanwhile: nothing to pin, no error
    assert pins.inode(os.fspath(path)) is None
    atomic_write(path, b"{}")
    pin_current(path, path.stat().st_ino, pins)
    assert pins.inode(os.fspath(path)) == path.stat().st_ino
    pins.drop(os.fspath(path))
