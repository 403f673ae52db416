"""`langkah stats` on PostgreSQL: the figures computed in SQL (issue 16 part 4).

The service's side of langkah/store/pg_facts.py: the cycles whose kept facts are not those of
their log now are read, verified and replayed here (as `Langkah.analytics_facts` does for the
embedded store's facts-cache.json) and their facts stored as rows; the running visits of the
selected cycles are timed at `now` by the engine's timing; everything else is counted and
ranked by the database (langkah/analytics/sql.py), which returns the same figures the Python
path computes (`compute`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from langkah import stats_lean
from langkah.analytics import facts_codec
from langkah.analytics.facts import _Shape as Shape
from langkah.analytics.facts import _shape, cycle_facts
from langkah.analytics.sql import SqlRows, assemble
from langkah.derived_cache import calendar_key
from langkah.engine.errors import EngineError
from langkah.messages import Text, say, text_of
from langkah.store import StoreError

if TYPE_CHECKING:
    from langkah.analytics import Stats
    from langkah.engine.calendar import WorkingCalendar
    from langkah.engine.definition import SopDefinition
    from langkah.engine.period import Period
    from langkah.service import Langkah
    from langkah.store.pg_facts import CycleRows, Look, PgFacts

_SAVE_EVERY = 2000  # cycles replayed between two saves of their facts (a long cold run)


class FactsNotKept(StoreError):
    """The facts rows could not be written (a read-only role or server): the figures can still
    be computed in Python from the logs."""


@dataclass
class SqlStatsRead:
    """The figures, what the filters are checked against, and the cycles left out."""

    stats: Stats
    sop_ids: set[str] = field(default_factory=set)  # every SOP id met
    kecamatan: set[str] = field(default_factory=set)  # every kecamatan met
    problems: list[tuple[str, Text]] = field(default_factory=list)  # (cycle id, what is wrong)


def supports_sql(app: Langkah) -> bool:
    """Whether the store computes the figures in SQL (PostgreSQL)."""
    return callable(getattr(app.store, "stats_facts", None))


def sql_stats(
    app: Langkah, wants: Callable[[str, str, str], bool], now: dt.datetime
) -> SqlStatsRead:
    """The figures of the cycles that `wants(sop_id, kecamatan, period)`, as of `now`."""
    from langkah.store.pg_facts import CycleRows

    facts: PgFacts = app.store.stats_facts()  # type: ignore[attr-defined]
    stamp = f"{calendar_key(app)}/facts{facts_codec.FACTS_FORMAT}"
    listing = facts.listing(stamp)
    problems: list[tuple[str, Text]] = []
    forget: list[str] = list(listing.gone)  # the kept facts of what is left out go
    known = set(listing.known)
    kept: list[CycleRows] = []
    for cycle in listing.outdated:
        if cycle.missing:
            problems.append(("", facts.damaged(cycle.cycle_id, cycle.version)))
            forget.append(cycle.cycle_id)
            continue
        if not (cycle.edited or cycle.stale or wants(cycle.sop_id, cycle.kecamatan, cycle.period)):
            continue  # not selected: its log is not read (marked changed by the save)
        try:
            view = app.open_cycle(cycle.cycle_id)
        except (StoreError, EngineError) as error:
            problems.append((cycle.cycle_id, text_of(error)))
            forget.append(cycle.cycle_id)
            continue
        if view.integrity_problem is not None:  # edited since: not official data
            problems.append(
                (cycle.cycle_id, say("listing.not_verified", problem=view.integrity_problem))
            )
            forget.append(cycle.cycle_id)
            continue
        found = cycle_facts(view.state, view.definition, view.calendar, now)
        known.add((found.sop_id, found.kecamatan, found.period))
        payload = facts_codec.encode(found, view.state)
        kept.append(
            CycleRows(cycle.cycle_id, view.version, view.log_head, found.kecamatan, payload)
        )
        if len(kept) >= _SAVE_EVERY:
            _save(facts, kept, stamp, last=False)
            kept = []
    _save(facts, kept, stamp, forget, listing.token, listing.current, look=listing.look)
    wanted = sorted(t for t in known if wants(*t))
    definitions: dict[str, tuple[SopDefinition, WorkingCalendar]] = {}

    def definition(digest: str, sop_id: str) -> tuple[SopDefinition, WorkingCalendar]:
        if digest not in definitions:
            loaded = app.definition_by_digest(digest, sop_id).definition
            definitions[digest] = (loaded, app.calendar(loaded))
        return definitions[digest]

    try:
        digests = facts.digests(wanted, stamp)
        shapes: dict[str, Shape] = {}
        for row in digests:
            digest, sop_id = row[4], row[0]
            if digest not in shapes:
                shapes[digest] = _shape(definition(digest, sop_id)[0])
        entries: dict[str, dict[str, Any]] = {}
        running, calendars, last_year = _standards(
            digests, definition, stamp, now, app.holiday_last_year, shapes, entries
        )
    except (EngineError, LookupError, ValueError, TypeError) as error:
        text = error.message("en") if isinstance(error, EngineError) else str(error)
        raise StoreError(f"the kept facts cannot be used ({text}); try --no-cache") from None
    try:
        facts.keep_calendars(stamp, calendars, last_year)
    except StoreError as error:
        raise FactsNotKept(str(error)) from None
    from langkah.store.pg_facts import RunningNotKept

    try:
        rows = facts.aggregate(wanted, running)
    except RunningNotKept as error:
        raise FactsNotKept(str(error)) from None
    rows = SqlRows(rows.cycles, digests, rows.decisions, rows.steps)
    stats_lean.keep(app.data_root, stamp, entries)  # what the next run's lean path needs
    return SqlStatsRead(
        stats=assemble(rows, shapes),
        sop_ids={t[0] for t in known},
        kecamatan={t[1] for t in known},
        problems=problems,
    )


def _save(
    facts: PgFacts,
    rows: list[CycleRows],
    stamp: str,
    forget: list[str] | None = None,
    token: str | None = None,
    current: list[str] | None = None,
    last: bool = True,
    look: Look | None = None,
) -> None:
    try:
        facts.save(rows, stamp, forget or [], token, current or [], last=last, look=look)
    except StoreError as error:
        raise FactsNotKept(str(error)) from None


def _standards(
    digests: list[Any],
    definition: Callable[[str, str], tuple[SopDefinition, WorkingCalendar]],
    stamp: str,
    now: dt.datetime,
    holiday_last_year: int,
    shapes: dict[str, Shape] | None = None,
    entries: dict[str, dict[str, Any]] | None = None,
) -> tuple[dict[str, Any], dict[str, WorkingCalendar], int]:
    """What the running visits are timed with in SQL (analytics/sql.py's STEPS): each step of
    each definition met, its limit in working minutes (engine/timing.py's `standard_minutes`)
    or none, whether it is timed at all, its calendar's key; each deadline as the instant it
    ends (`end_of_day` of `Period.deadline`) in each period met. Also the calendars by key and
    the last year their rows must cover. `entries` gets each digest's, for the lean path
    (langkah/stats_lean.py: its `shapes`' and the same limits, keys and deadlines)."""
    from langkah.engine.standard_time import StandardKind
    from langkah.engine.timing import standard_minutes
    from langkah.store.pg_working_time import calendar_id

    standards: dict[str, list[Any]] = {}
    dues: dict[str, str] = {}
    calendars: dict[str, WorkingCalendar] = {}
    # every instant recorded is before the year after the holiday data's last (clock_bounds),
    # the running visits end at now: their local days, and the deadlines', are covered
    last_year = max(now.year + 1, holiday_last_year + 2)
    for row in digests:
        sop_id, period, total, digest = row[0], row[2], row[3], row[4]
        loaded, calendar = definition(digest, sop_id)
        key = calendar_id(stamp, calendar)
        calendars[key] = calendar
        hours = loaded.calendar.working_hours
        limits: list[list[Any]] = []
        dated_steps: list[int] = []
        period_dues: list[list[Any]] = []
        for step in loaded.steps:
            standard = step.standard
            dated = standard.kind == StandardKind.DEADLINE and standard.deadline_unit is not None
            if dated:
                dated_steps.append(step.number)
            if dated and not total:  # a group's digest: its deadlines in its period
                assert standard.deadline_unit is not None
                day = _period(period).deadline(standard.deadline_day, standard.deadline_unit)
                due = calendar.end_of_day(day)
                last_year = max(last_year, due.year + 1)
                dues[f"{digest}/{step.number}/{period}"] = due.isoformat()
                period_dues.append([step.number, due.isoformat()])
            limit = standard_minutes(standard, hours)
            standards[f"{digest}/{step.number}"] = [limit, limit is not None or dated, key]
            limits.append([step.number, limit, limit is not None or dated])
        if entries is None or shapes is None:
            continue
        if digest not in entries:
            entries[digest] = stats_lean.entry(shapes[digest], limits, key, dated_steps)
        if not total:
            entries[digest]["dues"][period] = period_dues
    return {"now": now, "std": _json(standards), "dues": _json(dues)}, calendars, last_year


def _json(value: Any) -> str:
    import json

    return json.dumps(value, allow_nan=False)


def _period(text: str) -> Period:
    from langkah.analytics.facts_codec import _period as parsed

    return parsed(text)
