"""Issue 12: a second cycle of the same SOP and period is said at once and asked for again."""

from __future__ import annotations

from langkah.engine.cycle import CycleStatus
from langkah.tui.presenters import start
from langkah.tui.screens.run import RunScreen
from langkah.tui.screens.start import StartScreen
from langkah.tui.strings import set_language, t
from langkah.views import same_sop_and_period
from tests.tui.conftest import NOW, settle


def test_same_sop_and_period_leaves_out_cancelled_and_other_periods(service):
    first = service.start("dawarblandong", "2026-T4")
    service.start("dawarblandong", "2026-T3")
    cancelled = service.start("kalipare", "2026-T4")
    service.cancel(cancelled.state.cycle_id, "salah periode", cancelled.version)
    rows = service.overview(NOW).rows
    sop = first.state.sop_id
    assert [r.cycle_id for r in same_sop_and_period(rows, sop, "2026-T4")] == [first.state.cycle_id]
    kalipare = cancelled.state.sop_id
    assert same_sop_and_period(rows, kalipare, "2026-T4") == []
    assert any(r.status == CycleStatus.CANCELLED for r in rows)  # present, yet not counted


def test_duplicate_warning_names_the_cycles(service):
    set_language("id")
    view = service.start("dawarblandong", "2026-T4")
    rows = same_sop_and_period(service.overview(NOW).rows, view.state.sop_id, "2026-T4")
    warning = start.duplicate_warning(rows, "id")
    assert view.state.cycle_id in warning and "berjalan" in warning
    assert start.duplicate_warning([], "id") == ""


async def test_second_cycle_warns_then_starts_on_confirmation(service, make_app):
    first = service.start("dawarblandong", "2026-T4")
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StartScreen)
        await pilot.press("enter", "down", "enter")  # Dawarblandong, the default 2026-T4
        await settle(pilot)
        warning = str(screen.query_one("#start-duplicate").render())
        assert first.state.cycle_id in warning  # said as soon as it is chosen
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen  # not started: asked first
        assert str(screen.query_one("#status-line").render()) == t("start.confirm_duplicate")
        assert len(service.cycle_ids()) == 1
        await pilot.press("ctrl+s")  # confirmed
        await settle(pilot)
        assert isinstance(app.screen, RunScreen)
        assert len(service.cycle_ids()) == 2


async def test_a_first_cycle_starts_without_a_question(service, make_app):
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("enter", "down", "enter")
        await settle(pilot)
        assert str(app.screen.query_one("#start-duplicate").render()) == ""
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, RunScreen)
