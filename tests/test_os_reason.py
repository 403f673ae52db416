"""What the operating system said, in the user's language (langkah.messages.os_reason)."""

from __future__ import annotations

import errno
import os

import pytest

from langkah.messages import MESSAGES, os_reason


@pytest.mark.parametrize(
    ("code", "indonesian"),
    [
        (errno.ENOENT, "berkas atau folder tidak ada"),
        (errno.EACCES, "izin ditolak"),
        (errno.EROFS, "sistem berkas hanya-baca"),
        (errno.ENOSPC, "disk penuh"),
        (errno.EISDIR, "itu folder"),
        (errno.EMFILE, "terlalu banyak berkas terbuka"),
        (errno.ENFILE, "terlalu banyak berkas terbuka di sistem"),
    ],
)
def test_common_errors_are_said_in_bahasa_indonesia(code, indonesian):
    reason = os_reason(OSError(code, os.strerror(code)))
    assert reason.message("id") == indonesian
    assert os.strerror(code) in reason.message("en")  # English: the system's own words


def test_every_translated_english_text_is_the_systems_own_words():
    # the English of each key is what Linux's strerror says (ENOSPC says why, too)
    from langkah.messages import _OS_KEYS

    for code, key in _OS_KEYS.items():
        assert MESSAGES[key][1].startswith(os.strerror(code)), key


def test_an_error_without_a_translation_keeps_the_systems_words_in_both_languages():
    reason = os_reason(OSError(errno.ECONNRESET, "Connection reset by peer"))
    assert reason.message("id") == reason.message("en") == "Connection reset by peer"
    bare = os_reason(OSError("something odd"))  # no errno, no strerror
    assert bare.message("id") == "something odd"


def test_an_os_error_without_a_message_of_its_own_is_told_in_the_users_language():
    from langkah.messages import told

    error = FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), "/data/x.json")
    assert told(error).message("id") == "/data/x.json: berkas atau folder tidak ada"
    assert told(error).message("en") == "/data/x.json: No such file or directory"
    assert told(OSError(errno.EACCES, "Permission denied")).message("id") == "izin ditolak"
