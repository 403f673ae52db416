"""Cycle behaviour that mutation testing showed unchecked (docs/testing.md, "Mutation testing").

Every command goes through `_event`, so a change to the engine's command signature is one edit.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from pydantic import ValidationError

from langkah.engine import actions
from langkah.engine.calendar import WorkingCalendar
from langkah.engine.cycle import CycleState, CycleStatus, Outcome, apply
from langkah.engine.events import Event
from langkah.engine.period import Period
from langkah.engine.timing import time_cycle
from tests.engine_support import START, bundled

LOADED = bundled()
D = LOADED.definition
PLAIN = WorkingCalendar("Asia/Jakarta", D.calendar.working_hours, {})


_ids = itertools.count(1)


def _event(command, *args, **kwargs) -> Event:
    """The one place that calls an engine command; each event gets the next id."""
    return command(*args, event_id=f"e{next(_ids)}", **kwargs)


class Cycle:
    """One cycle of the Dawarblandong SOP, driven by hand with a clock that moves 10 minutes."""

    def __init__(self) -> None:
        self.now = START
        first = _event(actions.start, LOADED, "c1", Period.parse("2026-T3"), {}, self.now, "t")
        self.state: CycleState = apply(D, None, first)

    def do(self, command, *args, minutes: float = 10, **kwargs) -> CycleState:
        self.now += dt.timedelta(minutes=minutes)
        event = _event(command, self.state, D, *args, self.now, "t", **kwargs)
        self.state = apply(D, self.state, event)
        return self.state

    def finish_step(self) -> None:
        step = D.step(self.state.current_step)
        values = {
            s.id: ("001/2026;2026-10-01" if s.type.value == "document" else "ya")
            for s in step.inputs
        }
        self.do(actions.record_inputs, values, minutes=1)
        self.do(actions.complete)


def test_a_new_step_starts_with_only_its_own_inputs():
    cycle = Cycle()
    cycle.finish_step()  # step 1 records nota_dinas
    cycle.finish_step()
    state = cycle.do(actions.record_inputs, {"notulen_rapat": "ya"})
    assert state.current_step == 3
    assert state.visits[-1].inputs == {"notulen_rapat": True}


def test_cancelling_while_paused_ends_the_open_pause_and_keeps_the_earlier_ones():
    cycle = Cycle()
    first_pause = cycle.now + dt.timedelta(minutes=10)
    cycle.do(actions.pause, "menunggu data")
    resumed = cycle.now + dt.timedelta(minutes=30)
    cycle.do(actions.resume, "data ada", minutes=30)
    second_pause = cycle.now + dt.timedelta(minutes=10)
    cycle.do(actions.pause, "rapat")
    cancelled = cycle.now + dt.timedelta(minutes=45)
    state = cycle.do(actions.cancel, "dibatalkan camat", minutes=45)

    assert state.status == CycleStatus.CANCELLED
    visit = state.visits[-1]
    assert visit.outcome == Outcome.CANCELLED
    assert [(p.start, p.end, p.reason) for p in visit.pauses] == [
        (first_pause, resumed, "menunggu data"),
        (second_pause, cancelled, "rapat"),
    ]


def test_a_state_cannot_be_changed_in_place():
    state = Cycle().state
    with pytest.raises(ValidationError):
        state.status = CycleStatus.FINISHED
    with pytest.raises(ValidationError):
        state.visits[0].step = 5


def test_the_current_timing_is_the_step_in_progress_not_the_first():
    cycle = Cycle()
    cycle.finish_step()
    timing = time_cycle(cycle.state, D, PLAIN, cycle.now)
    assert timing.current is not None
    assert timing.current.step == 2
    assert [v.step for v in timing.visits] == [1, 2]


def test_the_definition_version_shown_is_the_first_twelve_characters_of_the_digest():
    state = Cycle().state
    assert state.definition_version == LOADED.digest[:12]
    assert len(state.definition_version) == 12


def test_the_cycle_counts_steps_done_on_time_and_late():
    cycle = Cycle()
    cycle.finish_step()  # step 1 allows 5 minutes and takes 11: late
    cycle.finish_step()  # step 2 allows 60 minutes and takes 11: on time
    timing = time_cycle(cycle.state, D, PLAIN, cycle.now)
    assert (timing.on_time, timing.overdue) == (1, 1)


def test_a_cancelled_cycle_has_no_step_in_progress():
    cycle = Cycle()
    cycle.finish_step()
    state = cycle.do(actions.cancel, "salah periode")
    timing = time_cycle(state, D, PLAIN, cycle.now + dt.timedelta(hours=1))
    assert timing.current is None
    assert not timing.visits[-1].running


def test_inputs_are_offered_only_on_a_step_that_has_them():
    state = Cycle().state  # at step 1, which asks for the nota dinas
    assert actions.Action.INPUT in actions.allowed_actions(state, D)
    bare = D.model_copy(update={"steps": (D.step(1).model_copy(update={"inputs": ()}),)})
    offered = actions.allowed_actions(state, bare)
    assert actions.Action.INPUT not in offered
    assert actions.Action.COMPLETE in offered


def test_a_note_on_an_earlier_step_keeps_every_visit():
    cycle = Cycle()
    cycle.finish_step()
    cycle.finish_step()  # now at step 3
    state = cycle.do(actions.note, "nota dinas diperbaiki", step_number=1)
    assert [v.step for v in state.visits] == [1, 2, 3]
    assert [n.text for n in state.visits[0].notes] == ["nota dinas diperbaiki"]
    assert state.visits[1].notes == state.visits[2].notes == ()
    assert state.current_step == 3


def test_the_cycle_wall_time_is_in_minutes():
    cycle = Cycle()
    cycle.finish_step()  # 11 minutes
    timing = time_cycle(cycle.state, D, PLAIN, cycle.now + dt.timedelta(minutes=19))
    assert timing.wall_minutes == 30


def test_pauses_belong_to_the_step_they_were_taken_on():
    cycle = Cycle()
    cycle.do(actions.pause, "listrik padam")
    cycle.do(actions.resume, "listrik menyala")
    cycle.finish_step()
    cycle.do(actions.pause, "menunggu Sekcam")
    cycle.do(actions.resume, "Sekcam hadir")
    cycle.do(actions.pause, "rapat")
    cancelled = cycle.now + dt.timedelta(minutes=20)
    state = cycle.do(actions.cancel, "diganti siklus baru", minutes=20)
    first, second = state.visits
    assert [p.reason for p in first.pauses] == ["listrik padam"]
    assert [p.reason for p in second.pauses] == ["menunggu Sekcam", "rapat"]
    assert second.pauses[-1].end == cancelled


def test_each_pause_keeps_its_own_resume():
    cycle = Cycle()
    cycle.do(actions.pause, "listrik padam")
    first_end = cycle.now + dt.timedelta(minutes=10)
    cycle.do(actions.resume, "listrik menyala")
    cycle.do(actions.pause, "rapat")
    second_end = cycle.now + dt.timedelta(minutes=10)
    state = cycle.do(actions.resume, "rapat selesai")
    assert [(p.reason, p.resume_reason, p.end) for p in state.visits[-1].pauses] == [
        ("listrik padam", "listrik menyala", first_end),
        ("rapat", "rapat selesai", second_end),
    ]


def test_a_timing_cannot_be_changed_in_place():
    timing = time_cycle(Cycle().state, D, PLAIN, START)
    with pytest.raises(ValidationError):
        timing.on_time = 5
