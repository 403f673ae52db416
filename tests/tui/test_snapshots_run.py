"""SVG snapshots of the run screen in a meeting, at 80x24 and 160x50: a focused field (the key
bar names the function keys), the finished screen (summary, report prompt), and each dialog
(note, people, the cancel confirmation). Fixed clock, fixed ids, no blinking cursor."""

from __future__ import annotations

import itertools

import pytest
from textual.widgets import Input

from langkah.engine.cycle import Person
from langkah.service import Langkah
from langkah.tui.app import LangkahApp
from tests.tui.conftest import advance, fixed_clock, settle

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 50), id="160x50")]
# At 80x24 the form lies below the fold and the pane scrolls to its focused field; where that
# scroll stands when the picture is taken varied from run to run (not only under load), so the
# screens with a focused field are pictured at 160x50 only and checked at 80x24 by
# test_small_terminal_shows_the_dialog_and_the_focused_field below.
WIDE = [pytest.param((160, 50), id="160x50")]


@pytest.fixture
def run_app(tmp_path, monkeypatch):
    counter = itertools.count(1)
    monkeypatch.setattr("langkah.service.secrets.token_hex", lambda n: f"{next(counter):06x}")
    # A dialog's "draft kept" line depends on when a snapshot is taken: keep drafts out of it.
    monkeypatch.setattr("langkah.tui.screens.modals.DRAFT_DELAY", 3600.0)
    # the same for the form's draft (its status line says when the typing was kept): typing
    # that took over half a second on a loaded machine was pictured with it, else without
    monkeypatch.setattr("langkah.tui.screens.run.DRAFT_DELAY", 3600.0)
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


async def steady(pilot) -> None:
    """Every scrolling pane at rest: the run screen scrolls its focused field into view, with
    an animation, a little after the form is built; a picture taken before or during that
    differs from one taken after. At rest = no offset moved for half a second (the scroll
    may not have begun at the first looks)."""
    last, still = None, 0
    for _ in range(200):
        await pilot.pause(0.05)
        offsets = [
            (id(w), tuple(w.scroll_offset))
            for screen in pilot.app.screen_stack
            for w in screen.query("*")
            if w.is_scrollable
        ]
        still = still + 1 if offsets == last else 0
        if still >= 10:
            return
        last = offsets


async def _dialog(pilot, *keys: str) -> None:
    await settle(pilot)
    await steady(pilot)
    await pilot.press(*keys)
    await steady(pilot)


@pytest.mark.parametrize("size", WIDE)
def test_run_screen_with_a_focused_field(snap_compare, run_app, size):
    async def typed(pilot):
        await settle(pilot)
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


@pytest.mark.parametrize("size", WIDE)
def test_note_dialog(snap_compare, run_app, size):
    async def note(pilot):
        await _dialog(pilot, "f7", *"Rapat diundur ke Kamis")

    assert snap_compare(run_app(), terminal_size=size, run_before=note)


@pytest.mark.parametrize("size", WIDE)
def test_people_dialog(snap_compare, run_app, size):
    async def people(pilot):
        await _dialog(pilot, "f8", *"Siti Rahmawati")

    assert snap_compare(run_app(), terminal_size=size, run_before=people)


@pytest.mark.parametrize("size", WIDE)
def test_cancel_confirmation(snap_compare, run_app, size):
    async def confirm(pilot):
        await _dialog(pilot, "f12")

    assert snap_compare(run_app(), terminal_size=size, run_before=confirm)


@pytest.mark.parametrize("size", WIDE)
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


@pytest.mark.parametrize(
    ("keys", "dialog", "shown"),
    [
        (("f7", *"Rapat diundur ke Kamis"), "TextPrompt", "Rapat diundur ke Kamis"),
        (("f5", *"Menunggu data"), "TextPrompt", "Menunggu data"),
        (("f12",), "ConfirmModal", None),
        (("f8",), "RolesModal", None),
    ],
)
async def test_small_terminal_shows_the_dialog_and_the_focused_field(run_app, keys, dialog, shown):
    app = run_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        focused = app.focused
        assert isinstance(focused, Input)
        for _ in range(40):  # the pane brings the focused field into view
            await pilot.pause(0.05)
            if app.screen.region.contains_region(focused.region) and focused.region.area:
                break
        assert focused.region.area and app.screen.region.contains_region(focused.region)
        await pilot.press(*keys)
        for _ in range(40):
            await pilot.pause(0.05)
            if type(app.screen).__name__ == dialog:
                break
        assert type(app.screen).__name__ == dialog
        modal = app.screen
        assert modal.region.width <= 80 and modal.region.height <= 24
        if shown is not None:
            assert modal.focused is not None and modal.focused.value == shown
            assert modal.focused.region.area  # the dialog's field is on screen
