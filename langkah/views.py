"""The read models both interfaces and the report show: a cycle as of now, and the overview.

They sit below the service and the report (they import only the engine), so the report can
take a `CycleView` without knowing the service. `langkah.service` re-exports them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from langkah.engine import actions
from langkah.engine.actions import Action
from langkah.engine.calendar import WorkingCalendar
from langkah.engine.clock_bounds import uncovered_years
from langkah.engine.cycle import CycleState, CycleStatus
from langkah.engine.definition import SopDefinition, Step
from langkah.engine.inputs import missing_inputs
from langkah.engine.loader import LoadedDefinition
from langkah.engine.period import Period
from langkah.engine.timing import CycleTiming, StepTiming, TimeStatus, time_cycle


@dataclass
class CycleView:
    """A cycle as of `now`: its state, its frozen definition, and its timing."""

    state: CycleState
    loaded: LoadedDefinition
    calendar: WorkingCalendar
    now: dt.datetime
    holiday_last_year: int | None = None  # the last year the holiday data covers (None: unknown)
    integrity_problem: str | None = None
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
    integrity_problem: str | None = None
    """None unless the cycle's log or pinned definition was found not to verify (what differs)."""

    @property
    def urgency(self) -> tuple[int, float, str]:
        """Sort key, most urgent first: overdue (by how much), near the limit, running, done."""
        t = self.timing
        if not self.status_is_open:
            return (4, 0.0, self.cycle_id)
        if t is None or t.status == TimeStatus.NO_STANDARD:
            return (3, 0.0, self.cycle_id)
        if t.status == TimeStatus.OVERDUE:
            return (0, -t.overdue_minutes, self.cycle_id)
        rank = 1 if t.status == TimeStatus.NEAR_LIMIT else 2
        return (rank, -(t.fraction or 0.0), self.cycle_id)

    @property
    def is_overdue(self) -> bool:
        """Past its standard now (near the limit is not overdue): what the overdue filter keeps."""
        return self.timing is not None and self.timing.status == TimeStatus.OVERDUE

    @property
    def status_is_open(self) -> bool:
        return self.status in (CycleStatus.ACTIVE, CycleStatus.PAUSED)


@dataclass
class Overview:
    rows: list[OverviewRow]
    problems: list[str] = field(default_factory=list)


def same_sop_and_period(rows: list[OverviewRow], sop_id: str, period: str) -> list[OverviewRow]:
    """The cycles of this SOP and period that were not cancelled: starting one more would be a
    second cycle of the same work (the start screen warns, `langkah start` refuses)."""
    return [
        row
        for row in rows
        if row.sop_id == sop_id and row.period == period and row.status != CycleStatus.CANCELLED
    ]


__all__ = ["CycleView", "Overview", "OverviewRow", "same_sop_and_period"]
