"""What a path that is not a regular file is, said in the user's language: the store skips
such a cycle file (a FIFO is never waited on, a device never read) and the report refuses to
write to one. A module of its own so that both can say it alike."""

from __future__ import annotations

import stat

from langkah.messages import Text, say

_KINDS = (
    (stat.S_ISDIR, "unreadable.folder"),
    (stat.S_ISFIFO, "unreadable.fifo"),
    (stat.S_ISSOCK, "unreadable.socket"),
    (stat.S_ISCHR, "unreadable.char_device"),
    (stat.S_ISBLK, "unreadable.block_device"),
)


def not_regular(mode: int) -> Text | None:
    """Why a file of this mode is not read or written (a Text), None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return say("unreadable.symlink")
    kind = next((key for test, key in _KINDS if test(mode)), "unreadable.other")
    return say(kind)
