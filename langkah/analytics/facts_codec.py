"""A cycle's analytics facts in a compact, JSON-ready form that does not depend on `now`.

What `langkah stats` keeps per cycle between runs (the service's facts cache, keyed by the
log's version and head; langkah/derived_cache.py): the facts of the finished visits (timed once
for good: an ended visit's timing never reads `now`), the cycle's counts and lead time, and the
raw start and pauses of the running visit, if any, which `decode` times at `now` exactly as
`cycle_facts` does. What every cycle of a definition shares (names, standards, decision steps)
is not kept: it comes from the definition.

Pure: plain values in and out, no file read here.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from langkah.analytics.facts import (
    JUDGED,
    CycleFacts,
    StepFact,
    Verdict,
    _shape,
    verdict_of,
)
from langkah.analytics.facts_format import FACTS_FORMAT as FACTS_FORMAT
from langkah.engine.calendar import WorkingCalendar
from langkah.engine.cycle import CycleState, CycleStatus, Outcome
from langkah.engine.definition import SopDefinition
from langkah.engine.period import Period
from langkah.engine.timing import time_step

_CODE = {
    Verdict.NO_STANDARD: "n",
    Verdict.STOPPED: "s",
    Verdict.PENDING: "p",
    Verdict.ON_TIME: "o",
    Verdict.LATE: "l",
}
_VERDICT = {code: verdict for verdict, code in _CODE.items()}
_CODES = "".join(_VERDICT)
_STATUS = {status.value: status for status in CycleStatus}
_step_fact = functools.partial(tuple.__new__, StepFact)  # StepFact._make without its checks


def encode(facts: CycleFacts, state: CycleState) -> list[Any]:
    """The kept form of `facts` (made from `state`): the running visit (ended_at None) as
    its raw start and pauses, every other visit as its facts, in columns."""
    done = [(f, v) for f, v in zip(facts.visits, state.visits, strict=True) if v.ended_at]
    running = None
    if state.visits and state.visits[-1].ended_at is None:
        visit = state.visits[-1]
        running = [
            visit.step,
            visit.round,
            visit.started_at.isoformat(),
            [[p.start.isoformat(), p.end.isoformat() if p.end else None] for p in visit.pauses],
            visit.outcome.value if visit.outcome is not None else None,
        ]
    elif any(v.ended_at is None for v in state.visits):  # pragma: no cover - one runs, last
        raise ValueError("a visit runs that is not the last one")
    return [
        state.definition_digest,
        facts.sop_id,
        facts.period,
        facts.status.value,
        [f.step for f, _ in done],
        [f.round for f, _ in done],
        "".join(_CODE[f.verdict] for f, _ in done),
        [f.delay_minutes for f, _ in done],
        [f.elapsed_minutes for f, _ in done],
        sorted(facts.answers.items()),
        sorted(facts.returns.items()),
        facts.lead_minutes,
        facts.standard_sum_minutes,
        running,
    ]


def check(payload: Any) -> None:
    """ValueError unless `payload` has the shape `encode` gives, as far as a reader that does
    not `decode` it relies on (langkah.analytics.columns; cheap: it runs once per cycle)."""
    if type(payload) is not list or len(payload) != 14 or payload[3] not in _STATUS:
        raise ValueError("not a kept entry")
    steps, codes = payload[4], payload[6]
    if type(steps) is not list or type(codes) is not str or codes.strip(_CODES):
        raise ValueError("not a kept entry's visits")
    if len(codes) != len(steps) or len(payload[7]) != len(steps):
        raise ValueError("the visits' columns differ in length")


def digest_of(payload: list[Any]) -> tuple[str, str]:
    """(definition digest, SOP id) of a kept entry: which definition `decode` needs."""
    return payload[0], payload[1]


@functools.lru_cache(maxsize=4096)
def _period(text: str) -> Period:
    return Period.parse(text)


def time_running(
    running: list[Any],
    period: str,
    definition: SopDefinition,
    calendar: WorkingCalendar,
    now: dt.datetime,
) -> StepFact:
    """The facts as of `now` of a running visit kept as `encode` keeps it (step, round, start,
    pauses, outcome): timed exactly as `cycle_facts` times it."""
    number, round_, started, pauses, outcome = running
    step = definition.step(number)
    timed = time_step(
        step.standard,
        step.number,
        dt.datetime.fromisoformat(started),
        None,
        [
            (dt.datetime.fromisoformat(a), dt.datetime.fromisoformat(b) if b else None)
            for a, b in pauses
        ],  # fmt: skip
        calendar,
        definition.calendar.working_hours,
        _period(period),
        now,
    )
    judged = verdict_of(Outcome(outcome) if outcome is not None else None, timed)
    delay = timed.overdue_minutes if judged in JUDGED else None
    return StepFact(number, round_, judged, delay, timed.elapsed_minutes)


def decode(
    payload: list[Any],
    cycle_id: str,
    definition: SopDefinition,
    calendar: WorkingCalendar,
    now: dt.datetime,
) -> CycleFacts:
    """The facts `cycle_facts` gives as of `now`, from a kept entry (ValueError, TypeError,
    KeyError or IndexError for an entry that is not one `encode` made)."""
    (_, sop_id, period, status, steps, rounds, codes, delays, elapsed, answers, returns,
     lead, standard_sum, running) = payload  # fmt: skip
    verdicts = map(_VERDICT.__getitem__, codes)
    visits = list(map(_step_fact, zip(steps, rounds, verdicts, delays, elapsed, strict=True)))
    if running is not None:
        visits.append(time_running(running, period, definition, calendar, now))
    shape = _shape(definition)
    return CycleFacts(
        cycle_id=cycle_id,
        sop_id=sop_id,
        sop_name=shape.sop_name,
        kecamatan=shape.kecamatan,
        period=period,
        status=_STATUS[status],
        visits=tuple(visits),
        answers={int(k): int(v) for k, v in answers},
        returns={int(k): int(v) for k, v in returns},
        lead_minutes=lead,
        standard_sum_minutes=standard_sum,
        unsummed_steps=shape.unsummed_steps,
        standards=shape.standards,
        decision_steps=shape.decision_steps,
        day_minutes=shape.day_minutes,
    )
