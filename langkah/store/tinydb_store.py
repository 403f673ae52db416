"""The embedded store: one small TinyDB file per cycle, under one process lock.

Layout of the data directory (docs/store-format.md has the details):
    store.lock                 the lock every writer takes (fcntl.flock)
    cycles/<cycle_id>.json     TinyDB: table "cycle" (one header doc), table "events" (the log)
    definitions/<sha256>.toml  the exact definition text each cycle started with (immutable)
    drafts/<cycle_id>.json     form input typed but not yet recorded

One action rewrites only its own cycle's file, so its cost does not grow with the number of
cycles. Readers take no lock: files are only ever replaced whole, by rename.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import re
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from tinydb import TinyDB

from engine.events import Event
from langkah.store.atomic import TEMP_SUFFIX, atomic_write, remove_orphan_temps
from langkah.store.base import (
    SCHEMA_VERSION,
    ConflictError,
    CycleNotFound,
    CycleRecord,
    DamagedStoreError,
    ListedSummaries,
    StoreError,
)
from langkah.store.tinydb_storage import AtomicJSONStorage, dump_json, read_json

SUMMARY_CACHE = "summary-cache.json"
_CACHE_SLACK = 16  # rewrite the cache file once more than this many entries changed


def _is_cycle_file(name: str) -> bool:
    return name.endswith(".json") and not name.startswith(".")


_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]{0,80}$")


def _os_message(error: OSError, path: Path) -> str:
    if error.errno == errno.ENOSPC:
        return f"{path}: the disk is full; nothing was saved (free some space and try again)"
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"{path}: not writable ({error.strerror}); nothing was saved"
    return f"{path}: {error.strerror or error}; nothing was saved"


class TinyDBStore:
    """The default `CycleStore`: see the module docstring."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.cycles_dir = self.root / "cycles"
        self.definitions_dir = self.root / "definitions"
        self.drafts_dir = self.root / "drafts"
        self._prepared = False
        self._dirs_made = False
        self._summaries: dict[str, tuple[list[int], dict[str, Any]]] | None = None

    # -- locking and housekeeping -------------------------------------------------------------

    @contextlib.contextmanager
    def _write_lock(self) -> Iterator[None]:
        try:
            if not self._dirs_made:
                for directory in (self.cycles_dir, self.definitions_dir, self.drafts_dir):
                    directory.mkdir(parents=True, exist_ok=True)
                self._dirs_made = True
            handle = open(self.root / "store.lock", "a+b")  # noqa: SIM115 - held for the block
        except OSError as error:
            raise StoreError(_os_message(error, self.root)) from None
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            if not self._prepared:
                for directory in (self.cycles_dir, self.definitions_dir, self.drafts_dir):
                    remove_orphan_temps(directory)
                self._prepared = True
            try:
                yield
            except OSError as error:
                raise StoreError(_os_message(error, Path(error.filename or self.root))) from None
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
            handle.close()

    def cleanup(self) -> int:
        """Remove temp files left by writers that were killed (done on the first write too)."""
        if not self.root.exists() or not os.access(self.root, os.W_OK):
            return 0
        self._prepared = True  # count here what the lock's first-write cleanup would remove
        with self._write_lock():
            return sum(
                remove_orphan_temps(d)
                for d in (self.cycles_dir, self.definitions_dir, self.drafts_dir)
            )

    def change_token(self) -> tuple[int, int]:
        """Changes whenever a cycle file is replaced: cheap polling for other processes' writes."""
        try:
            stat = self.cycles_dir.stat()
            return (stat.st_mtime_ns, stat.st_nlink)
        except OSError:
            return (0, 0)

    # -- cycles -------------------------------------------------------------------------------

    def _cycle_path(self, cycle_id: str) -> Path:
        if not _ID.match(cycle_id):
            raise CycleNotFound(f"'{cycle_id}' is not a cycle id")
        return self.cycles_dir / f"{cycle_id}.json"

    def create(
        self, cycle_id: str, header: dict[str, Any], first: Event, summary: dict[str, Any]
    ) -> None:
        path = self._cycle_path(cycle_id)
        with self._write_lock():
            if path.exists():
                raise StoreError(f"{path}: a cycle with this id exists already")
            db = TinyDB(path, storage=AtomicJSONStorage)
            with db.storage.transaction():
                doc = {**header, "schema": SCHEMA_VERSION, "version": 1, "summary": summary}
                db.table("cycle").insert(doc)
                db.table("events").insert(first.to_json())

    def append(
        self, cycle_id: str, expected_version: int, events: list[Event], summary: dict[str, Any]
    ) -> int:
        path = self._cycle_path(cycle_id)
        with self._write_lock():
            data = self._read_cycle_file(path)
            db = TinyDB(path, storage=AtomicJSONStorage)
            with db.storage.transaction(data):
                version = self._header(path, data)["version"]
                if version != expected_version:
                    raise ConflictError(cycle_id, expected_version, version)
                for offset, event in enumerate(events, start=1):
                    if event.seq != version + offset:
                        raise ConflictError(cycle_id, event.seq - offset, version)
                db.table("events").insert_multiple(e.to_json() for e in events)
                new_version = version + len(events)
                db.table("cycle").update({"version": new_version, "summary": summary}, doc_ids=[1])
            return new_version

    def _read_cycle_file(self, path: Path) -> dict[str, Any]:
        data = read_json(path)
        if data is None:
            raise CycleNotFound(f"no cycle '{path.stem}' in {self.cycles_dir}")
        return data

    @staticmethod
    def _header(path: Path, data: dict[str, Any]) -> dict[str, Any]:
        try:
            header = data["cycle"]["1"]
            schema = header["schema"]
        except (KeyError, TypeError):
            raise DamagedStoreError(path, "no cycle header") from None
        if not isinstance(schema, int) or schema > SCHEMA_VERSION:
            raise DamagedStoreError(
                path,
                f"written by a newer Langkah (schema {schema}, this one reads {SCHEMA_VERSION})",
            )
        return header

    def load(self, cycle_id: str) -> CycleRecord:
        path = self._cycle_path(cycle_id)
        data = self._read_cycle_file(path)
        header = self._header(path, data)
        try:
            raw_events = list((data.get("events") or {}).values())
            events = sorted((Event.from_json(e) for e in raw_events), key=lambda e: e.seq)
        except (ValidationError, TypeError, AttributeError) as error:
            raise DamagedStoreError(path, f"an event cannot be read: {error}") from None
        if [e.seq for e in events] != list(range(1, len(events) + 1)) or len(events) != header.get(
            "version"
        ):
            raise DamagedStoreError(path, "the event log has gaps or does not match its header")
        summary = header.get("summary") or {}
        plain = {k: v for k, v in header.items() if k != "summary"}
        return CycleRecord(cycle_id=cycle_id, header=plain, events=events, summary=summary)

    def has_cycle(self, cycle_id: str) -> bool:
        return bool(_ID.match(cycle_id)) and (self.cycles_dir / f"{cycle_id}.json").is_file()

    def cycle_ids(self) -> list[str]:
        if not self.cycles_dir.is_dir():
            return []
        return sorted(
            entry.name[:-5] for entry in os.scandir(self.cycles_dir) if _is_cycle_file(entry.name)
        )

    def summaries(self) -> ListedSummaries:
        """Every cycle's stored summary, most of them from the summary cache.

        A summary is re-read from its cycle file (one JSON parse) only when the file's
        (inode, mtime, size) differs from the cached one; files are only ever replaced by rename,
        so a new write always changes the inode. The cache lives in memory for this store object
        and in `summary-cache.json` (disposable: a missing or broken cache is rebuilt).
        """
        cache = self._summary_cache()
        fresh: dict[str, tuple[list[int], dict[str, Any]]] = {}
        found, problems = [], []
        misses = 0
        try:
            entries = sorted(
                (e for e in os.scandir(self.cycles_dir) if _is_cycle_file(e.name)),
                key=lambda e: e.name,
            )
        except FileNotFoundError:
            entries = []
        except OSError as error:
            return ListedSummaries([], [f"{self.cycles_dir}: cannot list ({error.strerror})"])
        for entry in entries:
            try:
                st = entry.stat()
                key = [st.st_ino, st.st_mtime_ns, st.st_size]
                hit = cache.get(entry.name)
                if hit is not None and hit[0] == key:
                    summary = hit[1]
                else:
                    misses += 1
                    summary = self._read_summary(Path(entry.path))
                    if summary is None:
                        continue  # removed since listing
                fresh[entry.name] = (key, summary)
                found.append(summary)
            except DamagedStoreError as error:
                problems.append(str(error))
            except OSError as error:
                problems.append(f"{entry.path}: cannot read ({error.strerror})")
        self._summaries = fresh
        if misses > _CACHE_SLACK or (len(cache) - (len(fresh) - misses)) > _CACHE_SLACK:
            self._write_summary_cache(fresh)
        return ListedSummaries(found, problems)

    def _read_summary(self, path: Path) -> dict[str, Any] | None:
        data = read_json(path)
        if data is None:
            return None
        summary = self._header(path, data).get("summary")
        if not isinstance(summary, dict):
            raise DamagedStoreError(path, "no summary")
        return summary

    @property
    def summary_cache_path(self) -> Path:
        return self.root / SUMMARY_CACHE

    def _summary_cache(self) -> dict[str, tuple[list[int], dict[str, Any]]]:
        if self._summaries is not None:
            return self._summaries
        try:
            data = json.loads(self.summary_cache_path.read_bytes())
            if data.get("format") != 1 or data.get("schema") != SCHEMA_VERSION:
                return {}
            return {
                name: (key, summary)
                for name, (key, summary) in data["entries"].items()
                if isinstance(summary, dict)
            }
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return {}  # no cache, or a broken one: it is only a cache

    def _write_summary_cache(self, entries: dict[str, tuple[list[int], dict[str, Any]]]) -> None:
        """Best effort, no lock, no fsync: a lost or torn cache only costs one slow listing."""
        data = {
            "format": 1,
            "schema": SCHEMA_VERSION,
            "entries": {name: [key, summary] for name, (key, summary) in entries.items()},
        }
        path = self.summary_cache_path
        temp = path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}{TEMP_SUFFIX}"
        try:
            temp.write_bytes(dump_json(data))
            os.replace(temp, path)
        except OSError:
            with contextlib.suppress(OSError):
                temp.unlink()

    # -- definitions and drafts ---------------------------------------------------------------

    def put_definition(self, digest: str, text: str) -> None:
        path = self.definitions_dir / f"{digest}.toml"
        if path.exists():
            return
        with self._write_lock():
            if not path.exists():
                atomic_write(path, text.encode("utf-8"))

    def get_definition(self, digest: str) -> str:
        path = self.definitions_dir / f"{digest}.toml"
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise StoreError(f"{path}: the definition this cycle started with is missing") from None
        except (OSError, UnicodeDecodeError) as error:
            raise DamagedStoreError(path, str(error)) from None

    def save_draft(self, cycle_id: str, draft: dict[str, Any]) -> None:
        path = self.drafts_dir / f"{self._cycle_path(cycle_id).stem}.json"
        with self._write_lock():
            atomic_write(path, dump_json(draft))

    def load_draft(self, cycle_id: str) -> dict[str, Any] | None:
        path = self.drafts_dir / f"{self._cycle_path(cycle_id).stem}.json"
        try:
            return read_json(path)
        except DamagedStoreError:
            return None  # a draft is a convenience; a damaged one is ignored, not fatal

    def clear_draft(self, cycle_id: str) -> None:
        path = self.drafts_dir / f"{self._cycle_path(cycle_id).stem}.json"
        if path.exists():
            with self._write_lock(), contextlib.suppress(FileNotFoundError):
                path.unlink()
