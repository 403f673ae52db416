"""A clerk runs Dawarblandong by keyboard: starting, filling and completing, a refusal at the
decision, a return, the last steps; drafts and the version a key acts on.

Each test puts the cycle where it needs it through the service, then uses the keyboard only for
the part it is about (the whole run once took one 21-second test).
"""

from __future__ import annotations

import asyncio
import threading

from langkah.engine.cycle import CycleStatus
from langkah.engine.definition import InputKind
from langkah.tui.presenters import run as presenter
from langkah.tui.screens.run import RunScreen
from langkah.tui.screens.start import StartScreen
from langkah.tui.strings import t
from tests.tui.conftest import advance, fill, settle


async def fill_current_step(pilot) -> None:
    """Fill every kelengkapan item of the current step from the keyboard, starting at the first."""
    screen = pilot.app.screen
    step = screen.view.current_step
    if screen.query_one("#form").row_of(pilot.app.focused) is None:
        await pilot.press("tab")  # from the step list to the first field
    for spec in step.inputs:
        if spec.type == InputKind.CHECK:
            await pilot.press("space", "tab")
        elif spec.type == InputKind.DOCUMENT:
            await pilot.press(*"005/12/2026", "tab", *"5/10/2026", "tab")
        else:
            raise AssertionError(f"the test does not fill {spec.type}")
    await settle(pilot)


async def open_run(pilot, app) -> RunScreen:
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, RunScreen)
    return screen


async def test_starting_a_cycle_from_the_form(service, make_app):
    app = make_app(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, StartScreen)
        # Choose the first variant (Dawarblandong) in the select, keep the default period.
        await pilot.press("enter", "down", "enter")
        await settle(pilot)
        assert app.screen.query_one("#start-period").value == "2026-T4"
        await pilot.press("tab", "tab", *"Siti Rahmawati")  # the Camat's name
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RunScreen)
        assert screen.view.state.sop_id.startswith("dawarblandong")
        assert screen.view.state.roles["camat"].name == "Siti Rahmawati"
        assert screen.view.state.current_step == 1
        stored = service.open_cycle(screen.cycle_id).state
        assert stored.roles["camat"].name == "Siti Rahmawati"


async def test_filling_inputs_and_completing_a_step(service, make_app):
    cycle_id = service.start("dawarblandong", "2026-T4").state.cycle_id
    app = make_app(service, open_cycle=cycle_id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_run(pilot, app)
        # Completing without the Nota Dinas is refused, with the reason on screen.
        await pilot.press("escape")  # leave the first field
        await pilot.press("c")
        await settle(pilot)
        assert screen.view.state.current_step == 1
        assert "Nota Dinas" in screen.message

        await fill_current_step(pilot)
        assert screen.message == t("run.saved")  # said once the write returned
        assert screen.view.missing == []
        assert service.load_draft(cycle_id) is None  # recorded, so no longer a draft
        await pilot.press("c")
        await settle(pilot)
        assert screen.view.state.current_step == 2
        first = service.open_cycle(cycle_id).state.visits[0]
        assert first.inputs["nota_dinas"] == {"nomor": "005/12/2026", "tanggal": "2026-10-05"}
        assert first.ended_at is not None


async def test_a_decision_is_refused_without_its_inputs(service, make_app):
    view = advance(service, service.start("dawarblandong", "2026-T4"), 9)
    app = make_app(service, open_cycle=view.state.cycle_id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_run(pilot, app)
        assert screen.query_one("#decision").display
        await pilot.press("escape", "y")
        await settle(pilot)
        assert screen.view.state.current_step == 9
        assert view.current_step.inputs[0].label in screen.message
        assert service.open_cycle(view.state.cycle_id).version == view.version


async def test_a_no_answer_sends_the_cycle_back_with_its_reason(service, make_app):
    view = advance(service, service.start("dawarblandong", "2026-T4"), 9)
    app = make_app(service, open_cycle=view.state.cycle_id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_run(pilot, app)
        await fill_current_step(pilot)
        await pilot.press("n")
        await pilot.pause()  # the reason prompt is open (a worker waits on it)
        await pilot.press(*"Rekap belum lengkap", "enter")
        await settle(pilot)
        state = screen.view.state
        assert state.current_step == 7 and state.visits[-1].round == 2
        assert state.returns == {9: 1}
        no_visit = [v for v in state.visits if v.reason][0]
        assert no_visit.step == 9 and no_visit.reason == "Rekap belum lengkap"
        assert "Rekap belum lengkap" in str(screen.query_one("#returned").render())
        assert service.open_cycle(state.cycle_id).state.returns == {9: 1}


async def test_the_last_steps_finish_the_cycle(service, make_app):
    view = advance(service, service.start("dawarblandong", "2026-T4"), 10)
    app = make_app(service, open_cycle=view.state.cycle_id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_run(pilot, app)
        while screen.view.state.is_open:
            number = screen.view.state.current_step
            await fill_current_step(pilot)
            await pilot.press("c")
            await settle(pilot)
            assert screen.view.state.current_step != number, screen.message
        state = screen.view.state
        assert state.status == CycleStatus.FINISHED
        assert [v.step for v in state.visits][-2:] == [10, 11]
        # Stored, not only shown.
        assert service.open_cycle(state.cycle_id).state.status == CycleStatus.FINISHED


async def test_a_draft_of_an_earlier_round_is_not_restored(service, make_app):
    at_seven = advance(service, service.start("dawarblandong", "2026-T4"), 7)
    cycle_id = at_seven.state.cycle_id
    service.save_draft(cycle_id, presenter.make_draft(at_seven.state, {"kertas_kerja": True}))
    at_nine = fill(service, advance(service, at_seven, 9))
    service.answer(cycle_id, False, "Rekap belum lengkap", at_nine.version)  # back to step 7
    app = make_app(service, open_cycle=cycle_id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_run(pilot, app)
        assert screen.view.state.current_step == 7 and screen.view.state.visits[-1].round == 2
        assert screen.query_one("#in-kertas_kerja").value is False
        assert "draf" not in screen.message


async def test_a_key_acts_on_the_version_it_was_pressed_on(service, make_app):
    view = fill(service, advance(service, service.start("dawarblandong", "2026-T4"), 3))
    cycle_id = view.state.cycle_id
    app = make_app(service, open_cycle=cycle_id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_run(pilot, app)
        service.note(cycle_id, "from another terminal")  # not seen yet: no poll has run
        await pilot.press("escape", "c")
        await settle(pilot)
        assert service.open_cycle(cycle_id).state.current_step == 3  # not completed unseen
        assert "diubah di tempat lain" in screen.message
        assert screen.view.version == view.version + 1  # reloaded: the note is shown now
        assert app.focused is screen.query_one("#steps")  # a reload in place keeps the focus
        await pilot.press("c")
        await settle(pilot)
        assert service.open_cycle(cycle_id).state.current_step == 4


async def test_saved_is_said_only_after_the_write_returned(service, make_app, monkeypatch):
    cycle_id = service.start("dawarblandong", "2026-T4").state.cycle_id
    release = threading.Event()
    entered = threading.Event()
    record_inputs = service.record_inputs

    def slow_record(*args, **kwargs):  # the write waits until the test lets it go
        entered.set()
        release.wait(timeout=30)
        return record_inputs(*args, **kwargs)

    monkeypatch.setattr(service, "record_inputs", slow_record)
    app = make_app(service, open_cycle=cycle_id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_run(pilot, app)
        await pilot.press(*"005/12/2026", "tab", *"5/10/2026", "tab")
        await pilot.pause()
        assert await asyncio.to_thread(entered.wait, 30)  # the write is under way, in a worker
        await pilot.pause()
        assert screen.message != t("run.saved")
        assert screen.view.version == 1  # the screen still shows what is stored
        release.set()
        await settle(pilot)
        assert screen.message == t("run.saved")
        assert screen.view.version == 2
