"""Property tests: random action sequences keep the state machine's invariants."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from langkah.engine import actions
from langkah.engine.cycle import CycleStatus, Person, apply, replay
from langkah.engine.definition import InputKind
from langkah.engine.errors import ActionRefused
from langkah.engine.period import Period
from tests.engine_support import START, bundled

DEFINITIONS = [
    bundled(),
    bundled("kalipare/pengukuran-kinerja"),
    bundled("mentebah/pengukuran-kinerja"),
]

ACTION = st.sampled_from(
    [
        "fill",
        "fill",
        "complete",
        "complete",
        "yes",
        "no",
        "pause",
        "resume",
        "cancel",
        "note",
        "roles",
        "clear",
    ]
)


def _values(step, clear: bool) -> dict[str, str]:
    if clear:
        return {s.id: "" for s in step.inputs}
    return {
        s.id: {
            InputKind.DOCUMENT: "001/2026;2026-10-01",
            InputKind.DATE: "2026-10-01",
            InputKind.NUMBER: "12,5",
            InputKind.CHOICE: s.choices[0] if s.choices else "x",
            InputKind.TEXT: "teks",
        }.get(s.type, "ya")
        for s in step.inputs
    }


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    which=st.integers(min_value=0, max_value=len(DEFINITIONS) - 1),
    plan=st.lists(st.tuples(ACTION, st.integers(min_value=0, max_value=600)), max_size=60),
)
def test_random_actions_keep_the_invariants(which, plan):
    loaded = DEFINITIONS[which]
    d = loaded.definition
    now = START
    log = [actions.start(loaded, "c", Period.parse("2026-T3"), {}, now, "p", event_id="e1")]
    state = replay(d, log)
    for name, minutes in plan:
        now += dt.timedelta(minutes=minutes)
        was_open = state.is_open
        step = d.step(state.current_step) if state.current_step else None
        new_id = f"e{len(log) + 1}"
        try:
            if name in ("fill", "clear"):
                if step is None:
                    raise ActionRefused("not_active", status=state.status.value)
                event = actions.record_inputs(
                    state, d, _values(step, name == "clear"), now, "p", event_id=new_id
                )
            elif name == "complete":
                event = actions.complete(state, d, now, "p", event_id=new_id)
            elif name in ("yes", "no"):
                event = actions.answer(state, d, name == "yes", "alasan", now, "p", event_id=new_id)
            elif name in ("pause", "resume", "cancel"):
                event = getattr(actions, name)(state, d, "alasan", now, "p", event_id=new_id)
            elif name == "note":
                event = actions.note(state, d, "catatan", now, "p", event_id=new_id)
            else:
                event = actions.update_roles(
                    state, d, {d.actors[0].id: Person(name="X")}, now, "p", event_id=new_id
                )
        except ActionRefused:
            continue
        if not was_open:
            assert name == "roles", "nothing but roles is accepted after the end"
        log.append(event)
        state = apply(d, state, event)
        # one current step exactly while the cycle is open
        assert (state.current_step is not None) == state.is_open
        assert state.version == len(log) == event.seq
        if state.status == CycleStatus.FINISHED:
            assert state.ended_at is not None
    assert replay(d, log) == state
    times = [e.at for e in log]
    assert times == sorted(times)
    for visit in state.visits[:-1]:
        assert visit.ended_at is not None
