"""One cycle's facts for the analytics, from its replayed state (never from a stored summary).

Each visit of a step gets a verdict by the rule the Word report uses for "Persentase langkah
tepat waktu" (langkah/report/figures.py; tests/analytics/test_agreement.py holds them equal):
- a step without a standard is not judged;
- a finished visit of a timed step is on time or late; one stopped by a cancellation is late
  only if it was past its standard already, else it is not judged;
- a running visit past its standard is late (its delay so far counts); a running visit within
  its standard is pending: not judged yet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, NamedTuple

from langkah.engine.calendar import WorkingCalendar
from langkah.engine.cycle import CycleState, CycleStatus, Outcome, Visit
from langkah.engine.definition import SopDefinition
from langkah.engine.standard_time import StandardKind, StandardTime
from langkah.engine.timing import StepTiming, TimeStatus, minutes_per_day, time_cycle
from langkah.messages import Text


class Verdict(StrEnum):
    NO_STANDARD = "no_standard"  # the step sets no time
    STOPPED = "stopped"  # cancelled within its standard: neither on time nor late
    PENDING = "pending"  # running, still within its standard
    ON_TIME = "on_time"
    LATE = "late"


JUDGED = frozenset({Verdict.ON_TIME, Verdict.LATE})


def verdict(visit: Visit, timing: StepTiming) -> Verdict:
    """How one visit counts (the report's rule, see the module's docstring)."""
    return verdict_of(visit.outcome, timing)


def verdict_of(outcome: Outcome | None, timing: StepTiming) -> Verdict:
    """`verdict` from the visit's outcome alone (all of the visit the rule reads)."""
    if timing.status == TimeStatus.NO_STANDARD:
        return Verdict.NO_STANDARD
    late = timing.status == TimeStatus.OVERDUE
    if outcome == Outcome.CANCELLED and not late:
        return Verdict.STOPPED
    if timing.running and not late:
        return Verdict.PENDING
    return Verdict.LATE if late else Verdict.ON_TIME


class StepFact(NamedTuple):
    """One visit: its step, its verdict and, when judged, its delay in working minutes.
    (A named tuple: the facts cache makes hundreds of thousands of them per run.)"""

    step: int
    round: int
    verdict: Verdict
    delay_minutes: float | None  # overdue working minutes (0 when on time); None if not judged
    elapsed_minutes: float


@dataclass(frozen=True)
class CycleFacts:
    cycle_id: str
    sop_id: str
    sop_name: str
    kecamatan: str
    period: str
    status: CycleStatus
    visits: tuple[StepFact, ...]
    answers: dict[int, int]  # decision step -> answers given there (ya and tidak)
    returns: dict[int, int]  # decision step -> "tidak" answers (work sent back)
    lead_minutes: float | None  # working minutes of a finished cycle, pauses excluded
    standard_sum_minutes: float  # the sum of the definition's length standards
    unsummed_steps: tuple[int, ...]  # steps whose standard is a deadline or none: not in the sum
    standards: dict[int, StandardTime]  # step -> its parsed waktu (the text as written kept)
    decision_steps: tuple[int, ...]
    day_minutes: float  # the calendar's working day, for showing durations


def cycle_facts(
    state: CycleState, definition: SopDefinition, calendar: WorkingCalendar, now: dt.datetime
) -> CycleFacts:
    """The facts of one cycle as of `now`, timed by the engine (engine.timing.time_cycle)."""
    timing = time_cycle(state, definition, calendar, now)
    visits = []
    for visit, timed in zip(state.visits, timing.visits, strict=True):
        judged = verdict(visit, timed)
        delay = timed.overdue_minutes if judged in JUDGED else None
        visits.append(StepFact(visit.step, visit.round, judged, delay, timed.elapsed_minutes))
    answers: dict[int, int] = {}
    for visit in state.visits:
        if visit.outcome in (Outcome.YES, Outcome.NO):
            answers[visit.step] = answers.get(visit.step, 0) + 1
    shape = _shape(definition)
    return CycleFacts(
        cycle_id=state.cycle_id,
        sop_id=state.sop_id,
        sop_name=shape.sop_name,
        kecamatan=shape.kecamatan,
        period=state.period,
        status=state.status,
        visits=tuple(visits),
        answers=answers,
        returns=dict(state.returns),
        lead_minutes=timing.elapsed_minutes if state.status == CycleStatus.FINISHED else None,
        standard_sum_minutes=timing.standard_minutes,
        unsummed_steps=shape.unsummed_steps,
        standards=shape.standards,
        decision_steps=shape.decision_steps,
        day_minutes=shape.day_minutes,
    )


@dataclass(frozen=True)
class _Shape:
    """What every cycle of one definition shares (worked out once per definition)."""

    sop_name: str
    kecamatan: str
    unsummed_steps: tuple[int, ...]
    standards: dict[int, StandardTime]
    decision_steps: tuple[int, ...]
    day_minutes: float


_SHAPES: dict[int, tuple[SopDefinition, _Shape]] = {}


def _shape(definition: SopDefinition) -> _Shape:
    kept = _SHAPES.get(id(definition))
    if kept is not None and kept[0] is definition:
        return kept[1]
    steps = definition.steps
    standards = {s.number: s.standard for s in steps}
    shape = _Shape(
        sop_name=definition.identity.name,
        kecamatan=definition.identity.office.name,
        unsummed_steps=tuple(
            n
            for n, st in standards.items()
            if st.kind in (StandardKind.DEADLINE, StandardKind.NONE)
        ),
        standards=standards,
        decision_steps=tuple(s.number for s in steps if s.decision is not None),
        day_minutes=minutes_per_day(definition.calendar.working_hours) or 450.0,
    )
    if len(_SHAPES) >= 256:  # a bound, not a policy: definitions are few
        _SHAPES.clear()
    _SHAPES[id(definition)] = (definition, shape)
    return shape


@dataclass
class FactsRead:
    """What a read of the stored cycles gave: the facts of the cycles wanted, every SOP id and
    kecamatan met (to check filters against), and the cycles left out, with why."""

    facts: list[CycleFacts] = field(default_factory=list)
    # or, when asked for, each as (cycle id, kept payload, definition, calendar)
    kept: list[tuple[str, list[Any], SopDefinition, WorkingCalendar]] = field(default_factory=list)
    sop_ids: set[str] = field(default_factory=set)
    kecamatan: set[str] = field(default_factory=set)
    problems: list[tuple[str, Text]] = field(default_factory=list)  # (cycle id, what is wrong)
