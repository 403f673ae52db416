"""The figures of docs/analytics.md, from the facts of many cycles.

Groups are SOP variant x kecamatan x period; `totals` pool each variant over the selected
periods; the step table sets the variants side by side, step by step. Every share is of a
count that is shown beside it, and is None (never 0) when that count is 0.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING, TypeAlias

from langkah.analytics.quantile import percentile
from langkah.engine.period import Period

if TYPE_CHECKING:  # (the engine's models: not imported by `langkah stats`' lean path)
    from langkah.analytics.facts import CycleFacts, StepFact
    from langkah.engine.standard_time import StandardTime


def share(part: int, whole: int) -> float | None:
    """part / whole as a percentage; None when whole is 0."""
    return 100.0 * part / whole if whole else None


@dataclass(frozen=True)
class StepStats:
    """One step's visits in a group: how many were judged, on time, late, pending; delays."""

    step: int
    standard: StandardTime | None  # the step's waktu (None: the step is not in the definition)
    visits: int
    judged: int
    on_time: int
    late: int
    pending: int
    on_time_pct: float | None
    delay_median_minutes: float | None  # over judged visits (0 for one on time)
    delay_p90_minutes: float | None


@dataclass(frozen=True)
class DecisionStats:
    step: int
    answers: int  # ya + tidak answers given at this step
    returns: int  # tidak answers: work sent back
    return_pct: float | None  # returns / answers
    returns_per_cycle: float  # returns / cycles of the group


@dataclass(frozen=True)
class GroupStats:
    sop_id: str
    sop_name: str
    kecamatan: str
    period: str | None  # None for a variant's total over the selected periods
    cycles_started: int
    cycles_finished: int
    cycles_cancelled: int
    cycles_open: int
    steps_judged: int
    steps_on_time: int
    steps_late: int
    steps_pending: int
    on_time_pct: float | None
    most_late_step: StepStats | None  # the step with most late visits (None: none late)
    returns: int
    returns_per_cycle: float
    decisions: tuple[DecisionStats, ...]
    lead_time_cycles: int  # finished cycles, whose lead time is measured
    lead_time_median_minutes: float | None
    standard_sum_minutes: float | None
    lead_time_ratio: float | None  # median lead time / sum of standards
    unsummed_steps: tuple[int, ...]
    steps: tuple[StepStats, ...]
    day_minutes: float


@dataclass(frozen=True)
class StepColumn:
    sop_id: str
    kecamatan: str


@dataclass(frozen=True)
class StepRow:
    step: int
    cells: tuple[StepStats | None, ...]  # one per column; None: that variant has no such step


@dataclass(frozen=True)
class Stats:
    cycles: int
    groups: tuple[GroupStats, ...]
    totals: tuple[GroupStats, ...]
    columns: tuple[StepColumn, ...]
    step_table: tuple[StepRow, ...]

    @property
    def empty(self) -> bool:
        return self.cycles == 0


_DELAY = attrgetter("delay_minutes")
_VERDICT = attrgetter("verdict")


def step_stats(step: int, standard: StandardTime | None, facts: Iterable[StepFact]) -> StepStats:
    from langkah.analytics.facts import Verdict

    visits = list(facts)
    delays = [d for d in map(_DELAY, visits) if d is not None]
    counts = Counter(map(_VERDICT, visits))
    on_time, late = counts[Verdict.ON_TIME], counts[Verdict.LATE]
    judged = on_time + late
    return StepStats(
        step=step,
        standard=standard,
        visits=len(visits),
        judged=judged,
        on_time=on_time,
        late=late,
        pending=counts[Verdict.PENDING],
        on_time_pct=share(on_time, judged),
        delay_median_minutes=percentile(delays, 50),
        delay_p90_minutes=percentile(delays, 90),
    )


_Visits: TypeAlias = "tuple[dict[int, list[StepFact]], dict[int, StandardTime]]"


def _visits_by_step(cycles: Sequence[CycleFacts]) -> _Visits:
    """Every visit of `cycles` by step, and each step's standard (the first cycle's)."""
    by_step: dict[int, list[StepFact]] = defaultdict(list)
    standards: dict[int, StandardTime] = {}
    seen: set[int] = set()  # cycles of one definition share its standards (one dict)
    for cycle in cycles:
        if id(cycle.standards) not in seen:
            seen.add(id(cycle.standards))
            for number, text in cycle.standards.items():
                standards.setdefault(number, text)
                by_step.setdefault(number, [])
        for visit in cycle.visits:
            by_step[visit.step].append(visit)
    return by_step, standards


def _merged(parts: Iterable[_Visits]) -> _Visits:
    """The visits of several groups together (as `_visits_by_step` of all their cycles)."""
    by_step: dict[int, list[StepFact]] = defaultdict(list)
    standards: dict[int, StandardTime] = {}
    for part_steps, part_standards in parts:
        for number, text in part_standards.items():
            standards.setdefault(number, text)
        for number, visits in part_steps.items():
            by_step[number].extend(visits)
    return by_step, standards


def _steps(visits: _Visits) -> tuple[StepStats, ...]:
    by_step, standards = visits
    return tuple(step_stats(n, standards.get(n), by_step[n]) for n in sorted(by_step))


def _most_late(steps: Iterable[StepStats]) -> StepStats | None:
    """Most late visits; a tie goes to the higher late share, then to the earlier step."""
    late = [s for s in steps if s.late]
    if not late:
        return None
    return min(late, key=lambda s: (-s.late, -(s.late / s.judged), s.step))


def group_stats(
    cycles: Sequence[CycleFacts], period: str | None, visits: _Visits | None = None
) -> GroupStats:
    """The figures of one group; `visits`: its visits by step, when already gathered."""
    from langkah.engine.cycle import CycleStatus

    if not cycles:
        raise ValueError("a group has at least one cycle")
    first = cycles[0]
    steps = _steps(visits if visits is not None else _visits_by_step(cycles))
    on_time, late = sum(s.on_time for s in steps), sum(s.late for s in steps)
    decision_steps = sorted({n for c in cycles for n in c.decision_steps})
    decisions = tuple(
        DecisionStats(
            step=n,
            answers=(answers := sum(c.answers.get(n, 0) for c in cycles)),
            returns=(returned := sum(c.returns.get(n, 0) for c in cycles)),
            return_pct=share(returned, answers),
            returns_per_cycle=returned / len(cycles),
        )
        for n in decision_steps
    )
    returns = sum(sum(c.returns.values()) for c in cycles)
    leads = [c.lead_minutes for c in cycles if c.lead_minutes is not None]
    lead = statistics.median(leads) if leads else None
    standard = statistics.median(c.standard_sum_minutes for c in cycles)
    statuses = [c.status for c in cycles]
    return GroupStats(
        sop_id=first.sop_id,
        sop_name=first.sop_name,
        kecamatan=first.kecamatan,
        period=period,
        cycles_started=len(cycles),
        cycles_finished=statuses.count(CycleStatus.FINISHED),
        cycles_cancelled=statuses.count(CycleStatus.CANCELLED),
        cycles_open=sum(1 for s in statuses if s in (CycleStatus.ACTIVE, CycleStatus.PAUSED)),
        steps_judged=on_time + late,
        steps_on_time=on_time,
        steps_late=late,
        steps_pending=sum(s.pending for s in steps),
        on_time_pct=share(on_time, on_time + late),
        most_late_step=_most_late(steps),
        returns=returns,
        returns_per_cycle=returns / len(cycles),
        decisions=decisions,
        lead_time_cycles=len(leads),
        lead_time_median_minutes=lead,
        standard_sum_minutes=standard or None,
        lead_time_ratio=lead / standard if lead is not None and standard else None,
        unsummed_steps=tuple(sorted({n for c in cycles for n in c.unsummed_steps})),
        steps=steps,
        day_minutes=first.day_minutes,
    )


def _period_key(text: str) -> tuple[object, ...]:
    try:
        period = Period.parse(text)
    except ValueError:  # pragma: no cover - a replayed state's period always parses
        return (1, text)
    return (0, period.start, period.end)


def compute(cycles: Iterable[CycleFacts]) -> Stats:
    """Every figure of docs/analytics.md over `cycles` (already selected)."""
    cycles = list(cycles)
    by_group: dict[tuple[str, str, str], list[CycleFacts]] = defaultdict(list)
    by_variant: dict[tuple[str, str], list[CycleFacts]] = defaultdict(list)
    for cycle in cycles:
        by_group[(cycle.sop_id, cycle.kecamatan, cycle.period)].append(cycle)
        by_variant[(cycle.sop_id, cycle.kecamatan)].append(cycle)
    variant_order = sorted(by_variant, key=lambda k: (k[1].lower(), k[0]))
    position = {key: i for i, key in enumerate(variant_order)}
    visits = {key: _visits_by_step(group) for key, group in by_group.items()}
    groups = tuple(
        group_stats(by_group[key], key[2], visits[key])
        for key in sorted(by_group, key=lambda k: (position[(k[0], k[1])], _period_key(k[2])))
    )
    of_variant: dict[tuple[str, str], list[_Visits]] = defaultdict(list)
    for key, gathered in visits.items():
        of_variant[(key[0], key[1])].append(gathered)
    totals = tuple(
        group_stats(by_variant[key], None, _merged(of_variant[key])) for key in variant_order
    )
    columns = tuple(StepColumn(t.sop_id, t.kecamatan) for t in totals)
    numbers = sorted({s.step for t in totals for s in t.steps})
    table = tuple(
        StepRow(n, tuple(next((s for s in t.steps if s.step == n), None) for t in totals))
        for n in numbers
    )
    return Stats(len(cycles), groups, totals, columns, table)


__all__ = ["compute", "group_stats", "share", "step_stats"]
