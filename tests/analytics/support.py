"""Small fixed logs for the analytics tests: the engine's own commands, with times and ids
given by the test (Thursday 1 October 2026 onwards, WIB, Perpres 21/2023 hours)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from langkah.analytics import CycleFacts, cycle_facts
from langkah.engine import actions
from langkah.engine.cycle import CycleState, apply
from langkah.engine.definition import InputKind, Step
from langkah.engine.events import Event
from langkah.engine.holidays_id import calendar_for
from langkah.engine.loader import LoadedDefinition
from langkah.engine.period import Period
from tests.engine_support import bundled

WIB = dt.timezone(dt.timedelta(hours=7))
KALIPARE = "kalipare/pengukuran-kinerja"  # 15m, 30m, 1 jam, 15m, 15m, 5m; no decision
MENTEBAH = "mentebah/pengukuran-kinerja"  # step 2: tanggal 5 triwulan berikutnya; 7 decides
DAWARBLANDONG = "dawarblandong/pengukuran-data-kinerja"  # step 9 decides, back to 8


def wib(day: int, hour: int, minute: int = 0, month: int = 10) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=WIB)


def _value(kind: InputKind, choices: tuple[str, ...]) -> Any:
    return {
        InputKind.CHECK: True,
        InputKind.NUMBER: 1,
        InputKind.DATE: "2026-10-05",
        InputKind.DOCUMENT: "005/12/416-317/2026;2026-10-01",
        InputKind.CHOICE: choices[0] if choices else "",
    }.get(kind, "isi")


def _filled(step: Step) -> dict[str, Any]:
    return {spec.id: _value(spec.type, spec.choices) for spec in step.inputs}


class Log:
    """One cycle's log, built action by action at the times the test names."""

    def __init__(self, sop_id: str, cycle_id: str, period: str, at: dt.datetime):
        self.loaded: LoadedDefinition = bundled(sop_id)
        self.definition = self.loaded.definition
        self.cycle_id = cycle_id
        self.events: list[Event] = []
        self.state: CycleState | None = None
        self._add(
            actions.start(
                self.loaded, cycle_id, Period.parse(period), {}, at, "", event_id=self._id()
            )
        )

    def _id(self) -> str:
        return f"{self.cycle_id}-{len(self.events) + 1}"

    def _add(self, event: Event) -> Log:
        self.events.append(event)
        self.state = apply(self.definition, self.state, event)
        return self

    def done(self, at: dt.datetime, yes: bool | None = None) -> Log:
        """Fill the current step's inputs and complete it (or answer its decision) at `at`."""
        d, s = self.definition, self.state
        assert s is not None
        step = d.step(s.visits[-1].step)
        if step.inputs:
            self._add(actions.record_inputs(s, d, _filled(step), at, "", event_id=self._id()))
        s = self.state
        if step.decision is not None:
            assert yes is not None, f"step {step.number} asks a question"
            reason = None if yes else "kurang lengkap"
            return self._add(actions.answer(s, d, yes, reason, at, "", event_id=self._id()))
        return self._add(actions.complete(s, d, at, "", event_id=self._id()))

    def pause(self, at: dt.datetime) -> Log:
        s = self.state
        return self._add(actions.pause(s, self.definition, "menunggu", at, "", event_id=self._id()))

    def resume(self, at: dt.datetime) -> Log:
        s = self.state
        return self._add(actions.resume(s, self.definition, "lanjut", at, "", event_id=self._id()))

    def cancel(self, at: dt.datetime) -> Log:
        s = self.state
        return self._add(actions.cancel(s, self.definition, "batal", at, "", event_id=self._id()))

    def facts(self, now: dt.datetime) -> CycleFacts:
        assert self.state is not None
        calendar = calendar_for(self.definition.calendar)
        return cycle_facts(self.state, self.definition, calendar, now)


def run(log: Log, times: list[tuple[int, int, int]]) -> Log:
    """Complete one step per (day, hour, minute) of October 2026, in order."""
    for day, hour, minute in times:
        log.done(wib(day, hour, minute))
    return log


# The worked example of docs/analytics.md: five Kalipare cycles of 2026-T3, as of Friday
# 2 October 2026 09.00 WIB. Standards: 15, 30, 60, 15, 15, 5 minutes (sum 140).
EXAMPLE_NOW = wib(2, 9, 0)


def example_logs() -> list[Log]:
    # A: 08.00 start; steps take 10, 40, 60, 10, 30, 5 minutes -> late: 2 (+10), 5 (+15)
    a = run(
        Log(KALIPARE, "kalipare-a", "2026-T3", wib(1, 8, 0)),
        [(1, 8, 10), (1, 8, 50), (1, 9, 50), (1, 10, 0), (1, 10, 30), (1, 10, 35)],
    )
    # B: 11.00 start; 20, 60 (11.20-13.20 less the 12.00-13.00 break), 40, 15, 10, 15
    #    -> late: 1 (+5), 2 (+30), 6 (+10)
    b = run(
        Log(KALIPARE, "kalipare-b", "2026-T3", wib(1, 11, 0)),
        [(1, 11, 20), (1, 13, 20), (1, 14, 0), (1, 14, 15), (1, 14, 25), (1, 14, 40)],
    )
    # C: Friday 08.00; step 1 takes 5; step 2 runs from 08.05: 55 minutes at 09.00 (+25 late)
    c = run(Log(KALIPARE, "kalipare-c", "2026-T3", wib(2, 8, 0)), [(2, 8, 5)])
    # D: Thursday 15.00; step 1 takes 10; step 2 is cancelled after 10 (within its 30)
    d = run(Log(KALIPARE, "kalipare-d", "2026-T3", wib(1, 15, 0)), [(1, 15, 10)])
    d.cancel(wib(1, 15, 20))
    # E: Friday 08.50; step 1 runs 10 of its 15 minutes: pending
    e = Log(KALIPARE, "kalipare-e", "2026-T3", wib(2, 8, 50))
    return [a, b, c, d, e]
