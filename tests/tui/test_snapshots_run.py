"""SVG snapshots of the run screen in a meeting, at 80x24 and 160x50: a focused field (the key
bar names the function keys), the finished screen (summary, report prompt), and each dialog
(note, people, the cancel confirmation). Fixed clock, fixed ids, no blinking cursor."""

from __future__ import annotations

import itertools

import pytest

from langkah.engine.cycle import Person
from langkah.service import Langkah
from langkah.tui.app import LangkahApp
from tests.tui.conftest import advance, fixed_clock, settle

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 50), id="160x50")]


@pytest.fixture
def run_app(tmp_path, monkeypatch):
    counter = itertools.count(1)
    monkeypatch.setattr("langkah.service.secrets.token_hex", lambda n: f"{next(counter):06x}")
    # A dialog's "draft kept" line depends on when a snapshot is taken: keep drafts out of it.
    monkeypatch.setattr("langkah.tui.screens.modals.DRAFT_DELAY", 3600.0)
    service = Langkah.open(tmp_path / "data", tmp_path / "defs", clock=fixed_clock)

    def make(finished: bool = False, signed: bool = False) -> LangkahApp:
        view = service.start("dawarblandong", "2026-T4")
        if finished:
            view = advance(service, view, 99)
        if signed:  # both signers named: a final export goes straight to the monitoring dialog
            signers = {
                "kepala": Person(name="AKHMAD TAUFIQ, S.Sos., MM.", nip="197006261990031006"),
                "penanggung_jawab": Person(name="Drs. BAMBANG SUTRISNO, M.Si."),
            }
            service.update_roles(view.state.cycle_id, signers)
        return LangkahApp(service, clock=fixed_clock, blink=False, open_cycle=view.state.cycle_id)

    return make


async def _dialog(pilot, *keys: str) -> None:
    await settle(pilot)
    await pilot.press(*keys)
    for _ in range(5):
        await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_run_screen_with_a_focused_field(snap_compare, run_app, size):
    async def typed(pilot):
        await settle(pilot)
        await pilot.press(*"005/12/416-317/2026")
        # the pane scrolls the focused field into view after a refresh: let it finish
        await pilot.wait_for_scheduled_animations()
        for _ in range(5):
            await pilot.pause()

    assert snap_compare(run_app(), terminal_size=size, run_before=typed)


@pytest.mark.parametrize("size", SIZES)
def test_finished_screen(snap_compare, run_app, size):
    assert snap_compare(run_app(finished=True), terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_note_dialog(snap_compare, run_app, size):
    async def note(pilot):
        await _dialog(pilot, "f7", *"Rapat diundur ke Kamis")

    assert snap_compare(run_app(), terminal_size=size, run_before=note)


@pytest.mark.parametrize("size", SIZES)
def test_people_dialog(snap_compare, run_app, size):
    async def people(pilot):
        await _dialog(pilot, "f8", *"Siti Rahmawati")

    assert snap_compare(run_app(), terminal_size=size, run_before=people)


@pytest.mark.parametrize("size", SIZES)
def test_cancel_confirmation(snap_compare, run_app, size):
    async def confirm(pilot):
        await _dialog(pilot, "f12")

    assert snap_compare(run_app(), terminal_size=size, run_before=confirm)


@pytest.mark.parametrize("size", SIZES)
def test_pause_reason_dialog(snap_compare, run_app, size):
    async def reason(pilot):
        await _dialog(pilot, "f5", *"Menunggu data dari Tim SAKIP")

    assert snap_compare(run_app(), terminal_size=size, run_before=reason)


@pytest.mark.parametrize("size", SIZES)
def test_monitoring_dialog(snap_compare, run_app, size):
    async def monitoring(pilot):
        await settle(pilot)
        await pilot.press("f9")
        for _ in range(100):
            await pilot.pause(0.05)
            if type(pilot.app.screen).__name__ == "MonitoringModal":
                break
        for _ in range(5):
            await pilot.pause()

    app = run_app(finished=True, signed=True)
    assert snap_compare(app, terminal_size=size, run_before=monitoring)
