"""Warnings the record needs: years the holiday data does not cover, and a cycle that fails
verification (shown prominently, read-only: every action key disabled)."""

from __future__ import annotations

import dataclasses

from langkah.messages import say
from langkah.store.appended import read_cycle_document
from langkah.tui.presenters import run as presenter
from langkah.tui.screens.overview import OverviewScreen
from langkah.tui.screens.run import RunScreen
from langkah.tui.strings import t
from tests.tui.conftest import settle

# what the store would say (a Text), with a control sequence where a value from the file goes
PROBLEM = say("chain.header_differs", name="period \x1b[2J")


def doctor(service, monkeypatch, last_year=None, problem=None):
    """Make the service answer as the store side will: holiday data ending in `last_year`,
    and `problem` as the integrity problem of every cycle it opens or lists."""
    open_cycle, overview = service.open_cycle, service.overview

    def doctored_view(reference):
        view = open_cycle(reference)
        return dataclasses.replace(view, holiday_last_year=last_year, integrity_problem=problem)

    def doctored_overview(now=None):
        result = overview(now)
        for row in result.rows:
            row.uncovered_years = [2026] if last_year == 2025 else []
            row.integrity_problem = problem
        return result

    overview_page = service.overview_page

    def doctored_page(query):  # what the TUI's overview reads, page by page
        result = overview_page(query)
        for row in result.rows:
            row.uncovered_years = [2026] if last_year == 2025 else []
            row.integrity_problem = problem
        return result

    monkeypatch.setattr(service, "open_cycle", doctored_view)
    monkeypatch.setattr(service, "overview", doctored_overview)
    monkeypatch.setattr(service, "overview_page", doctored_page)


def run_text(screen) -> str:
    return str(screen.query_one("#record-warning").render())


async def test_years_without_holiday_data_are_warned_on_the_run_screen(
    service, make_app, monkeypatch
):
    cycle_id = service.start("dawarblandong", "2026-T4").state.cycle_id
    doctor(service, monkeypatch, last_year=2025)
    app = make_app(service, open_cycle=cycle_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RunScreen)
        assert screen.view.uncovered_years == [2026]
        warning = screen.query_one("#record-warning")
        assert warning.display and warning.region.height > 0
        assert "2026" in run_text(screen) and "2025" in run_text(screen)
        assert screen.check_action("complete", ()) is True  # a warning, not a lock


async def test_a_cycle_that_fails_verification_is_shown_read_only(service, make_app, monkeypatch):
    view = service.start("dawarblandong", "2026-T4")
    cycle_id = view.state.cycle_id
    doctor(service, monkeypatch, problem=PROBLEM)
    app = make_app(service, open_cycle=cycle_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RunScreen)
        warning = screen.query_one("#record-warning")
        assert warning.display and warning.has_class("-integrity")
        # in the app's language (Bahasa Indonesia), sanitised
        assert "nilai period \\x1b[2J di header berbeda dari yang dicatat peristiwa 1" in run_text(
            screen
        )
        for action in presenter.ACTION_NEEDS:
            assert not screen.check_action(action, ()), action
        assert screen.query_one("#form").disabled
        await pilot.press("c", "p", "m", "r")
        await settle(pilot)
        assert isinstance(app.screen, RunScreen)  # no prompt opened
        assert service.stored_version(cycle_id) == view.version  # nothing was written
        assert screen.check_action("timeline", ()) and screen.check_action("back", ())


async def test_the_overview_marks_unverified_and_uncovered_cycles(
    demo_service, make_app, monkeypatch
):
    doctor(demo_service, monkeypatch, last_year=2025, problem=PROBLEM)
    app = make_app(demo_service)
    async with app.run_test(size=(200, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, OverviewScreen)
        table = screen.query_one("#cycles")
        cells = [str(cell) for i in range(table.row_count) for cell in table.get_row_at(i)]
        text = " ".join(cells)
        assert text.count(t("ov.unverified")) == table.row_count == 4
        assert text.count(t("ov.uncovered", years="2026")) == 4


async def test_a_hand_edit_found_by_an_action_turns_the_screen_read_only(service, make_app):
    """A file edited in place does not move the change token; the action that meets it is
    refused by the store, and the screen then shows the cycle read-only."""
    import json
    from pathlib import Path

    cycle_id = service.start("dawarblandong", "2026-T4").state.cycle_id
    app = make_app(service, open_cycle=cycle_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RunScreen) and screen.view.integrity_problem is None
        path = Path(service.location) / "cycles" / f"{cycle_id}.json"
        data = read_cycle_document(path)
        data["events"]["1"]["by"] = "orang lain"  # rewrite history in place
        path.write_text(json.dumps(data))
        screen.act(lambda s, v: s.note(cycle_id, "catatan", expected_version=v), None)
        await settle(pilot)
        await settle(pilot)
        assert screen.view.integrity_problem is not None
        assert screen.query_one("#record-warning").display
        assert screen.check_action("complete", ()) is not True
        assert len(service.events(cycle_id)) == 1  # nothing was recorded


async def test_a_hand_edit_is_found_by_the_poll_and_undone_by_putting_the_file_back(
    service, make_app
):
    """The 2-second poll looks at the open cycle's own file, not only at the folder: a file
    edited in place (the folder's token unchanged) turns the screen read-only without anyone
    acting, and the file put back as it was makes it writable again."""
    import json
    import os
    from pathlib import Path

    cycle_id = service.start("dawarblandong", "2026-T4").state.cycle_id
    app = make_app(service, open_cycle=cycle_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RunScreen) and screen.view.integrity_problem is None
        folder = Path(service.location) / "cycles"
        path = folder / f"{cycle_id}.json"
        token = service.change_token()
        original = path.read_bytes()
        data = json.loads(original)
        data["events"]["1"]["by"] = "orang lain"  # rewrite history in place
        with open(path, "r+b") as handle:  # the same file: the folder does not change
            handle.write(json.dumps(data).encode())
            handle.truncate()
        assert service.change_token() == token
        screen.poll_changes()  # what the 2-second timer does
        await settle(pilot)
        await settle(pilot)
        assert screen.view.integrity_problem is not None
        assert screen.query_one("#record-warning").display
        assert screen.check_action("complete", ()) is not True

        with open(path, "r+b") as handle:  # put back as it was
            handle.write(original)
            handle.truncate()
        os.utime(path, ns=(os.stat(path).st_atime_ns, os.stat(path).st_mtime_ns + 1_000_000))
        screen.poll_changes()
        await settle(pilot)
        await settle(pilot)
        assert screen.view.integrity_problem is None
        assert not screen.query_one("#record-warning").display
        assert screen.check_action("complete", ()) is True
        assert len(service.events(cycle_id)) == 1  # nothing was recorded
