"""Actions appended to a cycle file: the document, then one record per action since it was
last written whole (docs/store-format.md, "Appended records").

A cycle file is its JSON document (the TinyDB tables `cycle` and `events`), optionally
followed by records in the form of RFC 7464 (JSON text sequences): each record is the byte
RS (0x1E), a JSON object `{"cycle": {"1": <what changed in the header>}, "events": {<doc id>:
<stored event>, ...}}` and a line feed. What changed in the header is its keys whose values
changed (version, head), and under `summary` the summary's keys whose values changed. RS
cannot occur in JSON text, so the document ends at the first RS whatever its layout. Reading
merges each record into the document in order (the header's and the summary's keys updated,
the events added), which gives exactly the document a whole rewrite would have written.

A record is durable with one `write` and one `fdatasync` of the file: no new file, no rename,
no folder fsync (a whole write costs all four). A record without its closing line feed was
being written when its writer was killed: it was never acknowledged, readers ignore it, and
the next writer cuts it off (under the cycle's lock) before it appends.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import pydantic_core

from langkah.file_kinds import not_regular
from langkah.messages import say
from langkah.store.atomic import FileKey, UnreadableFile, fault_point, write_keyed
from langkah.store.base import DamagedStoreError
from langkah.store.tinydb_storage import parse_json

RS = b"\x1e"
RECORDS_BEFORE_WHOLE = 16
"""A file holding this many records is written whole by the next action (readers merge at
most this many)."""


class CycleBytes(NamedTuple):
    """A cycle file's JSON with its records merged; `consumed`: how many of the file's bytes
    that is (a record being written, or torn by a kill, is not counted); `records`: how many
    records were merged."""

    data: dict[str, Any]
    consumed: int
    records: int


def parse_cycle(path: Path, raw: bytes) -> CycleBytes:
    """The document in `raw` (read from cycle file `path`) with its records merged;
    DamagedStoreError naming the record that is not one."""
    first = raw.find(RS)
    if first < 0:
        return CycleBytes(parse_json(path, raw), len(raw), 0)
    data = parse_json(path, raw[:first])
    cycle, events = data.get("cycle"), data.get("events")
    if not isinstance(cycle, dict) or not isinstance(events, dict):
        raise DamagedStoreError(path, say("damage.no_header"))
    end = raw.rfind(b"\n") + 1  # what follows the last line feed is an unfinished record
    if end <= first:
        return CycleBytes(data, first, 0)
    header = cycle.get("1")
    if not isinstance(header, dict) or not isinstance(header.get("summary"), dict):
        raise DamagedStoreError(path, say("damage.no_header"))
    count = 0
    for number, part in enumerate(raw[first + 1 : end].split(RS), start=1):
        record = _record(path, part, number)
        for key, value in record["cycle"]["1"].items():
            if key == "summary":
                header["summary"].update(value)
            else:
                header[key] = value
        events.update(record["events"])
        count = number
    return CycleBytes(data, end, count)


def header_change(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any] | None:
    """What a record says of the header `new` that follows `old`: the keys whose values
    changed, and under "summary" the summary's keys whose values changed. None when a key
    came or went (in the header or its summary): such a change is written whole, so that
    merging keeps the keys' order."""
    old_summary, new_summary = old.get("summary"), new.get("summary")
    if (
        old.keys() != new.keys()
        or not isinstance(old_summary, dict)
        or not isinstance(new_summary, dict)
        or old_summary.keys() != new_summary.keys()
    ):
        return None
    changed = {k: v for k, v in new.items() if k != "summary" and old[k] != v}
    summary = {k: v for k, v in new_summary.items() if old_summary[k] != v}
    if summary:
        changed["summary"] = summary
    return changed


def read_cycle_document(path: Path) -> dict[str, Any]:
    """The JSON of cycle file `path` with its records merged (for tools and tests; the store
    reads through `parse_cycle`)."""
    return parse_cycle(path, path.read_bytes()).data


def _record(path: Path, part: bytes, number: int) -> dict[str, Any]:
    if not part.endswith(b"\n") or b"\n" in part[:-1]:
        raise DamagedStoreError(path, say("damage.record_unended", number=number))
    try:
        record = pydantic_core.from_json(part[:-1])
    except ValueError:
        try:
            record = json.loads(part[:-1])
        except (ValueError, UnicodeDecodeError, RecursionError) as error:
            raise DamagedStoreError(
                path, say("damage.record", number=number, detail=str(error))
            ) from None
    if not isinstance(record, dict):
        raise DamagedStoreError(path, say("damage.record_shape", number=number))
    cycle, events = record.get("cycle"), record.get("events")
    if (
        set(record) != {"cycle", "events"}
        or not isinstance(cycle, dict)
        or set(cycle) != {"1"}
        or not isinstance(cycle["1"], dict)
        or not isinstance(cycle["1"].get("summary", {}), dict)
        or not isinstance(events, dict)
        or not events
    ):
        raise DamagedStoreError(path, say("damage.record_shape", number=number))
    return record


def record_bytes(header_bytes: bytes, events: list[tuple[int, bytes]]) -> bytes:
    """One record: what changed in the header (`header_change`, encoded) and the new events
    (doc id, encoded)."""
    parts = [RS, b'{"cycle":{"1":', header_bytes, b'},"events":{']
    for i, (doc_id, encoded) in enumerate(events):
        parts.append(b'"%d":' % doc_id if not i else b',"%d":' % doc_id)
        parts.append(encoded)
    parts.append(b"}}\n")
    return b"".join(parts)


class Moved(Exception):
    """The file is not the one read under the lock (replaced, or shorter): nothing written."""


def append_record(
    path: Path,
    record: bytes,
    read: FileKey,
    before_sync: Callable[[FileKey], None] | None = None,
) -> FileKey:
    """Append `record` to cycle file `path` durably (write, fdatasync) and return the file's
    new key. `read`: the key of the version read (its size: the bytes that were merged): a
    different inode, or fewer bytes, raise Moved and nothing is written; bytes beyond it (a
    record a killed writer left unfinished) are cut off first. `before_sync(key)`: as in
    `atomic_write`. On any failure the file is cut back to what it was, so a refused action
    leaves nothing a reader would merge (a kill leaves at most an unfinished record, or a
    whole one that was never acknowledged: a retry finds its id)."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        st = os.fstat(fd)
        why = not_regular(st.st_mode)
        if why:
            raise UnreadableFile(path, why)
        size = read[2]
        if st.st_ino != read[0] or st.st_size < size:
            raise Moved
        fault_point()
        if st.st_size > size:
            os.ftruncate(fd, size)
        try:
            key = write_keyed(fd, record, before_sync)  # (a kill may leave half a record)
            os.fdatasync(fd)
        except BaseException:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, size)
            raise
        fault_point()
        return key
    finally:
        os.close(fd)
