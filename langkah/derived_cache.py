"""Figures derived from each cycle's log, kept in the data folder between runs.

`langkah export-xlsx` keeps each cycle's recap base (langkah/recap_cache.py) and `langkah stats`
each cycle's analytics facts (langkah/analytics/facts_cache.py) in one file each, the same way:
every entry is keyed by the log's version and head (the hash of its last event): a log only
grows, and any change to it changes its head, so a kept entry is used only for exactly the log
it was made from. What else the figures depend on (holiday overrides and data, the Langkah
version, the cache's format) is the file's calendar stamp: a file with another stamp is ignored
whole. The caches are disposable, like the summary cache: written best effort (no lock, no
fsync), their body checked by its SHA-256 when read; missing or torn they are rebuilt, costing
one slower run. Cycles that do not verify are never kept.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import secrets
from collections.abc import Iterable, Mapping
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from langkah.store import StoreError
from langkah.store.atomic import read_regular

if TYPE_CHECKING:
    from langkah.service import Langkah

_FORMAT = 1  # change when what the calendar stamp covers changes
_MAX_BYTES = 1 << 30  # ~2 KB a cycle: far more cycles than any office keeps


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return ""


def calendar_key(app: Langkah) -> str:
    """What working-time figures depend on besides a cycle's log and definition."""
    return calendar_stamp(app.holiday_last_year, app.holidays_add, app.holidays_remove)


def calendar_stamp(
    holiday_last_year: int, holidays_add: Mapping[dt.date, str], holidays_remove: Iterable[dt.date]
) -> str:
    """`calendar_key` from its parts (`langkah stats`' lean path has no service)."""
    facts = [
        _FORMAT,
        _version("langkah"),
        _version("holidays"),
        holiday_last_year,
        sorted((day.isoformat(), name) for day, name in holidays_add.items()),
        sorted(day.isoformat() for day in holidays_remove),
    ]
    return hashlib.sha256(json.dumps(facts).encode()).hexdigest()


class DerivedCache:
    """The kept entries of one cache file of a data folder (`root` None: nothing is kept).
    `calendar` is the stamp of what the entries depend on besides their log, plus the caller's
    own format number."""

    def __init__(self, root: Path | None, name: str, calendar: str):
        self.path = root / name if root is not None else None
        self.calendar = calendar
        self.entries: dict[str, list[Any]] = {}  # cycle id -> [version, head, payload]
        self.changed = False

    def read(self) -> None:
        if self.path is None:
            return
        try:
            # a regular file only (a FIFO would block, a device never end), of a sane size
            raw = read_regular(self.path, limit=_MAX_BYTES)
            meta_line, _, body = raw.partition(b"\n")
            meta = json.loads(meta_line)
            if meta.get("calendar") != self.calendar:
                return
            if meta.get("sha256") != hashlib.sha256(body).hexdigest():
                return  # torn or edited since it was written: rebuilt
            entries = json.loads(body)
            if isinstance(entries, dict):
                self.entries = entries
        except (OSError, StoreError, ValueError, TypeError, AttributeError):
            return  # no cache, or a broken one: it is only a cache

    def payload(self, cycle_id: str, version: Any, head: Any) -> Any:
        """The payload kept for exactly this log (version and head), else None."""
        entry = self.entries.get(cycle_id)
        if not isinstance(entry, list) or len(entry) != 3 or entry[:2] != [version, head]:
            return None
        return entry[2]

    def keep(self, cycle_id: str, version: int, head: str, payload: Any) -> None:
        self.entries[cycle_id] = [version, head, payload]
        self.changed = True

    def forget(self, cycle_id: str) -> None:
        if self.entries.pop(cycle_id, None) is not None:
            self.changed = True

    def keep_only(self, cycle_ids: Iterable[str]) -> None:
        """Forget the entries of cycles that are gone (only on a listing of every cycle)."""
        wanted = set(cycle_ids)
        for cycle_id in [c for c in self.entries if c not in wanted]:
            del self.entries[cycle_id]
            self.changed = True

    def write(self) -> None:
        """Best effort: a lost or torn cache only costs one slower run."""
        if self.path is None or not self.changed:
            return
        from langkah.store.tinydb_storage import dump_json  # (pydantic_core: only to write)

        body = dump_json(self.entries)
        meta = {"calendar": self.calendar, "sha256": hashlib.sha256(body).hexdigest()}
        temp = self.path.with_name(f".{self.path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
        try:
            temp.parent.mkdir(parents=True, exist_ok=True)  # on PostgreSQL it may not exist yet
            temp.write_bytes(dump_json(meta) + b"\n" + body)
            os.replace(temp, self.path)
        except OSError:
            with contextlib.suppress(OSError):
                temp.unlink()
