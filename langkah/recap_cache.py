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
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from langkah.derived_cache import DerivedCache, calendar_key
from langkah.engine.cycle import CycleStatus
from langkah.engine.errors import EngineError
from langkah.store import StoreError
from langkah.views import RecapBase, RecapCycle, RecapStep, RunningVisit, recap_at, recap_base

if TYPE_CHECKING:
    from langkah.service import Langkah
    from langkah.views import OverviewRow

__all__ = ["RECAP_CACHE", "RecapCache", "calendar_key", "recaps"]

RECAP_CACHE = "recap-cache.json"
_FORMAT = 1  # change when what a base holds, or how it is computed, changes

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


class RecapCache(DerivedCache):
    """The kept recap bases of one data folder (`root` None: nothing is kept, all is computed)."""

    def __init__(self, root: Path | None, calendar: str):
        super().__init__(root, RECAP_CACHE, f"{calendar}/recap{_FORMAT}")

    def get(self, cycle_id: str, version: int, head: str) -> RecapBase | None:
        payload = self.payload(cycle_id, version, head)
        if payload is None:
            return None
        try:
            return _decode(payload)
        except (ValueError, TypeError, KeyError):
            return None

    def put(self, cycle_id: str, version: int, head: str, base: RecapBase) -> None:
        self.keep(cycle_id, version, head, _encode(base))


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
