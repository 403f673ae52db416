"""Which signers a final export asks for, and the people dialog's roles (no Textual)."""

from __future__ import annotations

from langkah.engine.cycle import Person
from langkah.tui.presenters.signers import (
    is_final_export,
    missing_signers,
    nip_problem,
    role_slots,
)
from langkah.tui.strings import set_language
from tests.report import scenarios


def test_the_dialog_lists_the_actors_then_the_two_signers(tmp_path):
    set_language("id")
    app = scenarios.open_app(tmp_path / "d", tmp_path / "defs", scenarios.SteppingClock())
    definition = app.catalog.get("kalipare").definition
    slots = role_slots(definition)
    assert [role for role, _ in slots] == [
        "sekretaris",
        "tim",
        "kasubag_evapor",
        "kepala",
        "penanggung_jawab",
    ]
    assert slots[-2][1].startswith("Kepala unit")


def test_a_final_export_asks_for_what_is_missing(tmp_path):
    clock = scenarios.SteppingClock()
    app = scenarios.open_app(tmp_path / "d", tmp_path / "defs", clock)
    running = scenarios.dawarblandong(app, clock, finish=False)
    assert not is_final_export(running)
    assert missing_signers(running) == []  # a draft asks for nothing
    view = scenarios.kalipare(app, clock)  # an approver, a named Sekretaris
    assert is_final_export(view) and not is_final_export(view, draft=True)
    # the SOP's approver is not today's head: asked; the named Sekretaris signs on the right
    assert missing_signers(view) == ["kepala"]
    view = app.update_roles(view.state.cycle_id, {"kepala": Person(name="CAMAT BARU")})
    assert missing_signers(view) == []
    cancelled = scenarios.cancelled(app, clock)  # nobody named at all
    assert missing_signers(cancelled) == ["kepala", "penanggung_jawab"]
    assert missing_signers(cancelled, draft=True) == []


def test_a_nip_typed_in_the_dialog_is_checked_before_saving():
    set_language("id")
    assert nip_problem("Camat", "19700626 199003 1 006") is None
    assert nip_problem("Camat", "NI PPPK 12") is None
    problem = nip_problem("Camat", "12")
    assert problem is not None and problem.startswith("Camat: NIP harus 18 angka")
    set_language("en")
    try:
        assert "a NIP has 18 digits" in (nip_problem("Camat", "12") or "")
    finally:
        set_language("id")
