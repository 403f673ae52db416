"""Elapsed against standard time, per step and per cycle, in the kecamatan's working time.

"n menit / n jam" and "n hari" are compared in working minutes (a working day counts as the
average working day of the calendar, 450 minutes under Perpres 21/2023); "paling lambat tanggal X
... berikutnya" is a calendar deadline from the cycle's period. Paused time does not count
against a duration; a deadline is a date, so it does not move.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from langkah.engine.calendar import WorkingCalendar
from langkah.engine.cycle import CycleState, Visit
from langkah.engine.definition import SopDefinition, WorkingHours
from langkah.engine.period import Period
from langkah.engine.standard_time import StandardKind, StandardTime

NEAR_LIMIT = 0.8  # the share of the standard after which a step is "near the limit"


class TimeStatus(StrEnum):
    NO_STANDARD = "no_standard"
    ON_TIME = "on_time"
    NEAR_LIMIT = "near_limit"
    OVERDUE = "overdue"


class StepTiming(BaseModel):
    """One visit of a step against its standard, as of `now` (or its end)."""

    model_config = ConfigDict(frozen=True)

    step: int
    standard: StandardTime
    standard_minutes: float | None  # working minutes; None for a deadline or no standard
    elapsed_minutes: float  # working minutes, pauses excluded
    wall_minutes: float  # clock minutes, pauses included
    paused_minutes: float  # working minutes spent paused
    due: dt.datetime | None  # when the standard runs out (UTC), if known
    remaining_minutes: float | None  # working minutes left, when not overdue
    overdue_minutes: float  # working minutes past the standard, 0 when not overdue
    fraction: float | None  # share of the standard used
    status: TimeStatus
    running: bool


def minutes_per_day(hours: WorkingHours) -> float:
    days = [sum(e - s for s, e in hours.minutes(d)) for d in range(7)]
    working = [m for m in days if m]
    return sum(working) / len(working) if working else 0.0


def standard_minutes(standard: StandardTime, hours: WorkingHours) -> float | None:
    if standard.kind == StandardKind.DURATION:
        return float(standard.minutes)
    if standard.kind == StandardKind.WORKDAYS:
        return standard.days * minutes_per_day(hours)
    if standard.kind == StandardKind.WORKWEEKS:
        return standard.weeks * sum(e - s for d in range(7) for s, e in hours.minutes(d))
    return None


def _status(fraction: float | None, overdue: float) -> TimeStatus:
    if fraction is None:
        return TimeStatus.NO_STANDARD
    if overdue > 0:
        return TimeStatus.OVERDUE
    return TimeStatus.NEAR_LIMIT if fraction >= NEAR_LIMIT else TimeStatus.ON_TIME


def time_step(
    standard: StandardTime,
    step: int,
    started_at: dt.datetime,
    ended_at: dt.datetime | None,
    pauses: Iterable[tuple[dt.datetime, dt.datetime | None]],
    calendar: WorkingCalendar,
    hours: WorkingHours,
    period: Period,
    now: dt.datetime,
) -> StepTiming:
    """The timing of one visit, from plain values (so the overview can use stored summaries)."""
    end = ended_at or max(now, started_at)
    paused = 0.0
    for p_start, p_end in pauses:
        paused += calendar.working_minutes(p_start, min(p_end or end, end))
    gross = calendar.working_minutes(started_at, end)
    elapsed = max(gross - paused, 0.0)
    wall = (end - started_at).total_seconds() / 60
    limit = standard_minutes(standard, hours)
    due: dt.datetime | None = None
    remaining: float | None = None
    overdue = 0.0
    fraction: float | None = None
    if limit is not None:
        fraction = elapsed / limit if limit else 1.0
        if elapsed > limit:
            overdue = elapsed - limit
        else:
            remaining = limit - elapsed
            if ended_at is None:
                due = calendar.add_working_minutes(end, remaining)
    elif standard.kind == StandardKind.DEADLINE and standard.deadline_unit is not None:
        due = calendar.end_of_day(period.deadline(standard.deadline_day, standard.deadline_unit))
        span = calendar.working_minutes(started_at, due)
        if end > due:
            overdue = calendar.working_minutes(due, end)
        else:
            remaining = calendar.working_minutes(end, due)
        fraction = (gross / span) if span > 0 else (1.0 if end > due else 0.0)
        if overdue > 0:
            fraction = max(fraction, 1.0 + 1e-9)
    return StepTiming(
        step=step,
        standard=standard,
        standard_minutes=limit,
        elapsed_minutes=elapsed,
        wall_minutes=wall,
        paused_minutes=paused,
        due=due,
        remaining_minutes=remaining,
        overdue_minutes=overdue,
        fraction=fraction,
        status=_status(fraction, overdue),
        running=ended_at is None,
    )


def time_visit(
    visit: Visit,
    definition: SopDefinition,
    calendar: WorkingCalendar,
    period: Period,
    now: dt.datetime,
) -> StepTiming:
    step = definition.step(visit.step)
    pauses = [(p.start, p.end) for p in visit.pauses]
    return time_step(
        step.standard,
        step.number,
        visit.started_at,
        visit.ended_at,
        pauses,
        calendar,
        definition.calendar.working_hours,
        period,
        now,
    )


class CycleTiming(BaseModel):
    """The whole cycle: every visit's timing and the totals against the sum of standards."""

    model_config = ConfigDict(frozen=True)

    visits: tuple[StepTiming, ...]
    elapsed_minutes: float  # working minutes of all visits
    wall_minutes: float  # from start to end (or now)
    standard_minutes: float  # the sum of the SOP's standards for the steps taken (first pass)
    on_time: int
    overdue: int

    @property
    def current(self) -> StepTiming | None:
        return self.visits[-1] if self.visits and self.visits[-1].running else None


def time_cycle(
    state: CycleState, definition: SopDefinition, calendar: WorkingCalendar, now: dt.datetime
) -> CycleTiming:
    period = Period.parse(state.period)
    visits = tuple(time_visit(v, definition, calendar, period, now) for v in state.visits)
    hours = definition.calendar.working_hours
    standard = sum(standard_minutes(s.standard, hours) or 0.0 for s in definition.steps)
    end = state.ended_at or max(now, state.started_at)
    done = [t for t in visits if not t.running]
    return CycleTiming(
        visits=visits,
        elapsed_minutes=sum(t.elapsed_minutes for t in visits),
        wall_minutes=(end - state.started_at).total_seconds() / 60,
        standard_minutes=standard,
        on_time=sum(1 for t in done if t.status in (TimeStatus.ON_TIME, TimeStatus.NEAR_LIMIT)),
        overdue=sum(1 for t in done if t.status == TimeStatus.OVERDUE),
    )


# -- the instants the overview sorts and filters by (stored with each cycle's summary) ----------


def _reaching(
    level: float,
    started_at: dt.datetime,
    pauses: list[tuple[dt.datetime, dt.datetime | None]],
    calendar: WorkingCalendar,
) -> dt.datetime | None:
    """The earliest instant at which `level` working minutes, pauses excluded, have passed
    since `started_at` (walking through the pauses in order); None if an open pause (end
    None) comes first."""
    remaining, cursor = level, started_at
    for start, end in sorted(pauses, key=lambda pause: pause[0]):
        if start > cursor:
            work = calendar.working_minutes(cursor, start)
            if work >= remaining:
                break
            remaining -= work
        if end is None:
            return None  # the clock stands still from here
        cursor = max(cursor, end)
    return calendar.add_working_minutes(cursor, remaining)


def _running_from(
    instant: dt.datetime,
    pauses: list[tuple[dt.datetime, dt.datetime | None]],
    calendar: WorkingCalendar,
) -> dt.datetime | None:
    """The first moment at or after `instant` when working time runs and no pause holds the
    clock (None: an open pause holds it from then on)."""
    at = calendar.next_working_start(instant)
    for _ in range(len(pauses) + 1):
        holding = next((p for p in pauses if p[0] <= at and (p[1] is None or at < p[1])), None)
        if holding is None:
            return at
        if holding[1] is None:
            return None
        at = calendar.next_working_start(holding[1])
    return at


def due_instants(
    standard: StandardTime,
    started_at: dt.datetime,
    pauses: Iterable[tuple[dt.datetime, dt.datetime | None]],
    calendar: WorkingCalendar,
    hours: WorkingHours,
    period: Period,
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """`(near_at, due_at)` of a running visit, from the facts known when it was last written.

    At any later `now` (with no new pause or resume), `time_step` finds the visit OVERDUE
    exactly when `due_at < now`, and NEAR_LIMIT or OVERDUE when `near_at <= now` (up to the
    rounding of the minutes at those very instants). `due_at` is the last instant still within
    the standard (the next working moment after it runs out). None: never while things stay
    as they are (no standard, or paused before reaching it).
    """
    pauses = list(pauses)
    limit = standard_minutes(standard, hours)
    if limit is not None:
        near = _reaching(limit * NEAR_LIMIT, started_at, pauses, calendar)
        reached = _reaching(limit, started_at, pauses, calendar)
        due = _running_from(reached, pauses, calendar) if reached is not None else None
        return near, due
    if standard.kind == StandardKind.DEADLINE and standard.deadline_unit is not None:
        day = period.deadline(standard.deadline_day, standard.deadline_unit)
        deadline = calendar.end_of_day(day)
        span = calendar.working_minutes(started_at, deadline)
        if span > 0:
            near = calendar.add_working_minutes(started_at, span * NEAR_LIMIT)
        else:  # no working time before the deadline: near once it has passed
            near = deadline + dt.timedelta(microseconds=1)
        return near, calendar.next_working_start(deadline)
    return None, None


def urgency_rank(
    open_: bool,
    timed: bool,
    near_at: dt.datetime | None,
    due_at: dt.datetime | None,
    now: dt.datetime,
) -> int:
    """0 overdue, 1 near the limit, 2 running within its standard, 3 open without a running
    standard, 4 finished or cancelled: the overview's order (then `due_at`, then the id)."""
    if not open_:
        return 4
    if due_at is not None and due_at < now:
        return 0
    if near_at is not None and near_at <= now:
        return 1
    return 2 if timed else 3
