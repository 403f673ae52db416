"""The embedded store: one small TinyDB file per cycle, each written under its own lock.

Layout of the data directory (docs/store-format.md has the details):
    locks/<cycle_id>.lock      the lock a writer of that cycle (and its draft) holds (flock)
    locks/_store.lock          the short lock of cycle creation and pinned definitions
    cycles/<cycle_id>.json     TinyDB: table "cycle" (one header doc), table "events" (the log)
    definitions/<sha256>.toml  the exact definition text each cycle started with (immutable)
    drafts/<cycle_id>.json     form input typed but not yet recorded

One action rewrites only its own cycle's file, so its cost does not grow with the number of
cycles. Readers take no lock: files are only ever replaced whole, by rename.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import hashlib
import json
import os
import re
import secrets
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import TypeAdapter, ValidationError
from tinydb import TinyDB

from langkah.engine.events import GENESIS, Event, event_hash
from langkah.file_kinds import not_regular
from langkah.messages import Text, os_reason, say, text_of
from langkah.store.appended import (
    RECORDS_BEFORE_WHOLE,
    Moved,
    append_record,
    header_change,
    parse_cycle,
    record_bytes,
)
from langkah.store.atomic import (
    TEMP_SUFFIX,
    FileKey,
    UnreadableFile,
    atomic_write,
    fault_point,
    fsync_dir,
    orphan_temps,
    pin_current,
    read_regular,
    read_regular_keyed,
)
from langkah.store.base import (
    SCHEMA_VERSION,
    Changes,
    ConflictError,
    CycleNotFound,
    CycleRecord,
    DamagedStoreError,
    IntegrityError,
    ListedSummaries,
    LockTimeout,
    Rebuild,
    Recovery,
    StoredLog,
    StoreError,
    SummaryPage,
    SummaryQuery,
    recovery_text,
    salvage,
)
from langkah.store.chain import CHAINED_SCHEMA, ChainCheck, chained_form, check_chain
from langkah.store.locks import LockBusy, LockPool
from langkah.store.pins import Pins
from langkah.store.tinydb_index import (
    FOLD_AFTER,
    INO,
    KEC,
    LOG,
    MTIME,
    PERIOD,
    PROBLEM,
    SIZE,
    SOP,
    STALE,
    Columns,
    IndexView,
    OverviewIndex,
    Row,
    RowEncoder,
    problem_row,
    summary_row,
)
from langkah.store.tinydb_storage import AtomicJSONStorage, dump_json, read_json

SUMMARY_CACHE = "summary-cache.json"
_CACHE_SLACK = 16  # rewrite the cache file once more than this many entries changed
_CACHE_FORMAT = 3  # 2: a first line with the SHA-256 of the entries; each entry keeps what did
# not verify when its file was read; 3: that problem as a Text's JSON (its key and parameters)
_CacheEntry = tuple[list[int], dict[str, Any], Text | None]  # file key, summary, problem


def _by_seq(event: Event) -> int:
    return event.seq


def _raw_events(data: dict[str, Any]) -> list[Any]:
    """The stored events of a cycle file's JSON, as they are in its event table."""
    return list((data.get("events") or {}).values())


class _Known(NamedTuple):
    """A cycle file as this store object last read or wrote it, by the file's key.

    `data` (the file's JSON) is never changed once kept; `record` is its validated log, when
    this object has validated or written it; `raw` is the file's bytes, and `body_at` where
    the members of its event table start in them (0: not known yet, -1: not in the layout
    `append` splices into; see `_event_members`)."""

    key: FileKey
    data: dict[str, Any]
    record: CycleRecord | None
    raw: bytes | None = None
    body_at: int = 0
    records: int = 0  # records appended to the file since it was written whole (appended.py)


_KNOWN = 64  # cycle files kept in memory per store object
_READ_PAGE = 256  # a query page longer than this takes its summaries from `summaries()`


_EVENT_LIST = TypeAdapter(list[Event])  # one validation call for a whole log
_EVENT_START = re.compile(r'\{"id":')
_HEADER_START = re.compile(r'"cycle":\{"1":')


def salvage_raw_events(text: str) -> list[tuple[Event, dict[str, Any]]]:
    """Every complete, valid event object in a (damaged) cycle file's text, each with the
    JSON object as stored (its `prev` included)."""
    decoder = json.JSONDecoder()
    found: list[tuple[Event, dict[str, Any]]] = []
    position = 0
    while True:
        match = _EVENT_START.search(text, position)
        if match is None:
            return found
        try:
            value, end = decoder.raw_decode(text, match.start())
            event = Event.from_json({k: v for k, v in value.items() if k != "prev"})
            found.append((event, value))
            position = end
        except (ValueError, TypeError, AttributeError, ValidationError):
            position = match.start() + 1


def salvage_header(text: str) -> dict[str, Any] | None:
    match = _HEADER_START.search(text)
    if match is None:
        return None
    try:
        value, _ = json.JSONDecoder().raw_decode(text, match.end())
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def upgraded_table(table: dict[str, Any]) -> dict[str, Any]:
    """A schema-1 event table with the hash chain added: each event as it was, plus `prev`
    (in seq order; the table's document ids are kept)."""
    order = sorted(table.items(), key=lambda item: item[1].get("seq", 0))
    upgraded: dict[str, Any] = {}
    prev = GENESIS
    for doc_id, raw in order:
        stored = chained_form(raw, prev)
        prev = event_hash(stored)
        upgraded[doc_id] = stored
    return dict(sorted(upgraded.items(), key=lambda item: int(item[0])))


def _storage(db: TinyDB) -> AtomicJSONStorage:
    """The storage of a TinyDB opened with `storage=AtomicJSONStorage` (typed as such)."""
    storage = db.storage
    assert isinstance(storage, AtomicJSONStorage)
    return storage


def _is_cycle_file(name: str) -> bool:
    return name.endswith(".json") and not name.startswith(".")


_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]{0,80}$")


LOCK_TIMEOUT = 10.0  # seconds a writer waits for a lock (LANGKAH_LOCK_TIMEOUT overrides)
_STORE_LOCK = "_store"  # not a cycle id (ids start with a letter or digit)


def _lock_timeout(value: float | None) -> float:
    if value is not None:
        return value
    text = os.environ.get("LANGKAH_LOCK_TIMEOUT", "").strip()
    try:
        return max(float(text), 0.0) if text else LOCK_TIMEOUT
    except ValueError:
        return LOCK_TIMEOUT


def _os_message(error: OSError, path: Path) -> Text:
    if error.errno == errno.ENOSPC:
        return say("store.disk_full", path=path)
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return say("store.not_writable", path=path, reason=os_reason(error))
    return say("store.not_saved", path=path, reason=os_reason(error))


class _WriteLock:
    """The context of `TinyDBStore._write_lock`: re-entrant per thread (a depth per name); the
    outer one takes and releases the lock file, and turns an OSError of its block into a
    StoreError naming the path. A class, not a generator context manager: every action
    enters two of them."""

    __slots__ = ("store", "name", "depths", "outer")

    def __init__(self, store: TinyDBStore, name: str):
        self.store = store
        self.name = name

    def __enter__(self) -> None:
        depths = self.depths = self.store._depths()
        name = self.name
        if depths.get(name):
            depths[name] += 1
            self.outer = False
            return
        self.store._enter_lock(name, depths)
        self.outer = True

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: Any) -> None:  # fmt: skip
        if not self.outer:
            self.depths[self.name] -= 1
            return
        try:
            if isinstance(error, OSError):
                path = Path(error.filename or self.store.root)
                raise StoreError(_os_message(error, path)) from None
        finally:
            self.store._leave_lock(self.name, self.depths)


class TinyDBStore:
    """The default `CycleStore`: see the module docstring."""

    def __init__(self, root: Path, lock_timeout: float | None = None):
        self.root = Path(root)
        self.cycles_dir = self.root / "cycles"
        self.definitions_dir = self.root / "definitions"
        self.drafts_dir = self.root / "drafts"
        self.locks_dir = self.root / "locks"
        self.lock_timeout = _lock_timeout(lock_timeout)
        """Seconds a writer waits for a lock before giving up (naming who holds it)."""
        self._prepared = False
        self._dirs_made = False
        self._held = threading.local()  # lock name -> depth, for this thread (re-entrant)
        self._locks = LockPool(self.locks_dir)
        self._known: dict[Path, _Known] = {}  # see `_fresh`
        self._pins = Pins()  # versions of cycle files kept open (langkah/store/pins.py)
        self._paths: dict[str, Path] = {}
        self._summaries: dict[str, _CacheEntry] | None = None
        self._definition_checks: dict[str, tuple[FileKey, Text | None]] = {}
        self._definition_paths: dict[str, Path] = {}
        self.index = OverviewIndex(self.root, self.cycles_dir)
        self._rows = RowEncoder()  # the index rows of appends (see `_append_locked`)
        self._index_view: tuple[tuple[Any, ...], IndexView] | None = None

    @property
    def location(self) -> str:
        return str(self.root)

    # -- locking and housekeeping -------------------------------------------------------------

    @property
    def read_only(self) -> bool:
        """True when the data directory exists but this process may not write in it."""
        return not os.access(self.root, os.W_OK) and self.root.exists()

    def check_root(self) -> None:
        """StoreError if the data folder's path is taken by something that is not a folder."""
        if self.root.exists() and not self.root.is_dir():
            raise StoreError(say("store.root_is_file", root=self.root))

    def exclusive(self, cycle_id: str) -> _WriteLock:
        """Hold the cycle's lock: no other writer changes it until the block ends (re-entrant:
        the block may append, save drafts, ...). Waits at most `lock_timeout` (LockTimeout)."""
        self._cycle_path(cycle_id)  # refuses what is not a cycle id
        return self._write_lock(cycle_id)

    @property
    def optimistic_appends(self) -> bool:
        return False  # an action reads and appends under the cycle's file lock

    def optimistic(self, cycle_id: str) -> _WriteLock:
        """The same as `exclusive` (the file lock is what makes an append's check hold)."""
        return self.exclusive(cycle_id)

    def _depths(self) -> dict[str, int]:
        depths: dict[str, int] | None = getattr(self._held, "depths", None)
        if depths is None:
            depths = self._held.depths = {}
        return depths

    def _write_lock(self, name: str) -> _WriteLock:
        """Hold lock `name` (a cycle id, or _STORE_LOCK) for a write; see docs/store-format.md."""
        return _WriteLock(self, name)

    def _enter_lock(self, name: str, depths: dict[str, int]) -> None:
        """Take lock `name`, not held by this thread yet (the outer `_write_lock`)."""
        if not self._dirs_made:  # checked before the first write; later, a write that fails
            # says why (read-only, full disk) through the OSError it meets
            if self.read_only:
                raise StoreError(say("store.read_only", root=self.root))
            self.check_root()
        try:
            if not self._dirs_made:
                for directory in (
                    self.cycles_dir,
                    self.definitions_dir,
                    self.drafts_dir,
                    self.locks_dir,
                ):
                    directory.mkdir(parents=True, exist_ok=True)
                self._dirs_made = True
            self._acquire(name)
        except OSError as error:
            raise StoreError(_os_message(error, Path(error.filename or self.root))) from None
        depths[name] = 1
        if not self._prepared:
            try:
                self._prepared = True
                self._sweep()
            except BaseException:
                self._leave_lock(name, depths)
                raise

    def _checked(self) -> dict[str, _Known]:
        """The cycle files this thread read or wrote while holding their lock, as kept then:
        while the lock is held no other writer replaces the file, so an append after a load
        in the same hold (an action) need not stat it again. Forgotten when the lock is let go."""
        checked: dict[str, _Known] | None = getattr(self._held, "checked", None)
        if checked is None:
            checked = self._held.checked = {}
        return checked

    def _leave_lock(self, name: str, depths: dict[str, int]) -> None:
        depths.pop(name, None)
        self._checked().pop(name, None)
        self._locks.release(name)

    def _acquire(self, name: str) -> int:
        """The lock file of `name`, exclusively locked, with this process written in it."""
        try:
            return self._locks.acquire(name, self.lock_timeout)
        except LockBusy as busy:
            raise LockTimeout(self._timeout_message(name, busy.fd)) from None

    def _timeout_message(self, name: str, fd: int | None) -> Text:
        try:
            if fd is None:  # another thread of this process holds it: read its file afresh
                fresh = self._locks.open_file(name)
                try:
                    line = os.pread(fresh, 200, 0)
                finally:
                    os.close(fresh)
            else:
                line = os.pread(fd, 200, 0)
            pid, host = (line.decode("utf-8", "replace").split() + [""] * 2)[:2]
            # when that holder first locked it (it rewrites the line only after someone else)
            since = dt.datetime.fromtimestamp(
                os.stat(self.locks_dir / f"{name}.lock").st_mtime, dt.UTC
            ).strftime("%H:%M:%SZ")
        except OSError:
            pid = host = since = ""
        what = (
            say("lock.what_cycle", cycle_id=name)
            if name != _STORE_LOCK
            else say("lock.what_folder", root=self.root)
        )
        on_host = say("lock.on_host", host=host) if host and host != socket.gethostname() else ""
        at = say("lock.since", since=since) if since else ""
        who = (
            say("lock.who", pid=pid, host=on_host, since=at)
            if pid
            else say("lock.who_unknown", host=on_host, since=at)
        )
        hint = say("lock.kill_hint", pid=pid) if pid else ""
        return say(
            "lock.held_file", what=what, who=who, timeout=f"{self.lock_timeout:g}", hint=hint
        )

    def _sweep(self) -> int:
        """Remove temp files left by killed writers: each only while its writer's lock is free
        (a live writer holds it through its write), so a write in progress is never touched."""
        removed = 0
        for directory in (self.cycles_dir, self.definitions_dir, self.drafts_dir):
            owned: dict[str, list[Path]] = {}
            for temp in orphan_temps(directory):
                target = temp.name[1:].split(".")[0]  # .<id>.json.<pid>.<rand>.tmp
                name = _STORE_LOCK if directory == self.definitions_dir else target
                if name != _STORE_LOCK and not _ID.match(name):
                    continue
                owned.setdefault(name, []).append(temp)
            for name, temps in owned.items():
                removed += self._remove_if_free(name, temps)
        return removed

    def _remove_if_free(self, name: str, temps: list[Path]) -> int:
        mine = bool(self._depths().get(name))
        fd = None
        if not mine:
            try:
                fd = self._locks.open_file(name)
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:  # held by a live writer (or unusable): leave its files alone
                if fd is not None:
                    os.close(fd)
                return 0
        removed = 0
        try:
            for temp in temps:
                with contextlib.suppress(OSError):
                    temp.unlink()
                    removed += 1
        finally:
            if fd is not None:
                fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)
        return removed

    def cleanup(self) -> int:
        """Remove temp files left by writers that were killed (done on the first write too)."""
        if not self.root.is_dir() or not os.access(self.root, os.W_OK):
            return 0
        self._prepared = True  # count here what the lock's first-write cleanup would remove
        with self._write_lock(_STORE_LOCK):
            return self._sweep()

    def change_token(self) -> tuple[int, int]:
        """Changes whenever a cycle file is replaced: cheap polling for other processes' writes."""
        try:
            stat = self.cycles_dir.stat()
            return (stat.st_mtime_ns, stat.st_nlink)
        except OSError:
            return (0, 0)

    def changes_since(self, token: Any) -> Changes:
        """The cycles written since `token`, read from the overview index's journal (every
        writer names its cycle there): no file is listed, whatever the store's size. The
        cycles folder's mtime tells whether something else changed it (a file copied in or
        removed by hand, a Langkah older than the index): when no journal row accounts for
        it, and no writer is half-way, the answer is "cannot tell" (None: the caller reloads).
        Also None when the journal was folded since `token` (about once every 600 writes)."""
        folder = self.change_token()[0]
        if token is None:
            return Changes((self.index.position(), folder), None)
        start, explained = token
        end, written = self.index.since(start)
        if written is None:
            return Changes((end, folder), None)
        if folder in (explained, written.token):
            return Changes((end, folder), frozenset(written.cycle_ids))
        if written.in_flight:  # a writer renamed its file and has not written its row yet:
            return Changes((end, explained), frozenset(written.cycle_ids))  # asked again later
        return Changes((end, folder), None)

    @property
    def pushes_changes(self) -> bool:
        return False

    def watch(self, stop: threading.Event) -> Iterator[frozenset[str] | None]:
        """Files cannot push: the caller polls `changes_since`."""
        return iter(())

    # -- cycles -------------------------------------------------------------------------------

    def _cycle_path(self, cycle_id: str) -> Path:
        path = self._paths.get(cycle_id)
        if path is None:
            if not _ID.match(cycle_id):
                raise CycleNotFound(say("store.not_cycle_id", cycle_id=cycle_id))
            path = self.cycles_dir / f"{cycle_id}.json"
            if len(self._paths) < 8192:  # the same object each time: cheap to hash and compare
                self._paths[cycle_id] = path
        return path

    def create(
        self, cycle_id: str, header: dict[str, Any], first: Event, summary: dict[str, Any]
    ) -> None:
        path = self._cycle_path(cycle_id)
        with self._write_lock(_STORE_LOCK), self._write_lock(cycle_id):
            if path.exists():
                raise StoreError(f"{path}: a cycle with this id exists already")
            db = TinyDB(path, storage=AtomicJSONStorage)
            stored = {**first.to_json(), "prev": GENESIS}
            head = event_hash(stored)
            summary = {**summary, "version": 1, "head": head}
            doc = {**header, "schema": SCHEMA_VERSION, "version": 1, "head": head}
            doc["summary"] = summary
            self.index.begin(cycle_id)
            with _storage(db).transaction():
                db.table("cycle").insert(doc)
                db.table("events").insert(stored)
            plain = {k: v for k, v in doc.items() if k != "summary"}
            record = CycleRecord(cycle_id, plain, [first], summary, head=head)
            self._keep_written(path, db, record)
            written = _storage(db).written
            if written is not None:
                self.index.written(summary_row(cycle_id, written[1], summary, True))

    def append(
        self, cycle_id: str, expected_version: int, events: list[Event], summary: dict[str, Any]
    ) -> int:
        path = self._cycle_path(cycle_id)  # a valid id: the file's stem is the id
        if self._depths().get(cycle_id):  # an action: its lock held since it read the cycle
            return self._append_locked(path, cycle_id, expected_version, events, summary)
        with self._write_lock(cycle_id):
            return self._append_locked(path, cycle_id, expected_version, events, summary)

    def _append_locked(
        self,
        path: Path,
        cycle_id: str,
        expected_version: int,
        events: list[Event],
        summary: dict[str, Any],
    ) -> int:
        known = self._checked().get(cycle_id)
        if known is None or self._known.get(path) is not known:
            known = self._fresh(path, pin=True)
        data = known.data
        header = self._header(path, data)
        version: int = header["version"]
        if version != expected_version:
            raise ConflictError(cycle_id, expected_version, version)
        checked = known.record if known.record is not None else self._validate(path, data)
        if checked.integrity is not None:
            raise IntegrityError(cycle_id, checked.integrity)
        for offset, event in enumerate(events, start=1):
            if event.seq != version + offset:
                raise ConflictError(cycle_id, event.seq - offset, version)
        # The document TinyDB would write (same tables, same next document ids), built
        # directly: TinyDB's table operations rebuild both tables and cost more than the
        # rest of the append. `data` is never changed: it may be kept for the next action.
        table = data.get("events")
        if not isinstance(table, dict):
            raise DamagedStoreError(path, say("damage.no_event_table"))
        first_id = len(table) + 1  # TinyDB's next id (the largest + 1) when ids are 1..n
        if str(len(table)) not in table or str(first_id) in table:
            try:
                first_id = max(map(int, table), default=0) + 1
            except ValueError:
                raise DamagedStoreError(path, say("damage.event_id")) from None
        new_version = version + len(events)
        chained = header.get("schema", 1) >= CHAINED_SCHEMA
        # schema 1: upgraded by this write
        new_table = dict(table) if chained else upgraded_table(table)
        head = checked.head
        added = []
        for offset, event in enumerate(events):
            stored = {**event.to_json(), "prev": head}
            head = event_hash(stored)
            new_table[str(first_id + offset)] = stored
            added.append(stored)
        summary = {**summary, "version": new_version, "head": head}
        doc = {**header, "schema": SCHEMA_VERSION, "version": new_version, "head": head}
        doc["summary"] = summary
        current = {**data, "cycle": {**data["cycle"], "1": doc}, "events": new_table}
        plain = dict(doc)  # the header without its summary, in the same order
        del plain["summary"]
        record = CycleRecord(cycle_id, plain, checked.events + events, summary, head=head)
        changed = header_change(header, doc)
        if chained and known.records < RECORDS_BEFORE_WHOLE and changed is not None:
            line = record_bytes(
                dump_json(changed),
                [(first_id + offset, dump_json(stored)) for offset, stored in enumerate(added)],
            )
            key = self._write_held(
                cycle_id, summary, lambda sync: append_record(path, line, known.key, sync)
            )
            if key is None:  # replaced without the lock since it was read: read it again
                self._forget(path)
                self._checked().pop(cycle_id, None)
                raise ConflictError(cycle_id, version, version)
            written = _Known(key, current, record, None, -1, records=known.records + 1)
        else:  # written whole
            members = self._event_members(known, header) if chained else None
            if members is None:
                raw, body_at = dump_json(current), 0
            else:  # the same bytes, without encoding again the events already written
                start = b'{"cycle":{"1":' + dump_json(doc) + b'},"events":{'
                parts = [start, members]
                for offset, stored in enumerate(added):
                    parts.append(
                        b',"%d":' % (first_id + offset)
                        if members or offset
                        else b'"%d":' % first_id
                    )
                    parts.append(dump_json(stored))
                parts.append(b"}}")
                raw, body_at = b"".join(parts), len(start)
            whole = self._write_held(
                cycle_id, summary, lambda sync: atomic_write(path, raw, sync, self._pins)
            )
            assert whole is not None
            written = _Known(whole, current, record, raw, body_at)
        self._keep(path, written)
        self._checked()[cycle_id] = written
        return new_version

    def _write_held(
        self,
        cycle_id: str,
        summary: dict[str, Any],
        write: Callable[[Callable[[FileKey], None]], FileKey],
    ) -> FileKey | None:
        """`write(before_sync)` of a cycle file between the overview index's begin and end
        lines for it (its row encoded with the new key before the sync waits); the new key,
        or None if the file was not the version read (appended.Moved: nothing written)."""
        row: list[bytes] = []

        def before_sync(key: FileKey) -> None:
            row.append(self._rows.encode(cycle_id, key, summary))

        self.index.begin_holding(cycle_id)
        try:
            key = write(before_sync)
        except Moved:
            self.index.let_go()
            return None
        except BaseException:
            self.index.let_go()
            raise
        self.index.written_held(row[0])
        return key

    @staticmethod
    def _event_members(known: _Known, header: dict[str, Any]) -> bytes | None:
        """The members of the event table exactly as they are in the file's bytes, when the
        file has the layout this store writes: `{"cycle":{"1":<header>},"events":{<members>}}`,
        compact, nothing else in it (then the new events are written after them as they are,
        and the file is the same bytes `dump_json` of the whole document gives). None when
        the file is laid out otherwise (the whole document is encoded again)."""
        raw, body_at = known.raw, known.body_at
        if raw is None or body_at < 0:
            return None
        if body_at == 0:  # read from the file: its header must be written as this store does
            data = known.data
            if len(data) != 2 or "events" not in data or len(data["cycle"]) != 1:
                return None  # other tables, or other documents in the cycle table
            start = b'{"cycle":{"1":' + dump_json(header) + b'},"events":{'
            if not (raw.startswith(start) and raw.endswith(b"}}")):
                return None
            body_at = len(start)
        return raw[body_at:-2]

    def _keep(self, path: Path, known: _Known) -> None:
        self._known.pop(path, None)
        self._known[path] = known
        if len(self._known) > _KNOWN:
            with contextlib.suppress(RuntimeError, StopIteration):  # another thread's change
                self._known.pop(next(iter(self._known)), None)

    def _forget(self, path: Path) -> None:
        """After a write that keeps nothing: neither the file's content nor its version."""
        self._known.pop(path, None)
        self._pins.drop(os.fspath(path))

    def _keep_written(self, path: Path, db: TinyDB, record: CycleRecord | None) -> None:
        """Keep what was just written to `path`, under its new key: the next `load` or `append`
        need not read it back while nobody else has replaced the file."""
        written = _storage(db).written
        if written is not None:
            data, key, raw = written
            self._keep(path, _Known(key, data, record, raw))

    @staticmethod
    def _header(path: Path, data: dict[str, Any]) -> dict[str, Any]:
        try:
            header = data["cycle"]["1"]
            schema = header["schema"]
        except (KeyError, TypeError):
            raise DamagedStoreError(path, say("damage.no_header")) from None
        if not isinstance(header, dict):
            raise DamagedStoreError(path, say("damage.no_header"))
        if not isinstance(schema, int) or schema > SCHEMA_VERSION:
            raise DamagedStoreError(
                path,
                say("damage.newer", schema=schema, reads=SCHEMA_VERSION),
                repairable=False,
            )
        return header

    def _read_keyed(self, path: Path) -> tuple[dict[str, Any], tuple[int, int, int]]:
        """A cycle file's JSON and the (inode, mtime, size) of exactly the bytes read."""
        known = self._read_raw(path)
        return known.data, known.key

    def _read_raw(self, path: Path, pin: bool = False) -> _Known:
        """The file as read now (no record of its log yet); `pin`: the version read stays
        open (a file about to be kept in memory, which an action may replace next). Records
        appended to the file are merged (langkah/store/appended.py); the key's size is that
        of the bytes merged, so a record still being written makes it differ from the next
        stat and the file is read again then."""
        try:
            raw, st = read_regular_keyed(path, pins=self._pins if pin else None)
        except FileNotFoundError:
            self.check_root()
            raise CycleNotFound(
                say("store.no_cycle", cycle_id=path.stem, where=self.cycles_dir)
            ) from None
        parsed = parse_cycle(path, raw)
        key = (st.st_ino, st.st_mtime_ns, min(st.st_size, parsed.consumed))
        if parsed.records or parsed.consumed != len(raw):  # not a whole document's bytes
            return _Known(key, parsed.data, None, None, -1, records=parsed.records)
        return _Known(key, parsed.data, None, raw)

    def _fresh(self, path: Path, pin: bool = False) -> _Known:
        """The file as it is now: what this object last read or wrote if the file's key is
        unchanged (files are only ever replaced by rename, so any write changes the key),
        else read again. `pin`: the version is kept open (langkah/store/pins.py): read under
        the cycle's lock, by an action about to replace it."""
        known = self._known.get(path)
        if known is not None:
            try:
                st = os.stat(path)
            except FileNotFoundError:
                raise CycleNotFound(
                    say("store.no_cycle", cycle_id=path.stem, where=self.cycles_dir)
                ) from None
            if known.key == (st.st_ino, st.st_mtime_ns, st.st_size):
                if pin:
                    pin_current(path, st.st_ino, self._pins)
                return known
        return self._read_raw(path, pin)

    def load(self, cycle_id: str) -> CycleRecord:
        path = self._cycle_path(cycle_id)
        locked = self._depths().get(cycle_id)  # an action's read: it may replace the file next
        known = self._fresh(path, pin=bool(locked))
        record = known.record
        if record is None:
            record = self._validate(path, known.data)
            known = known._replace(record=record)
            self._keep(path, known)
        if locked:  # read under its lock: see `_checked`
            self._checked()[cycle_id] = known
        # copies: what callers do with a record must not change the kept one
        return CycleRecord(
            cycle_id,
            dict(record.header),
            list(record.events),
            dict(record.summary),
            record.integrity,
            record.head,
        )

    def _validate(self, path: Path, data: dict[str, Any]) -> CycleRecord:
        """The file's validated log, its hash chain checked."""
        header = self._header(path, data)
        try:
            raw_events = _raw_events(data)
            plain_events = [
                {k: v for k, v in e.items() if k != "prev"} if isinstance(e, dict) else e
                for e in raw_events
            ]
            events = _EVENT_LIST.validate_python(plain_events)
        except (ValidationError, TypeError, AttributeError) as error:
            raise DamagedStoreError(
                path, say("damage.event_unreadable", detail=str(error))
            ) from None
        in_order = list(range(1, len(events) + 1))
        if [e.seq for e in events] != in_order:  # stored out of order (by hand): by seq
            events.sort(key=_by_seq)
            if [e.seq for e in events] != in_order:
                raise DamagedStoreError(path, say("damage.gaps"))
        if len(events) != header.get("version"):
            raise DamagedStoreError(path, say("damage.gaps"))
        summary = header.get("summary") or {}
        plain = {k: v for k, v in header.items() if k != "summary"}
        chain = check_chain(header, raw_events)
        return CycleRecord(
            cycle_id=path.stem,
            header=plain,
            events=events,
            summary=summary,
            integrity=chain.problem,
            head=chain.head,
        )

    def verify(self, cycle_id: str) -> ChainCheck:
        """Check a cycle's stored log and its hash chain as written (DamagedStoreError if the
        file cannot be read at all). Reads the file; keeps nothing."""
        path = self._cycle_path(cycle_id)
        data, _ = self._read_keyed(path)
        header = self._header(path, data)
        table = data.get("events")
        if not isinstance(table, dict):
            raise DamagedStoreError(path, say("damage.no_event_table"))
        return check_chain(header, list(table.values()))

    def upgrade(self, cycle_id: str) -> bool:
        """Store the hash chain in a schema-1 cycle file (lossless: every event is kept as it
        was, with its `prev` added); True if the file was upgraded, False if it had a chain."""
        path = self._cycle_path(cycle_id)
        with self._write_lock(path.stem):
            data, _ = self._read_keyed(path)
            header = self._header(path, data)
            if header.get("schema", 1) >= CHAINED_SCHEMA:
                return False
            record = self._validate(path, data)  # refuses a log that does not load
            table = upgraded_table(data["events"])
            chain = check_chain({**header, "schema": SCHEMA_VERSION}, list(table.values()))
            summary = {**record.summary, "head": chain.head}
            doc = {**header, "schema": SCHEMA_VERSION, "head": chain.head, "summary": summary}
            current = {**data, "cycle": {**data["cycle"], "1": doc}, "events": table}
            self.index.begin(cycle_id)  # the next listing re-reads it
            atomic_write(path, dump_json(current))
            self._forget(path)
            return True

    def put_summary(self, cycle_id: str, version: int, head: str, summary: dict[str, Any]) -> bool:
        """Store a recomputed summary in a cycle's header if its log is still at `version`
        and `head` (the log is not touched); True if stored."""
        path = self._cycle_path(cycle_id)
        with self._write_lock(path.stem):
            data, _ = self._read_keyed(path)
            header = self._header(path, data)
            if header.get("version") != version or header.get("head", "") != (
                head if header.get("schema", 1) >= CHAINED_SCHEMA else ""
            ):
                return False
            if header.get("schema", 1) >= CHAINED_SCHEMA:
                summary = {**summary, "version": version, "head": head}
            doc = {**header, "summary": summary}
            self.index.begin(path.stem)
            key = atomic_write(path, dump_json({**data, "cycle": {**data["cycle"], "1": doc}}))
            self.index.written(summary_row(path.stem, key, summary, "due_at" in summary))
            self._forget(path)
            return True

    def definition_problem(self, digest: str) -> Text | None:
        """None if the pinned definition's text still has the SHA-256 its name records; else
        what differs (checked again whenever the file changes)."""
        path = self._definition_paths.get(digest)
        if path is None:
            path = self.definitions_dir / f"{digest}.toml"
            if len(self._definition_paths) < 1024:
                self._definition_paths[digest] = path
        try:
            st = os.stat(path)
        except FileNotFoundError:
            return None  # missing is not changed: loading it says so (get_definition)
        except OSError as error:
            return say("file.cannot_read", path=path, reason=os_reason(error))
        key = (st.st_ino, st.st_mtime_ns, st.st_size)
        kept = self._definition_checks.get(digest)
        if kept is not None and kept[0] == key:
            return kept[1]
        try:
            raw = read_regular(path)  # no symlink, FIFO or device is followed or opened
        except UnreadableFile as error:
            return text_of(error)
        except OSError as error:
            return say("file.cannot_read", path=path, reason=os_reason(error))
        problem = None
        if hashlib.sha256(raw).hexdigest() != digest:
            what = "definition.emptied" if not raw.strip() else "definition.changed"
            problem = say(what, name=path.name, what=say("definition.its_name"))
        self._definition_checks[digest] = (key, problem)
        return problem

    def has_cycle(self, cycle_id: str) -> bool:
        return bool(_ID.match(cycle_id)) and os.path.isfile(self._cycle_path(cycle_id))

    def cycle_ids(self) -> list[str]:
        self.check_root()
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
        self.check_root()
        cache = self._summary_cache()
        fresh: dict[str, _CacheEntry] = {}
        found, problems = [], []
        integrity: dict[str, Text] = {}
        stale: list[str] = []
        misses = 0
        try:
            entries = sorted(
                (e for e in os.scandir(self.cycles_dir) if _is_cycle_file(e.name)),
                key=lambda e: e.name,
            )
        except FileNotFoundError:
            entries = []
        except OSError as error:
            return ListedSummaries(
                [],
                [say("listing.cannot_list", folder=str(self.cycles_dir), reason=os_reason(error))],
            )
        for entry in entries:
            try:
                st = entry.stat(follow_symlinks=False)
                why = not_regular(st.st_mode)
                if why:  # never opened: a FIFO would block, /dev/zero would never end
                    problems.append(say("unreadable.skipped", path=entry.path, why=why))
                    continue
                key = [st.st_ino, st.st_mtime_ns, st.st_size]
                hit = cache.get(entry.name)
                if hit is not None and hit[0] == key:
                    summary, problem = hit[1], hit[2]
                else:
                    misses += 1
                    read = self._read_summary(Path(entry.path))
                    if read is None:
                        continue  # removed since listing
                    summary, problem, agrees = read
                    if not agrees:  # not the summary of this log: the caller recomputes it
                        stale.append(entry.name[:-5])
                        if problem is not None:
                            integrity[entry.name[:-5]] = problem
                        found.append(summary)
                        continue  # never cached
                fresh[entry.name] = (key, summary, problem)
                found.append(summary)
                if problem is not None:
                    integrity[entry.name[:-5]] = problem
            except DamagedStoreError as error:
                problems.append(text_of(error))
            except OSError as error:
                problems.append(
                    say("listing.cannot_read", path=entry.path, reason=os_reason(error))
                )
        self._summaries = fresh
        if misses > _CACHE_SLACK or (len(cache) - (len(fresh) - misses)) > _CACHE_SLACK:
            self._write_summary_cache(fresh)
        return ListedSummaries(found, problems, integrity, stale)

    def _read_summary(self, path: Path) -> tuple[dict[str, Any], Text | None, bool] | None:
        """A cycle file's stored summary, what in its log does not verify (None: nothing), and
        whether the summary records the version and head of its log's header."""
        read = self._summary_keyed(path)
        return None if read is None else read[:3]

    # -- the overview index (langkah/store/tinydb_index.py) ---------------------------------

    def query_summaries(self, query: SummaryQuery) -> SummaryPage:
        """The page of summaries `query` selects, through the overview index: only the page's
        cycle files are read (and the index's own files; every file's stat when the index is
        in doubt). A page file found changed since its row was written (edited in place) makes
        the index check every file once, and the query runs again."""
        self.check_root()
        page: list[dict[str, Any]] = []
        integrity: dict[str, Text] = {}
        for attempt in range(2):
            view = self._indexed(full=attempt > 0)
            problems = view.problems()
            ids, total = view.select(query)
            if len(ids) > _READ_PAGE:  # a long page: the summary cache reads fewer files
                listed = self.summaries()
                by_id = {summary.get("cycle_id"): summary for summary in listed.summaries}
                page = [by_id[cycle_id] for cycle_id in ids if cycle_id in by_id]
                integrity = {k: v for k, v in listed.integrity.items() if k in by_id}
                problems = list(listed.problems)
                break
            page, integrity = [], {}
            outdated = False
            for cycle_id in ids:
                path = self._cycle_path(cycle_id)
                try:
                    read = self._summary_keyed(path)
                except DamagedStoreError as error:
                    problems.append(text_of(error))
                    outdated = True
                    continue
                if read is None:  # removed since the index was read
                    outdated = True
                    continue
                summary, problem, _, key = read
                if list(key) != view.key(cycle_id):
                    outdated = True
                page.append(summary)
                if problem is not None:
                    integrity[cycle_id] = problem
            if not outdated or attempt:
                break
        return SummaryPage(
            page,
            total,
            problems,
            integrity,
            stale=view.stale(),
            kecamatan=sorted(view.values(KEC)),
            periods=sorted(view.values(PERIOD), reverse=True),
        )

    def analytics_listing(self) -> ListedSummaries:
        """What `langkah stats` needs of every cycle (id, SOP id, kecamatan, period, and the
        version and head its summary records), from the overview index rather than from every
        summary. Every cycle file is stat'ed: one that differs from its row (edited in place
        since), whose summary is stale or whose chain did not verify when its row was made is
        listed in `stale`, so the caller reads and verifies its log."""
        self.check_root()
        view = self._indexed()
        c = view.columns
        listed: dict[str, tuple[Any, ...]] = {}
        if c.ids:
            keys = zip(c.arrays[INO], c.arrays[MTIME], c.arrays[SIZE], strict=True)
            columns = [[c.tables[k][code] for code in c.arrays[k]] for k in (SOP, KEC, PERIOD)]
            flags = c.arrays[STALE]
            for i, (cycle_id, key, sop, kec, period, log) in enumerate(
                zip(c.ids, keys, *columns, c.log_keys(), strict=True)
            ):
                listed[cycle_id] = (key, sop, kec, period, log, flags[i])
        for cycle_id, row in view.overlay.items():
            listed.pop(cycle_id, None)
            if row is not None and row[PROBLEM] is None:
                key = (row[INO], row[MTIME], row[SIZE])
                listed[cycle_id] = (key, row[SOP], row[KEC], row[PERIOD], row[LOG], row[STALE])
        found: list[dict[str, Any]] = []
        stale: list[str] = []
        try:
            entries = sorted(
                (e for e in os.scandir(self.cycles_dir) if _is_cycle_file(e.name)),
                key=lambda e: e.name,
            )
        except OSError:
            entries = []
        for entry in entries:
            cycle_id = entry.name[:-5]
            known = listed.get(cycle_id)
            if known is None:
                continue  # a problem row, or made since the index was read: next time
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:
                continue  # removed since listing
            key, sop, kec, period, log, flag = known
            version, _, head = log.partition(" ")
            found.append({"cycle_id": cycle_id, "sop_id": sop, "kecamatan": kec,
                          "period": period, "version": int(version) if version else None,
                          "head": head or None})  # fmt: skip
            if flag or not log or tuple(key) != (st.st_ino, st.st_mtime_ns, st.st_size):
                stale.append(cycle_id)
        return ListedSummaries(found, view.problems(), {}, stale)

    def _summary_keyed(
        self, path: Path
    ) -> tuple[dict[str, Any], Text | None, bool, FileKey] | None:
        """`_read_summary`, and the (inode, mtime, size) of the bytes read."""
        try:
            known = self._read_raw(path)
        except CycleNotFound:
            return None
        data, key = known.data, known.key
        header = self._header(path, data)
        summary = header.get("summary")
        if not isinstance(summary, dict):
            raise DamagedStoreError(path, say("damage.no_summary"))
        table = data.get("events")
        events = list(table.values()) if isinstance(table, dict) else []
        agrees = summary.get("version") == header.get("version") and summary.get(
            "head"
        ) == header.get("head")
        return summary, check_chain(header, events).problem, agrees, key

    def _index_row(self, cycle_id: str) -> Row | None:
        """A cycle file's index row as it is now (None: there is no such file)."""
        path = self._cycle_path(cycle_id)
        try:
            read = self._summary_keyed(path)
        except DamagedStoreError as error:
            try:
                st = os.lstat(path)
            except OSError:
                return None
            return problem_row(cycle_id, (st.st_ino, st.st_mtime_ns, st.st_size), text_of(error))
        except OSError as error:
            return problem_row(
                cycle_id,
                (0, 0, 0),
                say("listing.cannot_read", path=str(path), reason=os_reason(error)),
            )
        if read is None:
            return None
        summary, problem, agrees, key = read
        if summary.get("cycle_id") != cycle_id:
            agrees = False
        return summary_row(cycle_id, key, summary, agrees, verifies=problem is None)

    def _indexed(self, full: bool = False) -> IndexView:
        """Every cycle's index row, brought up to date with the cycle files (a problem row for
        a file that cannot be read). See tinydb_index's docstring for when files are stat'ed."""
        index = self.index
        token = index.token()
        kept = self._index_view
        if not full and kept is not None and kept[0] == self._index_signature(token):
            return kept[1]  # kept only when nothing was pending
        loaded = index.load()
        columns, pending = loaded.columns, loaded.pending
        writable = self.root.is_dir() and os.access(self.root, os.W_OK)
        if columns is None or full or loaded.token != token:  # every file against its row
            rows = columns.to_rows() if columns is not None else {}
            rows.update(loaded.rows)
            self._check_every_file(rows)
            settled: dict[str, Row | None] = dict(rows)
            pending = {c for c in pending if not self._settle_pending(settled, c)}
            rows = {k: v for k, v in settled.items() if v is not None}
            if writable:
                index.save(rows, token, pending, loaded.read_to)
            view = IndexView(Columns.from_rows(rows), {})
        else:  # the rows written since the base, on top of it
            overlay: dict[str, Row | None] = dict(loaded.rows)
            pending = {c for c in pending if not self._settle_pending(overlay, c)}
            view = IndexView(columns, overlay)
            if writable and loaded.read_to > FOLD_AFTER:  # fold the journal into the base
                rows = columns.to_rows()
                for cycle_id, row in overlay.items():
                    if row is None:
                        rows.pop(cycle_id, None)
                    else:
                        rows[cycle_id] = row
                index.save(rows, token, pending, loaded.read_to)
        # a cycle still pending (a writer at work) is read again by the next reader
        self._index_view = None if pending else (self._index_signature(token), view)
        return view

    def _index_signature(self, token: int) -> tuple[Any, ...]:
        """What changes when the index files or the cycles folder change (cheap: two stats)."""
        keys: list[Any] = [token]
        for path in (self.index.base_path, self.index.journal_path):
            try:
                st = os.stat(path)
                keys.append((st.st_ino, st.st_mtime_ns, st.st_size))
            except OSError:
                keys.append(None)
        return tuple(keys)

    def _check_every_file(self, rows: dict[str, Row]) -> bool:
        """Compare every cycle file's (inode, mtime, size) with its row; re-read those that
        differ, add the new, drop the removed. True if any row changed."""
        changed = False
        seen: set[str] = set()
        try:
            entries = list(os.scandir(self.cycles_dir))
        except OSError:
            entries = []
        for entry in entries:
            name = entry.name
            if not _is_cycle_file(name) or not _ID.match(name[:-5]):
                continue
            cycle_id = name[:-5]
            seen.add(cycle_id)
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            row = rows.get(cycle_id)
            key = [st.st_ino, st.st_mtime_ns, st.st_size]
            if row is not None and row[INO : SIZE + 1] == key:
                continue
            why = not_regular(st.st_mode)
            if why:  # never opened: a FIFO would block, /dev/zero would never end
                fresh: Row | None = problem_row(
                    cycle_id,
                    (key[0], key[1], key[2]),
                    say("unreadable.skipped", path=entry.path, why=why),
                )
            else:
                fresh = self._index_row(cycle_id)
            changed = True
            if fresh is None:
                rows.pop(cycle_id, None)
            else:
                rows[cycle_id] = fresh
        for cycle_id in set(rows) - seen:
            del rows[cycle_id]
            changed = True
        return changed

    def _settle_pending(self, rows: dict[str, Row | None], cycle_id: str) -> bool:
        """A cycle a writer named before writing: re-read its row; if no writer holds its lock
        any more (it ended, or was killed between the write and its journal line), record
        the row (or that the file is gone) in the journal, which ends it: True then."""
        fd = None
        try:
            fd = self._locks.open_file(cycle_id)
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # a live writer (or a read-only folder): read it as it is now
            if fd is not None:
                os.close(fd)
            fd = None
        try:
            row = self._index_row(cycle_id)
            rows[cycle_id] = row  # None: the file is gone
            if fd is None:
                return False
            if row is None:
                self.index.gone(cycle_id)
            else:
                self.index.written(row)
            return True
        finally:
            if fd is not None:
                fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)

    @property
    def summary_cache_path(self) -> Path:
        return self.root / SUMMARY_CACHE

    def _summary_cache(self) -> dict[str, _CacheEntry]:
        if self._summaries is not None:
            return self._summaries
        try:
            # (no FIFO, device or link is read: a cache file, not the user's)
            meta_line, _, body = read_regular(self.summary_cache_path).partition(b"\n")
            meta = json.loads(meta_line)
            if meta.get("format") != _CACHE_FORMAT or meta.get("schema") != SCHEMA_VERSION:
                return {}
            if meta.get("sha256") != hashlib.sha256(body).hexdigest():
                return {}  # edited or torn since it was written: rebuilt from the files
            data = json.loads(body)
            return {
                name: (key, summary, None if problem is None else Text.from_json(problem))
                for name, (key, summary, problem) in data["entries"].items()
                if isinstance(summary, dict)
            }
        except (OSError, UnreadableFile, ValueError, TypeError, KeyError, AttributeError):
            return {}  # no cache, or a broken one: it is only a cache

    def _write_summary_cache(self, entries: dict[str, _CacheEntry]) -> None:
        """Best effort, no lock, no fsync: a lost or torn cache only costs one slow listing."""
        body = dump_json(
            {
                "entries": {
                    name: [key, summary, None if problem is None else problem.to_json()]
                    for name, (key, summary, problem) in entries.items()
                }
            }
        )
        meta = {
            "format": _CACHE_FORMAT,
            "schema": SCHEMA_VERSION,
            "sha256": hashlib.sha256(body).hexdigest(),
        }
        path = self.summary_cache_path
        temp = path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}{TEMP_SUFFIX}"
        try:
            temp.write_bytes(dump_json(meta) + b"\n" + body)
            os.replace(temp, path)
        except OSError:
            with contextlib.suppress(OSError):
                temp.unlink()

    # -- recovery -----------------------------------------------------------------------------

    def check(self, cycle_id: str) -> DamagedStoreError | None:
        """None if the cycle file loads; else the error that says why it does not."""
        try:
            self.load(cycle_id)
        except DamagedStoreError as error:
            return error
        return None

    def recover(
        self,
        cycle_id: str,
        rebuild: Rebuild,
    ) -> Recovery:
        """Keep a damaged cycle file's bytes aside, then store what can be recovered from it.

        1. The damaged bytes are copied to `<id>.json.damaged-<UTC time>` (temp, fsync, rename,
           folder fsync) before anything else; an aside copy with the same bytes is reused, so
           a second run (or a run after a kill) adds nothing and deletes nothing.
        2. Every complete event object in the text is salvaged; from seq 1 on, the event kept
           at each seq is the readable one whose `prev` links to the event kept before it (the
           chain picks the real event among damaged copies); schema-1 events, which carry no
           link, are taken in seq order. `rebuild(header, events)` says how many of them the
           cycle's definition replays.
        3. The rebuilt file replaces the damaged one atomically (the kept events byte for byte
           as stored, so their hashes and any printed verification code still hold). Events
           found but not kept stay in the aside copy; the message says how many, and why.

        A file that loads, or that a newer Langkah wrote, is left alone.
        """
        path = self._cycle_path(cycle_id)
        with self._write_lock(path.stem):
            try:
                raw = read_regular(path)  # a FIFO, symlink, ... is named and left alone
            except FileNotFoundError:
                raise CycleNotFound(
                    say("store.no_cycle", cycle_id=cycle_id, where=self.cycles_dir)
                ) from None
            damage = self.check(cycle_id)
            if damage is None:
                return Recovery(cycle_id, path, "ok", say("repair.ok"))
            problem = text_of(damage)
            if not damage.repairable:  # not damaged: a newer Langkah wrote it
                return Recovery(cycle_id, path, "newer", recovery_text("newer", problem))
            self.index.begin(cycle_id)  # replaced or removed below: the next listing re-reads it
            text = raw.decode("utf-8", errors="replace")
            plan = salvage(cycle_id, salvage_raw_events(text), salvage_header(text) or {}, rebuild)
            if not plan.kept:
                aside = self._copy_aside(path, raw)
                fault_point()
                path.unlink()  # its bytes are safe in the aside copy
                fsync_dir(path.parent)
                return Recovery(
                    cycle_id,
                    path,
                    "unrecoverable",
                    recovery_text(
                        "unrecoverable", problem, say("repair.file_aside", aside=aside.name)
                    ),
                    aside=aside,
                    found=plan.found,
                )
            if plan.failure is not None:
                return Recovery(
                    cycle_id,
                    path,
                    "failed",
                    recovery_text("failed", problem, plan.failure),
                    found=plan.found,
                )
            kept = plan.kept
            aside = self._copy_aside(path, raw)
            if all("prev" in stored for _, stored in kept):
                table = {str(i): stored for i, (_, stored) in enumerate(kept, start=1)}
            else:  # schema 1: the chain is added as the upgrade adds it
                table = upgraded_table(
                    {str(i): stored for i, (_, stored) in enumerate(kept, start=1)}
                )
            head = check_chain({"schema": SCHEMA_VERSION}, list(table.values())).head
            summary = {**plan.summary, "version": len(kept), "head": head}
            doc = {**plan.header, "schema": SCHEMA_VERSION, "version": len(kept), "head": head}
            doc["summary"] = summary
            atomic_write(path, dump_json({"cycle": {"1": doc}, "events": table}))
            self._forget(path)
            return Recovery(
                cycle_id,
                path,
                "recovered",
                plan.kept_message(problem, say("repair.file_aside", aside=aside.name), aside.name),
                aside=aside,
                found=plan.found,
                kept=len(kept),
            )

    def _copy_aside(self, path: Path, raw: bytes) -> Path:
        """A durable copy of `raw` beside `path` (`<name>.damaged-<UTC time>`); an existing
        aside copy with the same bytes is reused (a repeated repair adds nothing)."""
        for existing in sorted(path.parent.glob(f"{path.name}.damaged-*")):
            with contextlib.suppress(OSError, UnreadableFile):
                if existing.stat().st_size == len(raw) and read_regular(existing) == raw:
                    return existing
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        aside = path.with_name(f"{path.name}.damaged-{stamp}")
        n = 1
        while aside.exists():
            n += 1
            aside = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
        atomic_write(aside, raw)
        return aside

    # -- definitions and drafts ---------------------------------------------------------------

    def put_definition(self, digest: str, text: str) -> None:
        path = self.definitions_dir / f"{digest}.toml"
        if path.exists():
            return
        with self._write_lock(_STORE_LOCK):
            if not path.exists():
                atomic_write(path, text.encode("utf-8"))

    def definition_source(self, digest: str) -> str:
        return str(self.definitions_dir / f"{digest}.toml")

    def get_definition(self, digest: str) -> str:
        path = self.definitions_dir / f"{digest}.toml"
        try:
            return read_regular(path).decode("utf-8")
        except FileNotFoundError:
            raise StoreError(say("definition.missing", source=path)) from None
        except UnicodeDecodeError as error:
            raise DamagedStoreError(path, str(error)) from None

    def save_draft(self, cycle_id: str, draft: dict[str, Any]) -> None:
        name = self._cycle_path(cycle_id).stem
        with self._write_lock(name):  # saved as a clerk types: its old version let go later
            atomic_write(self.drafts_dir / f"{name}.json", dump_json(draft), pins=self._pins)

    def load_draft(self, cycle_id: str) -> dict[str, Any] | None:
        path = self.drafts_dir / f"{self._cycle_path(cycle_id).stem}.json"
        try:
            return read_json(path)
        except DamagedStoreError:
            return None  # a draft is a convenience; a damaged one is ignored, not fatal

    def clear_draft(self, cycle_id: str) -> None:
        path = self.drafts_dir / f"{self._cycle_path(cycle_id).stem}.json"
        if path.exists():
            with self._write_lock(path.stem), contextlib.suppress(FileNotFoundError):
                path.unlink()
        self._pins.drop(os.fspath(path))

    # -- copying whole logs (langkah migrate) ---------------------------------------------------

    def export_cycle(self, cycle_id: str) -> StoredLog:
        """The cycle file's header, events and summary exactly as stored."""
        path = self._cycle_path(cycle_id)
        data, _ = self._read_keyed(path)
        header = self._header(path, data)
        table = data.get("events")
        if not isinstance(table, dict):
            raise DamagedStoreError(path, say("damage.no_event_table"))
        events = sorted(table.values(), key=lambda e: e.get("seq", 0) if isinstance(e, dict) else 0)
        summary = header.get("summary")
        plain = {k: v for k, v in header.items() if k != "summary"}
        return StoredLog(cycle_id, plain, events, summary if isinstance(summary, dict) else {})

    def import_cycle(self, log: StoredLog) -> None:
        """Write a cycle file holding `log` exactly (atomic; StoreError if the cycle exists)."""
        path = self._cycle_path(log.cycle_id)
        with self._write_lock(_STORE_LOCK), self._write_lock(log.cycle_id):
            if path.exists():
                raise StoreError(f"{path}: a cycle with this id exists already")
            doc = {**log.header, "summary": log.summary}
            table = {str(i): raw for i, raw in enumerate(log.events, start=1)}
            atomic_write(path, dump_json({"cycle": {"1": doc}, "events": table}))
