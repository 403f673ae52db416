"""The service gives each new event its id: the caller's (an action id), else a fresh one."""

from __future__ import annotations

import pytest

from langkah.service import Langkah
from tests.engine_support import StepClock


@pytest.fixture
def app(tmp_path):
    return Langkah.open(tmp_path / "data", tmp_path / "defs", clock=StepClock())


def test_an_event_id_given_by_the_caller_is_the_stored_event_id(app):
    view = app.start("dawarblandong", "2026-T3", event_id="start-1")
    cid = view.state.cycle_id
    app.record_inputs(cid, {"nota_dinas": "1/2026;2026-10-01"}, event_id="inputs-2")
    app.complete(cid, event_id="complete-3")
    app.note(cid, "catatan", event_id="note-4")
    app.pause(cid, "tunggu", event_id="pause-5")
    app.resume(cid, "lanjut", event_id="resume-6")
    app.update_roles(cid, {}, event_id="roles-7")
    app.cancel(cid, "batal", event_id="cancel-8")
    ids = [e.id for e in app.events(cid)]
    assert ids == [
        "start-1",
        "inputs-2",
        "complete-3",
        "note-4",
        "pause-5",
        "resume-6",
        "roles-7",
        "cancel-8",
    ]


def test_without_an_event_id_each_event_gets_a_fresh_one(app):
    view = app.start("dawarblandong", "2026-T3")
    cid = view.state.cycle_id
    app.note(cid, "a")
    app.note(cid, "b")
    ids = [e.id for e in app.events(cid)]
    assert len(set(ids)) == 3 and all(len(i) == 32 for i in ids)
