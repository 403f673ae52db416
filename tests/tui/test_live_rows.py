"""Another clerk's action reaches the overview as just the changed rows (issue 15 part 3): the
merge gives the very list a full reload would, and the screen never reloads everything for it
(on PostgreSQL it hears the write within a second, on files it finds the changed file)."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace

import pytest

from langkah.service import Langkah
from langkah.tui.presenters.live import merge_changed
from langkah.views import ChangedRows
from tests.tui.conftest import NOW, fill, fixed_clock, settle


def ids(rows) -> list[str]:
    return [row.cycle_id for row in rows]


def other_clerk(tmp_path, store: str | None = None) -> Langkah:
    return Langkah.open(
        tmp_path / "data", tmp_path / "defs", clock=fixed_clock, recorder="Budi", store=store
    )


def test_merging_the_changed_rows_gives_what_a_full_reload_gives(demo_service):
    before = demo_service.overview(NOW).rows
    first, last = before[0].cycle_id, before[-1].cycle_id
    open_one = next(r.cycle_id for r in reversed(before) if r.ended_at is None)
    demo_service.cancel(first, "salah input")  # the most urgent one moves down
    demo_service.note(open_one, "dicek Budi")  # content only: same place
    new = demo_service.start("kalipare", "2026-T4").state.cycle_id
    changed = demo_service.changed_rows({first, open_one, new}, NOW)
    assert {r.cycle_id for r in changed.rows} == {first, open_one, new}

    merged = merge_changed(before, changed)
    after = demo_service.overview(NOW).rows
    assert ids(merged.rows) == ids(after)
    assert merged.rows == after
    assert merged.reordered and merged.in_place == []
    untouched = {r.cycle_id: r for r in before if r.cycle_id not in (first, open_one)}
    assert all(r is untouched[r.cycle_id] for r in merged.rows if r.cycle_id in untouched)
    assert last in ids(merged.rows)


def test_a_row_that_keeps_its_place_is_updated_in_place(demo_service):
    before = demo_service.overview(NOW).rows
    target = before[len(before) // 2]
    changed = ChangedRows([replace(target, holders="Budi Santoso")])
    merged = merge_changed(before, changed)
    assert not merged.reordered
    assert [r.cycle_id for r in merged.in_place] == [target.cycle_id]
    assert merged.in_place[0].holders == "Budi Santoso"
    assert ids(merged.rows) == ids(before)


def test_a_removed_or_unreadable_cycle_leaves_the_list(demo_service):
    before = demo_service.overview(NOW).rows
    gone = before[1].cycle_id
    merged = merge_changed(before, ChangedRows([], removed=[gone], problems=["rusak"]))
    assert ids(merged.rows) == [i for i in ids(before) if i != gone]
    assert merged.reordered


def test_a_partial_list_does_not_take_rows_that_sort_after_its_last(demo_service):
    rows = demo_service.overview(NOW).rows
    page, rest = rows[:3], rows[3:]
    merged = merge_changed(page, ChangedRows([rest[-1], rows[0]]), complete=False)
    assert ids(merged.rows) == ids(page)
    assert merged.outside == 1
    assert [r.cycle_id for r in merged.in_place] == [rows[0].cycle_id]
    # the same change on the whole list takes it (it is already there: in place)
    assert merge_changed(rows, ChangedRows([rest[-1]])).outside == 0


def test_changed_rows_names_a_cycle_that_is_gone(demo_service):
    assert demo_service.changed_rows(["tidak-ada-2026"], NOW).removed == ["tidak-ada-2026"]


async def test_a_file_written_by_another_clerk_updates_its_row_without_a_full_load(
    demo_service, make_app, tmp_path
):
    app = make_app(demo_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        loads = screen.full_loads
        budi = other_clerk(tmp_path)
        target = screen.rows[0].cycle_id
        budi.cancel(target, "dibatalkan Budi")
        new = budi.start("kalipare", "2026-T4").state.cycle_id
        screen.poll_changes()  # what the 2-second timer does
        await settle(pilot)
        assert screen.full_loads == loads, "a whole reload was taken for two changed cycles"
        assert ids(screen.rows) == ids(demo_service.overview(NOW).rows)
        assert new in ids(screen.rows)
        table = screen.query_one("#cycles")
        assert [k.value for k in table.rows] == ids(screen.visible_rows())


@pytest.mark.needs_postgresql
async def test_on_postgresql_a_clerks_action_shows_in_anothers_overview_within_a_second(
    make_app, tmp_path, pg_url
):
    from langkah.demo import seed_demo

    siti = Langkah.open(tmp_path / "data", tmp_path / "defs", clock=fixed_clock, store=pg_url)
    seed_demo(siti, NOW)
    budi = other_clerk(tmp_path, store=pg_url)
    app = make_app(siti)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        loads = screen.full_loads
        await asyncio.sleep(0.5)  # the listener is up (it is heard from then on)
        target = next(r for r in screen.rows if r.ended_at is None and r.current_step)
        before = dict(zip(ids(screen.rows), screen.rows, strict=True))
        view = fill(budi, budi.open_cycle(target.cycle_id))
        acted = time.monotonic()
        await asyncio.to_thread(budi.complete, target.cycle_id, view.version)
        while time.monotonic() - acted < 1.0:  # no poll is called: only the listener
            await pilot.pause(0.05)
            row = next(r for r in screen.rows if r.cycle_id == target.cycle_id)
            if row.current_step != before[target.cycle_id].current_step:
                break
        assert row.current_step == target.current_step + 1, "not shown within a second"
        assert screen.full_loads == loads, "a whole reload was taken for one changed cycle"
        unchanged = [r for r in screen.rows if r.cycle_id != target.cycle_id]
        assert all(r is before[r.cycle_id] for r in unchanged)  # the others were not read
    siti.store.close()
    budi.store.close()


@pytest.mark.needs_postgresql
async def test_on_postgresql_the_run_screen_learns_of_another_clerks_action_within_a_second(
    make_app, tmp_path, pg_url
):
    from langkah.tui.screens.run import RunScreen

    siti = Langkah.open(tmp_path / "data", tmp_path / "defs", clock=fixed_clock, store=pg_url)
    budi = other_clerk(tmp_path, store=pg_url)
    view = fill(siti, siti.start("dawarblandong", "2026-T4"))
    app = make_app(siti, open_cycle=view.state.cycle_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RunScreen) and screen.view.state.current_step == 1
        await asyncio.sleep(0.5)  # the listener is up
        acted = time.monotonic()
        await asyncio.to_thread(budi.complete, view.state.cycle_id, view.version)
        while time.monotonic() - acted < 1.0 and screen.view.state.current_step == 1:
            await pilot.pause(0.05)  # the 2-second poll is not what shows it
        assert screen.view.state.current_step == 2, "not shown within a second"
        await settle(pilot)
        assert "diselesaikan oleh Budi" in screen.message
    siti.store.close()
    budi.store.close()


async def test_paged_a_change_in_the_loaded_page_replaces_its_row_others_only_count(
    demo_service, make_app, tmp_path, monkeypatch
):
    from langkah.tui.screens import overview as screen_module

    monkeypatch.setattr(screen_module, "PAGE", 1)  # 1 of the demo's 4 cycles loaded
    monkeypatch.setattr(screen_module, "AHEAD", -1)  # and no more while the cursor is on it
    app = make_app(demo_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        loads, everything = screen.full_loads, demo_service.overview(NOW).rows
        assert ids(screen.rows) == ids(everything[:1]) and screen.total == 4
        first = screen.rows[0]
        budi = other_clerk(tmp_path)
        budi.note(first.cycle_id, "dicek Budi")  # in the page: replaced
        budi.note(everything[2].cycle_id, "dicek Budi")  # beyond the page: nothing to show
        budi.start("kalipare", "2026-T4")  # a new cycle, sorting after the page: counted
        screen.poll_changes()
        await settle(pilot)
        assert screen.full_loads == loads, "the list was loaded again"
        assert ids(screen.rows) == [first.cycle_id] and screen.rows[0] is not first
        assert screen.total == 5
        assert "1 dari 5 siklus" in str(screen.query_one("#overview-status").render())
        screen.load_more()  # the next page comes from the store, at the right offset
        await settle(pilot)
        assert ids(screen.rows) == ids(demo_service.overview(NOW).rows[:2])


def test_a_junk_notification_payload_is_not_a_row_nor_a_traceback(demo_service):
    before = demo_service.overview(NOW).rows
    junk = ["../../etc/passwd", "x'; DROP TABLE cycles; --", "", "\x1b[31m" * 50]
    changed = demo_service.changed_rows(junk, NOW)
    assert changed.rows == [] and sorted(changed.removed) == sorted(junk)
    assert ids(merge_changed(before, changed).rows) == ids(before)


@pytest.mark.needs_postgresql
def test_on_postgresql_a_junk_notification_payload_is_not_a_row(pg_url, tmp_path):
    from langkah.demo import seed_demo

    siti = Langkah.open(tmp_path / "data", tmp_path / "defs", clock=fixed_clock, store=pg_url)
    seed_demo(siti, NOW)
    junk = ["../../etc/passwd", "x'; DROP TABLE cycles; --", ""]
    changed = siti.changed_rows(junk, NOW)
    assert changed.rows == [] and sorted(changed.removed) == sorted(junk)
    assert len(siti.overview(NOW).rows) == 4
    siti.store.close()
