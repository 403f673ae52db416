"""`submit`: the values of a step and its completion (or answer) as one durable action."""

from __future__ import annotations

import datetime as dt

import pytest

from langkah.engine.errors import ActionRefused
from langkah.service import Langkah
from langkah.store import tinydb_store

NOW = dt.datetime(2026, 11, 20, 3, 0, tzinfo=dt.UTC)


@pytest.fixture
def app(tmp_path) -> Langkah:
    return Langkah.open(tmp_path / "data", tmp_path / "no-defs", clock=lambda: NOW)


def test_submit_records_the_values_and_completes_in_one_write(app, monkeypatch):
    cycle = app.start("dawarblandong", "2026-T3").state.cycle_id
    writes = []
    for name in ("atomic_write", "append_record"):  # a whole write, or an appended record
        real = getattr(tinydb_store, name)
        monkeypatch.setattr(
            tinydb_store,
            name,
            lambda path, data, *rest, real=real: writes.append(path) or real(path, data, *rest),
        )
    view = app.submit(cycle, {"nota_dinas": "001/2/416-317/2026;2026-10-01"})
    assert view.state.current_step == 2
    assert len(writes) == 1
    assert [e.type for e in app.events(cycle)] == ["started", "inputs_recorded", "step_completed"]
    inputs = app.open_cycle(cycle).state.visits[0].inputs
    assert inputs["nota_dinas"]["nomor"] == "001/2/416-317/2026"


def test_submit_refused_writes_nothing(app):
    cycle = app.start("dawarblandong", "2026-T3").state.cycle_id
    with pytest.raises(ActionRefused):
        app.submit(cycle, {})  # the step's Nota Dinas is missing
    assert [e.type for e in app.events(cycle)] == ["started"]


def test_submit_answers_a_decision(app):
    view = app.start("dawarblandong", "2026-T3")
    cycle = view.state.cycle_id
    while view.state.current_step != 9:
        step = view.current_step
        values = {i.id: True if i.type == "check" else "001/2/3;2026-10-01" for i in step.inputs}
        view = app.submit(cycle, values)
    view = app.submit(cycle, {"draft_laporan": True}, yes=False, reason="belum lengkap")
    assert view.state.current_step == 7
    assert app.events(cycle)[-1].data["answer"] == "no"
