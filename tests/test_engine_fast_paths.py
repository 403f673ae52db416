"""The engine's hot-path shortcuts give exactly what the plain pydantic calls give.

Replay evolves frozen models without pydantic's generic copy (`_evolve`) and makes a new visit
without validating again what the engine made (`_new_visit`); the hash chain's canonical JSON
uses the C encoder built once. Each must equal the plain call it replaces, so states and event
hashes are unchanged."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from langkah.engine.clock_bounds import time_window
from langkah.engine.cycle import Note, Pause, Visit, _evolve, _new_note, _new_visit
from langkah.engine.events import canonical_json

AT = dt.datetime(2026, 11, 20, 3, 0, tzinfo=dt.UTC)


def _same(a, b):
    assert a == b
    assert type(a) is type(b)
    assert a.__dict__ == b.__dict__ and list(a.__dict__) == list(b.__dict__)
    assert a.__pydantic_fields_set__ == b.__pydantic_fields_set__
    assert a.__pydantic_extra__ == b.__pydantic_extra__
    assert a.__pydantic_private__ == b.__pydantic_private__


@pytest.mark.parametrize(
    ("model", "changes"),
    [
        (Visit(step=3, round=1, started_at=AT), {"ended_at": AT, "outcome": "completed"}),
        (Visit(step=3, round=2, started_at=AT, inputs={"a": 1}), {"inputs": {"b": 2}}),
        (Pause(start=AT, reason="cuti"), {"end": AT, "resume_reason": "kembali"}),
        (Note(text="x", at=AT), {}),
    ],
)
def test_evolve_is_model_copy_with_update(model, changes):
    evolved = _evolve(model, changes)
    _same(evolved, model.model_copy(update=changes))
    assert evolved is not model and evolved.__dict__ is not model.__dict__
    assert model.__pydantic_fields_set__ <= evolved.__pydantic_fields_set__


@pytest.mark.parametrize(
    ("text", "by", "step"),
    [("catatan", "", None), ("x", "Ani", 3), ("", "", 0)],
)
def test_a_new_note_is_the_validated_one(text, by, step):
    _same(_new_note(text, AT, by, step), Note(text=text, at=AT, by=by, step=step))


@pytest.mark.parametrize(("text", "step"), [("x", True), ("x", "3"), ("x", 3.0)])
def test_a_note_of_other_types_is_validated_as_the_model_does(text, step):
    _same(_new_note(text, AT, "", step), Note(text=text, at=AT, by="", step=step))


def test_a_note_whose_text_is_not_text_is_refused_as_the_model_refuses():
    with pytest.raises(ValueError):
        _new_note(12, AT, "", None)


def test_a_new_visit_is_the_validated_one():
    made = _new_visit(7, 2, AT)
    _same(made, Visit(step=7, round=2, started_at=AT))
    other = _new_visit(8, 1, AT)
    assert made.inputs is not other.inputs  # each visit has its own inputs


@pytest.mark.parametrize(
    "value",
    [
        {"b": 1, "a": [True, None, 1.5e-7, 10**30, float("nan")], "c": {"z": "", "y": "é"}},
        {"text": "undecodable \udcff byte", "ctl": '\x00\x1f\u2028\u202e"\\'},
        {2: "int keys", 10: "sorted as numbers"},
        "a string alone",
        [1, [2, {}]],
    ],
)
def test_canonical_json_is_json_dumps_sorted(value):
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    try:
        expected = text.encode("utf-8")
    except UnicodeEncodeError:
        expected = None  # lone surrogates: the escaped form (tests/test_integrity.py)
    if expected is not None:
        assert canonical_json(value) == expected
    else:
        assert json.loads(canonical_json(value)) == value


def test_the_time_window_is_the_same_each_time():
    assert time_window(2026) == (
        dt.datetime(2000, 1, 1, tzinfo=dt.UTC),
        dt.datetime(2028, 1, 1, tzinfo=dt.UTC),
    )
    assert time_window(2026) is time_window(2026)


def _events_of_every_command():
    """One event of each engine command, each applied in turn (Dawarblandong)."""
    from langkah.engine import actions
    from langkah.engine.cycle import Person, apply
    from langkah.engine.period import Period
    from tests.engine_support import START, bundled

    loaded = bundled()
    definition = loaded.definition
    now = START
    made = []

    def add(event):
        nonlocal state, now
        made.append(event)
        state = apply(definition, state, event)
        now += dt.timedelta(minutes=7)

    state = None
    roles = {"camat": Person(name="AKHMAD", nip="197006261990031006")}
    add(actions.start(loaded, "c-1", Period.parse("2026-T3"), roles, now, "op", event_id="e1"))
    step = definition.step(state.visits[-1].step)
    values = {spec.id: "x" for spec in step.inputs if spec.type.value == "text"}
    if values:
        add(actions.record_inputs(state, definition, values, now, "op", event_id="e2"))
    add(actions.note(state, definition, "catatan \udcff", now, "op", event_id="e3"))
    add(actions.pause(state, definition, "tunggu", now, "op", event_id="e4"))
    add(actions.resume(state, definition, "lanjut", now, "op", event_id="e5"))
    add(actions.update_roles(state, definition, roles, now, "", event_id="e6"))
    add(actions.cancel(state, definition, "batal", now.astimezone(), "op", event_id="e7"))
    return made


def test_an_event_made_by_a_command_is_the_validated_one():
    """Commands build their event without validating it again (model_construct): it must be
    the model `Event(...)` validates from the same values, and encode and hash the same."""
    from langkah.engine.events import Event, event_hash

    made = _events_of_every_command()
    assert len({event.type for event in made}) == len(made) >= 6
    for event in made:
        validated = Event(**event.__dict__)
        _same(event, validated)
        assert event.to_json() == validated.to_json()
        assert event.at.tzinfo is not None and event.at.utcoffset() == dt.timedelta(0)
        assert event_hash({**event.to_json(), "prev": ""}) == event_hash(
            {**validated.to_json(), "prev": ""}
        )
        assert Event.from_json(event.to_json()) == event
