"""Another terminal writes the open cycle: the run screen reloads and says what changed, keeps
what was typed, and a key never acts on a state that is not yet on screen."""

from __future__ import annotations

import asyncio

from langkah.service import Langkah
from langkah.tui.screens.run import RunScreen
from tests.tui.conftest import advance, fill, fixed_clock, settle


def other_terminal(tmp_path, name: str = "Budi") -> Langkah:
    return Langkah.open(tmp_path / "data", tmp_path / "defs", clock=fixed_clock, recorder=name)


async def test_a_key_pressed_before_a_reload_is_on_screen_does_not_act_on_it(
    service, make_app, tmp_path
):
    """The reload has read step 4 but is still putting it on screen (held here): a `c` pressed
    now was meant for step 3, so it must not complete step 4 (issue 11: 3 of 10 tries did)."""
    view = fill(service, advance(service, service.start("dawarblandong", "2026-T4"), 3))
    cycle_id = view.state.cycle_id
    app = make_app(service, open_cycle=cycle_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RunScreen) and screen.view.state.current_step == 3
        await pilot.press("escape")  # out of the form: letter keys act
        budi = other_terminal(tmp_path)
        moved = budi.complete(cycle_id, view.version)  # step 3 done elsewhere...
        moved = fill(budi, moved)  # ...and step 4 ready to complete
        assert moved.state.current_step == 4

        form = screen.query_one("#form")
        hold, held = asyncio.Event(), asyncio.Event()
        set_step = form.set_step

        async def held_set_step(*args, **kwargs):  # the new state waits to be put on screen
            held.set()
            await hold.wait()
            await set_step(*args, **kwargs)

        form.set_step = held_set_step
        screen.poll_changes()  # what the 2-second timer does
        await asyncio.wait_for(held.wait(), 30)
        # `c` pressed now: the app takes it while the screen is still putting step 4 on screen
        # (pilot.press would wait for the screen, which is held)
        await app._press_keys(["c"])
        hold.set()
        await settle(pilot)

        stored = service.open_cycle(cycle_id).state
        assert stored.current_step == 4, "the key completed a step the person had not seen"
        assert stored.version == moved.version
        assert screen.view.state.current_step == 4  # now shown, with what changed
        assert "langkah 3 diselesaikan oleh Budi" in screen.message
        await pilot.press("c")  # seen now: this one acts
        await settle(pilot)
        assert service.open_cycle(cycle_id).state.current_step == 5


async def test_a_conflict_says_what_changed_and_keeps_the_typing(
    service, make_app, tmp_path, monkeypatch
):
    # The 2-second poll would learn of the other terminal's notes while a loaded machine is
    # still typing, and the typing would then be recorded at the new version (no conflict):
    # this test is about a write that races the poll, so the poll waits.
    monkeypatch.setattr("langkah.tui.screens.run.POLL_SECONDS", 3600.0)
    view = service.start("dawarblandong", "2026-T4")  # step 1: a Nota Dinas (nomor, tanggal)
    cycle_id = view.state.cycle_id
    app = make_app(service, open_cycle=cycle_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RunScreen)
        budi = other_terminal(tmp_path)
        budi.note(cycle_id, "cek ulang \x1b[2J")  # unseen: no poll has run
        budi.note(cycle_id, "dan lagi")
        # typed at the version seen; leaving the field records it there: refused
        await pilot.press(*"005/12/2026", "tab", *"5/10/2026", "escape")
        await settle(pilot)
        assert service.open_cycle(cycle_id).state.visits[0].inputs == {}
        assert screen.view.version == view.version + 2  # reloaded
        message = screen.message
        assert message.startswith("Tidak disimpan")
        assert "2 catatan ditambahkan oleh Budi" in message
        assert "\x1b" not in message
        assert screen.query_one("#in-nota_dinas-nomor").value == "005/12/2026"  # kept
        assert screen.query_one("#in-nota_dinas-tanggal").value == "5/10/2026"


async def test_a_value_recorded_elsewhere_fills_its_field_in_place(service, make_app, tmp_path):
    """A reload of the same visit updates the form in place: the field another terminal filled
    shows the recorded value, the field being typed in keeps its typing and its focus."""
    view = service.start("dawarblandong", "2026-T4")  # step 1: a Nota Dinas (nomor, tanggal)
    cycle_id = view.state.cycle_id
    app = make_app(service, open_cycle=cycle_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RunScreen)
        nomor = screen.query_one("#in-nota_dinas-nomor")
        await pilot.press(*"005/12")  # typing in nomor, not recorded yet
        other_terminal(tmp_path).note(cycle_id, "dicek")
        screen.poll_changes()  # what the 2-second timer does
        await settle(pilot)
        assert screen.view.version == view.version + 1
        assert app.focused is nomor, "the reload kept the field and its focus"
        await pilot.press(*"/2026")
        assert nomor.value == "005/12/2026"


async def test_a_value_recorded_elsewhere_shows_in_an_untouched_field(service, make_app, tmp_path):
    view = service.start("dawarblandong", "2026-T4")
    cycle_id = view.state.cycle_id
    app = make_app(service, open_cycle=cycle_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RunScreen)
        budi = other_terminal(tmp_path)
        budi.record_inputs(cycle_id, {"nota_dinas": {"nomor": "009/2026", "tanggal": "2026-10-05"}})
        screen.poll_changes()
        await settle(pilot)
        assert screen.view.version == view.version + 1
        assert screen.query_one("#in-nota_dinas-nomor").value == "009/2026"
        assert screen.query_one("#form").draft() == {}  # shown as recorded, nothing pending
