"""A clerk runs Dawarblandong from start to finish by keyboard, with a refusal and a return."""

from __future__ import annotations

from langkah.engine.cycle import CycleStatus
from langkah.engine.definition import InputKind
from langkah.tui.screens.run import RunScreen
from langkah.tui.screens.start import StartScreen
from tests.tui.conftest import settle


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


async def test_dawarblandong_start_to_finish_by_keyboard(service, make_app):
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

        # Completing without the Nota Dinas is refused, with the reason on screen.
        await pilot.press("escape")  # leave the first field
        await pilot.press("c")
        await settle(pilot)
        assert screen.view.state.current_step == 1
        assert "Nota Dinas" in screen.message

        seen_return = False
        while screen.view.state.is_open:
            step = screen.view.current_step
            await fill_current_step(pilot)
            if step.decision and not seen_return:
                await pilot.press("n")
                await pilot.pause()  # the reason prompt is open (a worker waits on it)
                await pilot.press(*"Rekap belum lengkap", "enter")
                await settle(pilot)
                assert screen.view.state.current_step == 7
                assert screen.view.state.returns == {9: 1}
                seen_return = True
                continue
            await pilot.press("y" if step.decision else "c")
            await settle(pilot)
            assert screen.view.state.current_step != step.number, screen.message

        state = screen.view.state
        assert state.status == CycleStatus.FINISHED
        assert seen_return
        assert [v.step for v in state.visits] == [1, 2, 3, 4, 5, 6, 7, 8, 9, 7, 8, 9, 10, 11]
        no_visit = [v for v in state.visits if v.reason][0]
        assert no_visit.step == 9 and no_visit.reason == "Rekap belum lengkap"
        assert state.visits[0].inputs["nota_dinas"] == {
            "nomor": "005/12/2026",
            "tanggal": "2026-10-05",
        }
        # Stored, not only shown.
        assert service.open_cycle(state.cycle_id).state.status == CycleStatus.FINISHED
