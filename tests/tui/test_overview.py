"""Tim SAKIP's overview: most urgent first, filters, opening a cycle and its timeline, reloads."""

from __future__ import annotations

from langkah.engine.timing import TimeStatus
from langkah.tui.screens.overview import OverviewScreen
from langkah.tui.screens.run import RunScreen
from langkah.tui.screens.timeline import TimelineScreen
from tests.tui.conftest import settle


async def test_overdue_cycle_first_and_open_by_enter(demo_service, make_app):
    app = make_app(demo_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, OverviewScreen)
        assert len(screen.rows) == 4
        first = screen.visible_rows()[0]
        assert first.kecamatan == "Mentebah"
        assert first.timing.status == TimeStatus.OVERDUE
        assert screen.selected_cycle_id() == first.cycle_id

        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RunScreen)
        assert app.screen.cycle_id == first.cycle_id
        assert app.screen.query_one("#timing").has_class("-overdue")

        await pilot.press("escape", "escape")
        await settle(pilot)
        assert app.screen is screen


async def test_timeline_lists_every_event(demo_service, make_app):
    app = make_app(demo_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("down", "t")  # the Dawarblandong cycle sent back at step 9
        await settle(pilot)
        timeline = app.screen
        assert isinstance(timeline, TimelineScreen)
        events = demo_service.events(timeline.cycle_id)
        assert len(timeline.events) == len(events)
        assert timeline.query_one("#timeline").row_count == len(events)
        assert any(e.data.get("answer") == "no" for e in timeline.events)


async def test_filters_by_kecamatan_and_status(demo_service, make_app):
    app = make_app(demo_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("f")  # the filter dialog, its first Select focused
        await settle(pilot)
        dialog = app.screen
        assert dialog is not screen
        await pilot.press("enter", "down", "enter")  # kecamatan: Dawarblandong
        await settle(pilot)
        assert {r.kecamatan for r in screen.visible_rows()} == {"Dawarblandong"}
        assert screen.query_one("#cycles").row_count == 2
        dialog.query_one("#filter-kecamatan").clear()
        await pilot.pause()
        dialog.query_one("#filter-status").value = "finished"
        await pilot.pause()
        assert [r.kecamatan for r in screen.visible_rows()] == ["Kalipare"]
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        assert "Selesai" in str(screen.query_one("#filter-line").render())


async def test_reloads_when_another_process_writes(demo_service, make_app):
    app = make_app(demo_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        view = demo_service.start("kalipare", "2026-T4")  # as if from another terminal
        screen.poll_changes()
        await settle(pilot)
        assert view.state.cycle_id in {r.cycle_id for r in screen.rows}


async def test_rows_load_page_by_page_and_the_footer_counts_them(
    demo_service, make_app, monkeypatch
):
    from langkah.tui.screens import overview

    monkeypatch.setattr(overview, "PAGE", 3)
    monkeypatch.setattr(overview, "AHEAD", 1)
    app = make_app(demo_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        table = screen.query_one("#cycles")
        assert (len(screen.rows), screen.total, table.row_count) == (3, 4, 3)
        assert "3 dari 4 siklus" in str(screen.query_one("#overview-status").render())
        first_page = [r.cycle_id for r in screen.rows]
        await pilot.press("down", "down")  # near the end of what is loaded: the next page
        await settle(pilot)
        assert table.row_count == 4
        assert "4 dari 4 siklus" in str(screen.query_one("#overview-status").render())
        everything = [r.cycle_id for r in demo_service.overview(app.clock()).rows]
        assert [r.cycle_id for r in screen.rows] == everything
        assert everything[:3] == first_page
        await pilot.press("up", "up", "up")  # away from the end: nothing more loads by itself
        selected = screen.selected_cycle_id()
        screen.reload(keep=True)  # as when another process wrote: the rows loaded stay loaded
        await settle(pilot)
        assert len(screen.rows) == 4 and screen.selected_cycle_id() == selected
        screen.reload()  # a new query (filters): the first page
        await settle(pilot)
        assert len(screen.rows) == 3
        await pilot.press("slash", "k", "a", "l", "i")  # the search runs in the store
        await settle(pilot)
        assert "1 dari 1 siklus" in str(screen.query_one("#overview-status").render())
