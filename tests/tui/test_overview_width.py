"""Issue 12: the overview at any width: columns by priority, no blank rows, the key bar never
cut before F1, Enter shown in the bar and in F1, `/` filters as you type."""

from __future__ import annotations

from langkah.engine.cycle import CycleStatus
from langkah.service import SummaryQuery
from langkah.tui.presenters import overview
from langkah.tui.presenters.columns import COLUMNS, layout
from langkah.tui.screens.modals import HelpScreen
from langkah.tui.screens.overview import OverviewScreen
from langkah.tui.strings import set_language, t
from langkah.tui.widgets.bars import KeyBar, shorten
from tests.tui.conftest import NOW, settle

# -- the presenter: plain Python ---------------------------------------------------------------


def test_narrow_terminal_keeps_the_columns_in_priority_order():
    natural = dict.fromkeys(COLUMNS, 30)
    shown = [key for key, _ in layout(80, natural)]
    assert shown == list(COLUMNS[: len(shown)])  # a prefix: never a column over a more urgent one
    assert shown[:4] == ["ov.col.kecamatan", "ov.col.status", "ov.col.step", "ov.col.holder"]
    assert sum(width + 2 for _, width in layout(80, natural)) <= 78


def test_wide_terminal_shows_every_column_whole():
    natural = dict(zip(COLUMNS, (13, 22, 60, 30, 7, 20, 23, 7), strict=True))
    shown = dict(layout(200, natural))
    assert shown == natural  # no fixed-width cut of Langkah or Pelaksana


def test_medium_terminal_shares_the_width_among_columns_that_need_it():
    natural = dict(zip(COLUMNS, (13, 22, 60, 30, 7, 20, 23, 7), strict=True))
    shown = dict(layout(120, natural))
    assert shown["ov.col.period"] == 7  # a short column is not widened past its content
    assert shown["ov.col.step"] > 14 and shown["ov.col.holder"] > 12


def test_ended_cycles_show_their_status_and_end(demo_service):
    set_language("id")
    rows = demo_service.overview(NOW).rows
    finished = next(r for r in rows if r.status == CycleStatus.FINISHED)
    cells = overview.cells(finished, "id")
    assert cells["ov.col.status"].text == t("status.finished")
    assert cells["ov.col.step"].text.startswith("berakhir 2026-")


def test_search_keeps_rows_holding_every_typed_word(demo_service):
    # the `/` search is taken in the store (its text: id, kecamatan, SOP, period, step, actors)
    def search(text: str) -> list:
        return demo_service.overview_page(SummaryQuery(now=NOW, text=text)).rows

    kept = search("dawar T3")
    assert [(r.kecamatan, r.period) for r in kept] == [("Dawarblandong", "2026-T3")]
    assert [r.cycle_id for r in search("  ")] == [
        r.cycle_id for r in demo_service.overview(NOW).rows
    ]
    assert search("tidak-ada") == []


def test_key_bar_shortens_labels_and_keeps_help():
    texts = ["Buka", "Riwayat", "Siklus baru", "Bantuan"]
    helps = [False, False, False, True]
    keys = [1, 1, 1, 2]
    assert shorten(texts, helps, keys, 200, {}) == texts
    short = shorten(texts, helps, keys, 40, {"Siklus baru": "Baru"})
    assert short == ["Buka", "Riwayat", "Baru", "Bantuan"]
    tiny = shorten(texts, helps, keys, 22, {})
    assert tiny[-1] == "Bantuan" and tiny[:3] == ["", "", ""]


# -- the screen: Pilot -----------------------------------------------------------------------


def _bar(app) -> str:
    return str(app.screen.query_one(KeyBar).render())


async def test_small_terminal_shows_status_holder_and_help_key(demo_service, make_app):
    app = make_app(demo_service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#cycles")
        keys = [column.key.value for column in table.columns.values()]
        assert keys[:4] == ["ov.col.kecamatan", "ov.col.status", "ov.col.step", "ov.col.holder"]
        for index in range(table.row_count):  # never a blank row
            row = table.get_row_at(index)
            assert str(row[0]).strip() and str(row[1]).strip() and str(row[2]).strip()
        bar = _bar(app)
        assert "f1" in bar and t("key.help") in bar
        assert t("key.open") in bar  # Enter is offered while the table has a row


async def test_columns_follow_a_resize(demo_service, make_app):
    app = make_app(demo_service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        narrow = len(app.screen.query_one("#cycles").columns)
        await pilot.resize_terminal(200, 50)
        await settle(pilot)
        table = app.screen.query_one("#cycles")
        assert len(table.columns) == len(COLUMNS) > narrow
        step = table.columns[next(k for k in table.columns if k.value == "ov.col.step")]
        assert step.width > 30  # widened: not the old fixed cut


async def test_enter_is_listed_in_help(demo_service, make_app):
    app = make_app(demo_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        descriptions = [description for _keys, description, _on in app.help_rows()]
        assert t("key.open") in descriptions
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_slash_filters_as_you_type(demo_service, make_app):
    app = make_app(demo_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, OverviewScreen)
        await pilot.press("slash", "k", "a", "l", "i")
        await pilot.pause()
        assert [r.kecamatan for r in screen.visible_rows()] == ["Kalipare"]
        assert screen.query_one("#cycles").row_count == 1
        await pilot.press("enter")  # back to the table: its keys work again
        await pilot.pause()
        assert screen.focused is screen.query_one("#cycles")
        await pilot.press("escape")  # clears and closes the search
        await pilot.pause()
        assert screen.query_one("#cycles").row_count == 4
        assert app.screen is screen


def test_fewer_whole_columns_rather_than_many_cut_ones():
    natural = dict(zip(COLUMNS, (13, 22, 80, 30, 7, 30, 23, 7), strict=True))
    at_120 = dict(layout(120, natural))
    assert list(at_120) == list(COLUMNS[:5])  # time, SOP and returns would cramp the rest
    assert at_120["ov.col.holder"] == 30  # whole
    at_180 = dict(layout(180, natural))
    assert list(at_180) == list(COLUMNS)
    assert all(at_180[key] >= min(natural[key], 24) for key in COLUMNS)
    assert [key for key, _ in layout(80, natural)] == list(COLUMNS[:5])  # never fewer than 5
