"""The data folder's preference and profile files as a hostile user leaves them: a FIFO (a read
would block forever) or a link to /dev/zero (a read would never end) is not read; the app
starts with the defaults, as with no file."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import pytest

from langkah.preferences import FILE_NAME, PROFILE_FILE, Preferences, Profile


def _load_soon(load, path):
    with ThreadPoolExecutor(1) as pool:  # a read that blocks fails the test, not the run
        reading = pool.submit(load, path.parent)
        try:
            return reading.result(timeout=10)
        finally:
            if not reading.done() and path.is_fifo():  # let a blocked reader go
                os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))


@pytest.mark.parametrize("kind", ["fifo", "zero"])
def test_a_special_file_in_place_of_the_preferences_gives_the_defaults(tmp_path, kind):
    for name in (FILE_NAME, PROFILE_FILE):
        path = tmp_path / name
        if kind == "fifo":
            os.mkfifo(path)
        else:
            path.symlink_to("/dev/zero")
    assert _load_soon(Preferences.load, tmp_path / FILE_NAME) == Preferences()
    assert _load_soon(Profile.load, tmp_path / PROFILE_FILE) is None


def test_a_saved_profile_and_preferences_are_read_back(tmp_path):
    (tmp_path / FILE_NAME).write_text('{"lang": "en"}', encoding="utf-8")
    (tmp_path / PROFILE_FILE).write_text('{"name": "SITI RAHMAWATI"}', encoding="utf-8")
    assert Preferences.load(tmp_path).lang == "en"
    profile = Profile.load(tmp_path)
    assert profile is not None and profile.name == "SITI RAHMAWATI"
