"""The recaps of many cycles for `langkah export-xlsx`, with what does not change kept between runs.

A cycle's recap is its finished visits (timed once, for good: they no longer depend on `now`)
and at most one running visit, timed at the moment of the recap (`views.RecapBase`,
`views.recap_at`). The finished part of each cycle is kept in `recap-cache.json` in the data
folder, keyed by the log's version and head (the hash of its last event): a log only grows, and
any change to it changes its head, so a kept base is used only for exactly the log it was made
from. The cache is disposable, like the summary cache: written best effort (no lock, no fsync),
its body checked by its SHA-256 when read; missing, torn or from another calendar (holiday
overrides, holiday data, Langkah version) it is ignored and rebuilt, costing one slower export.
Cycles that do not verify are never kept: they are read and replayed on every export.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import os
import secrets
from collections.abc import Iterable, Sequence
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from langkah.engine.cycle import CycleStatus
from langkah.engine.errors import EngineError
from langkah.store import StoreError
from langkah.store.atomic import read_regular
from langkah.store.tinydb_storage import dump_json
from langkah.views import RecapBase, RecapCycle, RecapStep, RunningVisit, recap_at, recap_base

if TYPE_CHECKING:
    from langkah.service import Langkah
    from langkah.views import OverviewRow

RECAP_CACHE = "recap-cache.json"
_FORMAT = 1  # change when what a base holds, or how it is computed, changes
_MAX_BYTES = 1 << 30  # ~2 KB a cycle: far more cycles than any office keeps

_STEP_FIELDS = [f.name for f in dataclasses.fields(RecapStep)]
_CYCLE_FIELDS = [f.name for f in dataclasses.fields(RecapCycle) if f.name != "steps"]
_STEP_TIMES = {"due", "started", "ended"}
_CYCLE_TIMES = {"started", "ended"}


def _naive(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.datetime) else value


def _encode(base: RecapBase) -> list[Any]:
    cycle = base.cycle
    head = [_naive(getattr(cycle, name)) for name in _CYCLE_FIELDS]
    steps = [[_naive(getattr(step, name)) for name in _STEP_FIELDS] for step in cycle.steps]
    run = base.running
    running = None
    if run is not None:
        pauses = [[a.isoformat(), b.isoformat() if b else None] for a, b in run.pauses]
        running = [run.step, run.round, run.started_at.isoformat(), pauses, run.reason]
    return [head, steps, running]


def _time(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value is not None else None


def _decode(item: list[Any]) -> RecapBase:
    head, steps, running = item
    rows = []
    for values in steps:
        fields = dict(zip(_STEP_FIELDS, values, strict=True))
        for name in _STEP_TIMES:
            fields[name] = _time(fields[name])
        rows.append(RecapStep(**fields))
    fields = dict(zip(_CYCLE_FIELDS, head, strict=True))
    for name in _CYCLE_TIMES:
        fields[name] = _time(fields[name])
    fields["status"] = CycleStatus(fields["status"])
    cycle = RecapCycle(**fields, steps=tuple(rows))
    run = None
    if running is not None:
        number, round_, started, pauses, reason = running
        times = tuple((dt.datetime.fromisoformat(a), _time(b)) for a, b in pauses)
        run = RunningVisit(number, round_, dt.datetime.fromisoformat(started), times, reason)
    return RecapBase(cycle, run)


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return ""


def calendar_key(app: Langkah) -> str:
    """What the working-time figures of a base depend on besides its log and definition."""
    facts = [
        _FORMAT,
        _version("langkah"),
        _version("holidays"),
        app.holiday_last_year,
        sorted((day.isoformat(), name) for day, name in app.holidays_add.items()),
        sorted(day.isoformat() for day in app.holidays_remove),
    ]
    return hashlib.sha256(json.dumps(facts).encode()).hexdigest()


class RecapCache:
    """The kept bases of one data folder (`root` None: nothing is kept, all is computed)."""

    def __init__(self, root: Path | None, calendar: str):
        self.path = root / RECAP_CACHE if root is not None else None
        self.calendar = calendar
        self.entries: dict[str, list[Any]] = {}  # cycle id -> [version, head, encoded base]
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

    def get(self, cycle_id: str, version: int, head: str) -> RecapBase | None:
        entry = self.entries.get(cycle_id)
        if not isinstance(entry, list) or len(entry) != 3 or entry[:2] != [version, head]:
            return None
        try:
            return _decode(entry[2])
        except (ValueError, TypeError, KeyError):
            return None

    def put(self, cycle_id: str, version: int, head: str, base: RecapBase) -> None:
        self.entries[cycle_id] = [version, head, _encode(base)]
        self.changed = True

    def keep_only(self, cycle_ids: Iterable[str]) -> None:
        """Forget the entries of cycles that are gone (only on a listing of every cycle)."""
        wanted = set(cycle_ids)
        for cycle_id in [c for c in self.entries if c not in wanted]:
            del self.entries[cycle_id]
            self.changed = True

    def write(self) -> None:
        """Best effort: a lost or torn cache only costs one slower export."""
        if self.path is None or not self.changed:
            return
        body = dump_json(self.entries)
        meta = {"calendar": self.calendar, "sha256": hashlib.sha256(body).hexdigest()}
        temp = self.path.with_name(f".{self.path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
        try:
            temp.write_bytes(dump_json(meta) + b"\n" + body)
            os.replace(temp, self.path)
        except OSError:
            with contextlib.suppress(OSError):
                temp.unlink()


def recaps(
    app: Langkah, rows: Sequence[OverviewRow], every_cycle: bool = False
) -> tuple[list[RecapCycle], list[tuple[str, EngineError | StoreError]]]:
    """The recap of each row's cycle as of now, in the rows' order, and the cycles left out
    with the error that kept each out. `every_cycle`: the rows are every stored cycle (the
    cache then forgets the cycles that are gone)."""
    now = app.clock()
    cache = RecapCache(app.data_root, calendar_key(app))
    cache.read()
    # the version and head of each log as listed (and its definition), for logs that verify
    logs: dict[str, tuple[Any, Any]] = {}
    digests: dict[str, str] = {}
    with contextlib.suppress(StoreError):
        listed = app.store.summaries()
        for summary in listed.summaries:
            cycle_id = str(summary.get("cycle_id", ""))
            if cycle_id not in listed.integrity and cycle_id not in listed.stale:
                logs[cycle_id] = (summary.get("version"), summary.get("head"))
                digests[cycle_id] = summary.get("definition_digest", "")
    found: list[RecapCycle] = []
    left_out: list[tuple[str, EngineError | StoreError]] = []
    for row in rows:
        cycle_id = row.cycle_id
        try:
            log = logs.get(cycle_id) if row.integrity_problem is None else None
            base = cache.get(cycle_id, *log) if log is not None else None
            if base is not None:
                loaded = app.definition_by_digest(digests[cycle_id], row.sop_id)
                definition = loaded.definition
                calendar = app.calendar(definition)
            else:
                view = app.open_cycle(cycle_id)
                base = recap_base(view)
                definition, calendar = view.definition, view.calendar
                if view.integrity_problem is None and log == (view.version, view.log_head):
                    cache.put(cycle_id, view.version, view.log_head, base)
            found.append(recap_at(base, definition, calendar, now))
        except (StoreError, EngineError) as error:
            left_out.append((cycle_id, error))
    if every_cycle:
        cache.keep_only(logs)
    cache.write()
    return found, left_out
