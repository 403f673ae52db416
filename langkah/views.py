"""The read models both interfaces and the report show: a cycle as of now, and the overview.

They sit below the service and the report (they import only the engine), so the report can
take a `CycleView` without knowing the service. `langkah.service` re-exports them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

from langkah.engine import actions
from langkah.engine.actions import Action
from langkah.engine.calendar import WorkingCalendar
from langkah.engine.clock_bounds import uncovered_years
from langkah.engine.cycle import CycleState, CycleStatus
from langkah.engine.definition import SopDefinition, Step
from langkah.engine.inputs import missing_inputs
from langkah.engine.loader import LoadedDefinition
from langkah.engine.period import Period
from langkah.engine.timing import CycleTiming, StepTiming, TimeStatus, time_cycle, urgency_rank
from langkah.messages import Text


@dataclass
class CycleView:
    """A cycle as of `now`: its state, its frozen definition, and its timing."""

    state: CycleState
    loaded: LoadedDefinition
    calendar: WorkingCalendar
    now: dt.datetime
    holiday_last_year: int | None = None  # the last year the holiday data covers (None: unknown)
    integrity_problem: Text | None = None
    """None when the cycle's log and its pinned definition verify; otherwise what differs
    (which event, what). A cycle that does not verify is shown read-only, with this warning."""
    already_recorded: bool = False
    """True when the action that returned this view was in the log already (a retry with the
    same action id): acknowledged, nothing new recorded. `recorded_seq` is that event's seq."""
    recorded_seq: int | None = None

    log_head: str = ""
    """The hash of the log's last event as stored ("" when not read from the store): the
    report prints its start as the verification code."""

    @property
    def read_only(self) -> bool:
        """True when no action may be taken on this cycle (it failed verification)."""
        return self.integrity_problem is not None

    @property
    def uncovered_years(self) -> list[int]:
        """Years this cycle runs in (start to end, or to now and its current due time) that the
        holiday data does not cover: days off there are estimated or missing."""
        if self.holiday_last_year is None:
            return []
        s = self.state
        last = s.ended_at or max(self.now, s.last_at)
        due = self.current_timing.due if self.current_timing is not None else None
        if due is not None and s.ended_at is None:
            last = max(last, due)
        return uncovered_years(s.started_at.date(), last.date(), self.holiday_last_year)

    @property
    def definition(self) -> SopDefinition:
        return self.loaded.definition

    @property
    def version(self) -> int:
        return self.state.version

    @cached_property
    def period(self) -> Period:
        return Period.parse(self.state.period)

    @cached_property
    def timing(self) -> CycleTiming:
        return time_cycle(self.state, self.definition, self.calendar, self.now)

    @property
    def current_timing(self) -> StepTiming | None:
        return self.timing.current

    @property
    def current_step(self) -> Step | None:
        number = self.state.current_step
        return self.definition.step(number) if number is not None else None

    @property
    def missing(self) -> list[Any]:
        step = self.current_step
        return missing_inputs(step, self.state.visits[-1].inputs) if step else []

    @property
    def allowed(self) -> set[Action]:
        return actions.allowed_actions(self.state, self.definition)


@dataclass
class OverviewRow:
    """One line of the overview of every cycle (the data behind `langkah status`)."""

    cycle_id: str
    sop_id: str
    kecamatan: str
    sop_name: str
    period: str
    status: CycleStatus
    current_step: int | None
    step_activity: str
    actors: str
    holders: str
    started_at: dt.datetime
    ended_at: dt.datetime | None
    returns: int
    timing: StepTiming | None
    definition_version: str
    day_minutes: float  # the working day of the SOP's own calendar, to show durations in days
    uncovered_years: list[int] = field(default_factory=list)
    integrity_problem: Text | None = None
    """None unless the cycle's log or pinned definition was found not to verify (what differs)."""

    near_at: dt.datetime | None = None
    due_at: dt.datetime | None = None
    """When the running step comes near its limit / runs out of its standard (None: it does
    not, as things stand): the instants the store sorts and filters by."""
    timed: bool = False
    """The current step has a standard the clock runs against (a duration or a deadline)."""
    as_of: dt.datetime | None = None
    """The `now` the row was computed at."""

    @property
    def rank(self) -> int:
        """0 overdue, 1 near the limit, 2 running within its standard, 3 open without a running
        standard, 4 finished or cancelled (engine.timing.urgency_rank, at `as_of`)."""
        now = self.as_of or self.started_at
        return urgency_rank(self.status_is_open, self.timed, self.near_at, self.due_at, now)

    @property
    def urgency(self) -> tuple[int, float, str]:
        """Sort key, most urgent first: overdue, near the limit, running, no standard, done;
        within each, the earliest due time first, then the cycle id (what the store's
        `query_summaries` orders by, so a page of it is a slice of this order)."""
        due = self.due_at.timestamp() if self.due_at is not None else float("inf")
        return (self.rank, due, self.cycle_id)

    @property
    def is_overdue(self) -> bool:
        """Past its standard now (near the limit is not overdue): what the overdue filter keeps."""
        return self.rank == 0

    @property
    def status_is_open(self) -> bool:
        return self.status in (CycleStatus.ACTIVE, CycleStatus.PAUSED)


@dataclass
class Overview:
    rows: list[OverviewRow]
    problems: list[Text] = field(default_factory=list)  # said in the reader's language


@dataclass
class OverviewPage:
    """One page of the overview (`Langkah.overview_page`): its rows in order, how many rows
    the query selects in all, what could not be read, and the filter dialog's choices (every
    kecamatan and period present in the store)."""

    rows: list[OverviewRow]
    total: int
    problems: list[Text] = field(default_factory=list)  # said in the reader's language
    kecamatan: list[str] = field(default_factory=list)
    periods: list[str] = field(default_factory=list)


__all__ = [
    "CycleView",
    "Overview",
    "OverviewPage",
    "OverviewRow",
    "RecapCycle",
    "RecapStep",
    "recap",
    "same_sop_and_period",
    # the recap's two parts (langkah.recap_cache)
    "RecapBase",
    "RunningVisit",
    "recap_at",
    "recap_base",
    # the rows of just the cycles changed elsewhere (Langkah.changed_rows)
    "ChangedRows",
]


def same_sop_and_period(rows: list[OverviewRow], sop_id: str, period: str) -> list[OverviewRow]:
    """The cycles of this SOP and period that were not cancelled: starting one more would be a
    second cycle of the same work (the start screen warns, `langkah start` refuses)."""
    return [
        row
        for row in rows
        if row.sop_id == sop_id and row.period == period and row.status != CycleStatus.CANCELLED
    ]


# -- the evaluators' recap (langkah export-xlsx) -------------------------------------------------


@dataclass(frozen=True)
class RecapStep:
    """One visit of a step, as the recap's cycle-steps sheet lists it. Times are local to the
    SOP's time zone, without the zone (a spreadsheet has none); minutes are working minutes."""

    cycle_id: str
    kecamatan: str
    period: str
    step: int
    round: int
    activity: str
    actors: str
    standard_text: str
    standard_minutes: float | None  # None: a calendar deadline, or no standard
    due: dt.datetime | None
    started: dt.datetime
    ended: dt.datetime | None
    actual_minutes: float
    paused_minutes: float
    late: bool | None  # None: the step has no standard
    late_minutes: float
    outcome: str  # "selesai", "disetujui", "dikembalikan", "dibatalkan", "sedang berjalan"
    returned_to: int | None
    reason: str


@dataclass(frozen=True)
class RecapCycle:
    """One cycle in the recap: its figures and its steps."""

    cycle_id: str
    sop_id: str
    kecamatan: str
    sop_name: str
    period: str
    status: CycleStatus
    current_step: int | None
    started: dt.datetime
    ended: dt.datetime | None
    actual_minutes: float
    timed_steps: int  # finished visits that have a standard
    on_time_steps: int
    late_steps: int  # finished visits past their standard, and a running one already past it
    returns: int
    definition_version: str
    integrity_problem: Text | None
    steps: tuple[RecapStep, ...]

    @property
    def on_time_share(self) -> float | None:
        """Steps within standard / steps with a standard (None when none has one)."""
        return self.on_time_steps / self.timed_steps if self.timed_steps else None


def _naive_local(instant: dt.datetime | None, zone: ZoneInfo) -> dt.datetime | None:
    return instant.astimezone(zone).replace(tzinfo=None) if instant is not None else None


def _due(
    calendar: WorkingCalendar,
    started_at: dt.datetime,
    pauses: list[tuple[dt.datetime, dt.datetime | None]],
    timing: StepTiming,
) -> dt.datetime | None:
    """When a visit's standard ran (or runs) out, pauses excluded: the engine's due for a
    running visit or a calendar deadline; for a finished timed visit, the moment its working
    minutes since the start, less the pauses before that moment, reach the standard."""
    if timing.due is not None or timing.standard_minutes is None:
        return timing.due
    limit = timing.standard_minutes
    due = calendar.add_working_minutes(started_at, limit)
    for _ in range(3):  # a pause before the due time moves it; settles in a step or two
        paused = sum(
            calendar.working_minutes(start, min(end or due, due))
            for start, end in pauses
            if start < due
        )
        moved = calendar.add_working_minutes(started_at, limit + paused)
        if moved == due:
            break
        due = moved
    return due


@dataclass(frozen=True)
class RunningVisit:
    """The visit still running in an open cycle, as plain values: what its recap row needs
    besides `now` (its timing is taken at the moment of the recap)."""

    step: int
    round: int
    started_at: dt.datetime  # aware
    pauses: tuple[tuple[dt.datetime, dt.datetime | None], ...]  # aware
    reason: str


@dataclass(frozen=True)
class RecapBase:
    """The part of a cycle's recap that does not change with `now`: the cycle with its
    finished visits only (figures over them), and the visit still running, if any. What an
    export may keep between runs (langkah.recap_cache); `recap_at` completes it."""

    cycle: RecapCycle
    running: RunningVisit | None


def _recap_step(
    definition: SopDefinition,
    cycle_id: str,
    period: str,
    zone: ZoneInfo,
    step: Step,
    round_: int,
    timing: StepTiming,
    due: dt.datetime | None,
    started_at: dt.datetime,
    ended_at: dt.datetime | None,
    outcome: str | None,
    reason: str,
) -> RecapStep:
    from langkah.engine.vocabulary import outcome as outcome_word

    has_standard = timing.status != TimeStatus.NO_STANDARD
    returned_to = definition.successors(step.number)["no"] if outcome == "no" else None
    return RecapStep(
        cycle_id=cycle_id,
        kecamatan=definition.identity.office.name,
        period=period,
        step=step.number,
        round=round_,
        activity=" ".join(step.activity.split()),
        actors=definition.actor_titles(step),
        standard_text=" ".join(step.time.split()),
        standard_minutes=timing.standard_minutes,
        due=_naive_local(due, zone),
        started=_naive_local(started_at, zone),  # type: ignore[arg-type]
        ended=_naive_local(ended_at, zone),
        actual_minutes=timing.elapsed_minutes,
        paused_minutes=timing.paused_minutes,
        late=(timing.status == TimeStatus.OVERDUE) if has_standard else None,
        late_minutes=timing.overdue_minutes,
        outcome=outcome_word(outcome),
        returned_to=returned_to,
        reason=reason,
    )


def recap_base(view: CycleView) -> RecapBase:
    """The now-independent part of the recap of the view's cycle (see RecapBase)."""
    from langkah.engine.timing import time_step

    state, definition = view.state, view.definition
    zone = ZoneInfo(definition.calendar.timezone)
    period = Period.parse(state.period)
    hours = definition.calendar.working_hours
    steps = []
    running = None
    timed = late = 0
    elapsed = 0.0
    for visit in state.visits:
        step = definition.step(visit.step)
        pauses = [(p.start, p.end) for p in visit.pauses]
        if visit.ended_at is None:  # the running visit: timed when the recap is taken
            running = RunningVisit(step.number, visit.round, visit.started_at, tuple(pauses),
                                   visit.reason)  # fmt: skip
            continue
        timing = time_step(step.standard, step.number, visit.started_at, visit.ended_at,
                           pauses, view.calendar, hours, period, view.now)  # fmt: skip
        elapsed += timing.elapsed_minutes
        if timing.status != TimeStatus.NO_STANDARD:
            timed += 1
            late += timing.status == TimeStatus.OVERDUE
        due = _due(view.calendar, visit.started_at, pauses, timing)
        steps.append(
            _recap_step(
                definition,
                state.cycle_id,
                state.period,
                zone,
                step,
                visit.round,
                timing,
                due,
                visit.started_at,
                visit.ended_at,
                visit.outcome,
                visit.reason,
            )  # fmt: skip
        )
    cycle = RecapCycle(
        cycle_id=state.cycle_id,
        sop_id=state.sop_id,
        kecamatan=definition.identity.office.name,
        sop_name=definition.identity.name,
        period=state.period,
        status=state.status,
        current_step=state.current_step,
        started=_naive_local(state.started_at, zone),  # type: ignore[arg-type]
        ended=_naive_local(state.ended_at, zone),
        actual_minutes=elapsed,
        timed_steps=timed,
        on_time_steps=timed - late,
        late_steps=late,
        returns=state.total_returns,
        definition_version=state.definition_version,
        integrity_problem=view.integrity_problem,
        steps=tuple(steps),
    )
    return RecapBase(cycle, running)


def recap_at(
    base: RecapBase, definition: SopDefinition, calendar: WorkingCalendar, now: dt.datetime
) -> RecapCycle:
    """The recap as of `now`: the base, with its running visit (if any) timed at `now`."""
    from langkah.engine.timing import time_step

    run = base.running
    if run is None:
        return base.cycle
    cycle = base.cycle
    step = definition.step(run.step)
    pauses = list(run.pauses)
    timing = time_step(step.standard, step.number, run.started_at, None, pauses, calendar,
                       definition.calendar.working_hours, Period.parse(cycle.period),
                       now)  # fmt: skip
    zone = ZoneInfo(definition.calendar.timezone)
    row = _recap_step(definition, cycle.cycle_id, cycle.period, zone, step, run.round, timing,
                      _due(calendar, run.started_at, pauses, timing), run.started_at, None,
                      None, run.reason)  # fmt: skip
    return replace(
        cycle,
        actual_minutes=cycle.actual_minutes + timing.elapsed_minutes,
        late_steps=cycle.late_steps + (timing.status == TimeStatus.OVERDUE),
        steps=(*cycle.steps, row),
    )


def recap(view: CycleView) -> RecapCycle:
    """The recap of one cycle as of the view's `now`."""
    return recap_at(recap_base(view), view.definition, view.calendar, view.now)


@dataclass
class ChangedRows:
    """The overview rows of just the cycles another process wrote (`Langkah.changed_rows`):
    rows to put in place of (or beside) the shown ones, ids of cycles no longer listed (gone,
    or unreadable: then `problems` says why)."""

    rows: list[OverviewRow]
    removed: list[str] = field(default_factory=list)
    problems: list[Text] = field(default_factory=list)  # said in the reader's language
