"""Every action and refusal of the engine, on the Dawarblandong SOP (decision at step 9)."""

from __future__ import annotations

import datetime as dt

import pytest

from langkah.engine import actions
from langkah.engine.actions import Action
from langkah.engine.cycle import CycleState, CycleStatus, Outcome, Person, apply, replay
from langkah.engine.definition import InputKind
from langkah.engine.errors import ActionRefused
from langkah.engine.events import Event, EventType
from langkah.engine.period import Period
from tests.engine_support import START, bundled

LOADED = bundled()
D = LOADED.definition


class Run:
    """A cycle driven through the engine alone, keeping its log."""

    def __init__(self, roles: dict[str, Person] | None = None):
        self.now = START
        self.log: list[Event] = [
            actions.start(
                LOADED,
                "c1",
                Period.parse("2026-T3"),
                roles or {},
                self.now,
                "tester",
                event_id="e1",
            )
        ]
        self.state: CycleState = replay(D, self.log)

    def do(self, command, *args, minutes: float = 10) -> CycleState:
        self.now += dt.timedelta(minutes=minutes)
        event = command(self.state, D, *args, self.now, "tester", event_id=f"e{len(self.log) + 1}")
        self.log.append(event)
        self.state = apply(D, self.state, event)
        return self.state

    def fill(self) -> None:
        step = D.step(self.state.current_step)
        values = {
            s.id: ("001/2026;2026-10-01" if s.type == InputKind.DOCUMENT else "ya")
            for s in step.inputs
        }
        self.do(actions.record_inputs, values, minutes=1)

    def finish_step(self) -> None:
        self.fill()
        self.do(actions.complete)


def test_start_puts_the_cycle_at_step_one_with_its_actor():
    run = Run(roles={"camat": Person(name="AKHMAD TAUFIQ", nip="197006261990031006")})
    assert run.state.current_step == 1
    assert run.state.status == CycleStatus.ACTIVE
    assert run.log[0].actors == ("camat",)
    assert run.state.roles["camat"].name == "AKHMAD TAUFIQ"
    assert run.state.definition_digest == LOADED.digest


def test_complete_is_refused_while_a_required_input_is_missing():
    run = Run()
    with pytest.raises(ActionRefused) as refused:
        run.do(actions.complete)
    assert refused.value.code == "missing_inputs"
    assert "Nota Dinas" in refused.value.message("id")
    assert "Nota Dinas" in refused.value.message("en")


def test_inputs_are_typed_and_validated_by_item():
    run = Run()
    with pytest.raises(ActionRefused) as refused:
        run.do(actions.record_inputs, {"nota_dinas": "no date here"})
    assert "Nota Dinas" in refused.value.message("id")
    with pytest.raises(ActionRefused) as refused:
        run.do(actions.record_inputs, {"surat": "x"})
    assert refused.value.code == "unknown_input"
    run.do(actions.record_inputs, {"nota_dinas": "005/12/416-317/2026;5/10/2026"})
    assert run.state.visits[-1].inputs == {
        "nota_dinas": {"nomor": "005/12/416-317/2026", "tanggal": "2026-10-05"}
    }
    run.do(actions.record_inputs, {"nota_dinas": ""})  # an empty value clears it
    assert run.state.visits[-1].inputs == {}


def test_steps_follow_the_sop_order_to_the_decision():
    run = Run()
    for expected in range(1, 9):
        assert run.state.current_step == expected
        run.finish_step()
    assert run.state.current_step == 9
    assert Action.ANSWER in actions.allowed_actions(run.state, D)
    assert Action.COMPLETE not in actions.allowed_actions(run.state, D)


def _to_decision() -> Run:
    run = Run()
    for _ in range(8):
        run.finish_step()
    return run


def test_a_decision_cannot_be_completed_only_answered():
    run = _to_decision()
    run.fill()
    with pytest.raises(ActionRefused) as refused:
        run.do(actions.complete)
    assert refused.value.code == "needs_answer"
    assert "setuju" in refused.value.message("id")


def test_a_refusal_needs_a_reason_and_returns_to_the_recap():
    run = _to_decision()
    run.fill()
    with pytest.raises(ActionRefused) as refused:
        run.do(actions.answer, False, "  ")
    assert refused.value.code == "needs_reason"
    run.do(actions.answer, False, "rekap program 2 belum lengkap")
    assert run.state.current_step == 7
    assert run.state.returns == {9: 1}
    refused_visit = [v for v in run.state.visits if v.step == 9][0]
    assert refused_visit.outcome == Outcome.NO
    assert refused_visit.reason == "rekap program 2 belum lengkap"
    assert run.state.visits[-1].round == 2  # step 7, second time


@pytest.mark.parametrize("yes", [True, False])
def test_a_decision_is_not_answered_while_its_input_is_missing(yes):
    run = _to_decision()
    log = list(run.log)
    with pytest.raises(ActionRefused) as refused:
        run.do(actions.answer, yes, "rekap belum dibaca")
    assert refused.value.code == "missing_for_answer"
    message = refused.value.message("id")
    assert "belum bisa dijawab" in message and "Draft Laporan" in message
    assert "cannot be answered yet" in refused.value.message("en")
    assert run.log == log


def test_returns_are_counted_and_the_cycle_finishes_after_agreement():
    run = _to_decision()
    run.fill()
    run.do(actions.answer, False, "kurang")
    run.finish_step()  # 7 again
    run.finish_step()  # 8 again
    run.fill()
    run.do(actions.answer, False, "masih kurang")
    assert run.state.returns == {9: 2}
    run.finish_step()
    run.finish_step()
    with pytest.raises(ActionRefused):  # a new visit of step 9: its inputs start empty
        run.do(actions.answer, True, "")
    run.fill()
    run.do(actions.answer, True, "")
    assert run.state.current_step == 10
    run.finish_step()
    run.finish_step()  # 11, archiving, no time standard
    assert run.state.status == CycleStatus.FINISHED
    assert run.state.current_step is None
    assert run.state.ended_at is not None
    assert [v.step for v in run.state.visits] == [
        1,
        2,
        3,
        4,
        5,
        6,
        7,
        8,
        9,
        7,
        8,
        9,
        7,
        8,
        9,
        10,
        11,
    ]


def test_answer_yes_is_refused_while_required_inputs_are_missing():
    run = Run()
    for _ in range(8):
        run.finish_step()
    with pytest.raises(ActionRefused) as refused:
        run.do(actions.answer, True, "")
    assert refused.value.code == "missing_for_answer"


def test_nothing_but_roles_is_accepted_after_the_end():
    run = Run()
    run.do(actions.cancel, "SOP diganti")
    assert run.state.status == CycleStatus.CANCELLED
    assert actions.allowed_actions(run.state, D) == {Action.ROLES}
    for command, args in (
        (actions.complete, ()),
        (actions.record_inputs, ({"nota_dinas": "1;2026-10-01"},)),
        (actions.pause, ("x",)),
        (actions.resume, ("x",)),
        (actions.cancel, ("x",)),
        (actions.note, ("x",)),
        (actions.answer, (True, "")),
    ):
        with pytest.raises(ActionRefused):
            run.do(command, *args)
    run.do(actions.update_roles, {"camat": Person(name="NEW")})
    assert run.state.roles["camat"].name == "NEW"


def test_pause_and_resume_need_reasons_and_block_progress():
    run = Run()
    with pytest.raises(ActionRefused) as refused:
        run.do(actions.pause, "")
    assert refused.value.code == "reason_required"
    run.do(actions.pause, "menunggu nota dinas")
    assert run.state.status == CycleStatus.PAUSED
    with pytest.raises(ActionRefused) as refused:
        run.do(actions.complete)
    assert refused.value.code == "paused"
    assert "menunggu nota dinas" in refused.value.message("id")
    with pytest.raises(ActionRefused):
        run.do(actions.pause, "again")
    run.do(actions.resume, "nota dinas diterima")
    assert run.state.status == CycleStatus.ACTIVE
    pause = run.state.visits[-1].pauses[0]
    assert pause.reason == "menunggu nota dinas" and pause.end is not None
    with pytest.raises(ActionRefused) as refused:
        run.do(actions.resume, "x")
    assert refused.value.code == "not_paused"


def test_notes_go_to_the_current_step_or_any_step():
    run = Run()
    run.do(actions.note, "rapat dimulai 09.00")
    run.do(lambda s, d, now, by, **ids: actions.note(s, d, "siapkan DPA", now, by, 4, **ids))
    assert run.state.visits[-1].notes[0].text == "rapat dimulai 09.00"
    assert run.state.cycle_notes[0].step == 4  # step 4 not reached yet
    with pytest.raises(ActionRefused):
        run.do(actions.note, "   ")
    with pytest.raises(ActionRefused) as refused:
        run.do(lambda s, d, now, by, **ids: actions.note(s, d, "x", now, by, 99, **ids))
    assert refused.value.code == "unknown_step"


def test_unknown_roles_are_refused():
    with pytest.raises(ActionRefused) as refused:
        actions.start(
            LOADED, "c", Period.parse("2026"), {"bupati": Person()}, START, "", event_id="e1"
        )
    assert "bupati" in refused.value.message("id")


def test_every_event_records_when_which_step_which_actor_and_who():
    run = Run()
    run.fill()
    event = run.log[-1]
    assert event.type == EventType.INPUTS_RECORDED
    assert event.step == 1 and event.actors == ("camat",) and event.by == "tester"
    assert event.seq == 2 and event.at.tzinfo is not None


def test_a_clock_that_goes_back_is_refused_never_clamped():
    run = Run()
    run.do(actions.note, "a", minutes=30)
    log = list(run.log)
    with pytest.raises(ActionRefused) as caught:
        run.do(actions.note, "b", minutes=-20)
    assert caught.value.code == "clock_behind"
    assert run.log == log  # nothing recorded, the log keeps its order
    run.do(actions.note, "c", minutes=20)  # the same instant as the last event is fine


def test_replay_gives_the_same_state():
    run = _to_decision()
    run.fill()
    run.do(actions.answer, False, "kurang")
    run.do(actions.pause, "tunggu")
    assert replay(D, run.log) == run.state


def test_the_event_id_is_the_one_the_caller_gives():
    run = Run()
    assert [e.id for e in run.log] == ["e1"]
    run.do(actions.note, "a")
    assert run.log[-1].id == "e2"
    with pytest.raises(TypeError):  # keyword-only and required: no command makes one up
        actions.complete(run.state, D, START, "tester")  # type: ignore[call-arg]
    with pytest.raises(ValueError):
        actions.note(run.state, D, "b", START, "tester", event_id="")
