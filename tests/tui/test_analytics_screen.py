"""The analytics screen (key `a` on the overview): Tim SAKIP's tables, the overview's filters."""

from __future__ import annotations

from langkah.analytics import compute
from langkah.tui.presenters import analytics as presenter
from langkah.tui.presenters.filters import Filters
from langkah.tui.screens.analytics import AnalyticsScreen
from langkah.tui.strings import set_language
from tests.analytics.support import EXAMPLE_NOW, example_logs
from tests.tui.conftest import settle


def _cells(table) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def test_the_rows_of_the_worked_example():
    set_language("id")
    stats = compute(log.facts(EXAMPLE_NOW) for log in example_logs())
    group, total = presenter.group_rows(stats, "id")
    # 5 started / 2 finished / 1 cancelled; 9 of 15 on time; step 2 late 3 of 3; no returns;
    # lead median 157.5 minutes = 2,6 jam against the sum of standards 140 = 2,3 jam
    assert group == ("Kalipare", "2026-T3", "5/2/1", "60% (9/15)", "2 (3/3)", "0", "2,6j / 2,3j")
    assert total[1] == "semua" and total[2:] == group[2:]
    assert presenter.step_columns(stats) == ["Langkah", "Kalipare"]
    rows = presenter.step_rows(stats, "id")
    assert rows[0] == ("1", "75% (4) 0m/4m")  # p90 3.5 minutes shows as 4m
    assert rows[1] == ("2", "0% (3) 25m/29m")


def test_the_overview_filters_choose_the_cycles():
    chosen = presenter.wants(Filters(kecamatan="Kalipare", period="2026-T3", status="open"))
    assert chosen("kalipare/pengukuran-kinerja", "Kalipare", "2026-T3")
    assert not chosen("kalipare/pengukuran-kinerja", "Kalipare", "2026-T4")
    assert not chosen("mentebah/pengukuran-kinerja", "Mentebah", "2026-T3")
    assert presenter.wants(Filters())("x", "y", "z")  # no filter: every cycle


async def test_key_a_opens_the_figures_of_every_cycle(demo_service, make_app):
    app = make_app(demo_service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AnalyticsScreen) and screen.stats is not None
        overview = demo_service.overview()
        groups = _cells(screen.query_one("#an-groups"))
        totals = [row for row in groups if row[1] == "semua"]
        for row in totals:  # each variant's cycles, counted apart by the overview
            started = sum(1 for r in overview.rows if r.kecamatan == row[0])
            assert row[2].split("/")[0] == str(started)
        assert sum(int(row[2].split("/")[0]) for row in totals) == len(overview.rows)
        steps = screen.query_one("#an-steps")
        assert len(steps.columns) == 1 + len(totals)
        await pilot.press("tab")  # the step table, scrolled into view at 80x24
        await pilot.pause()
        assert app.focused is steps
        chart = screen.query_one("#an-chart")
        assert chart.display  # a line per kecamatan, beside the table's figures
        _periods, series = presenter.on_time_series(screen.stats)
        assert len(series) == len(totals) and any(xs for _label, xs, _ys in series)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, AnalyticsScreen)


async def test_the_overview_kecamatan_filter_applies(demo_service, make_app):
    app = make_app(demo_service, lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await pilot.press("enter", "down", "enter")  # kecamatan: Dawarblandong
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AnalyticsScreen)
        groups = _cells(screen.query_one("#an-groups"))
        assert groups and {row[0] for row in groups} == {"Dawarblandong"}
        assert "Dawarblandong" in str(screen.query_one("#an-filters").render())
        assert [str(c.label) for c in screen.query_one("#an-steps").columns.values()] == [
            "Step",
            "Dawarblandong",
        ]


def test_the_chart_series_leave_out_what_is_undefined():
    from tests.analytics.support import KALIPARE, Log, run, wib

    now = wib(1, 9, 5)
    t3 = run(Log(KALIPARE, "k3", "2026-T3", wib(1, 8, 0)), [(1, 8, 10), (1, 9, 0)])  # 50 %
    t2 = run(Log(KALIPARE, "k2", "2026-T2", wib(1, 8, 0)), [(1, 8, 20)])  # 0 %
    t1 = Log(KALIPARE, "k1", "2026-T1", wib(1, 9, 0))  # step 1 running 5 of 15: none judged
    stats = compute(log.facts(now) for log in (t3, t1, t2))
    periods, series = presenter.on_time_series(stats)
    assert periods == ["2026-T1", "2026-T2", "2026-T3"]
    assert series == [("Kalipare", [2, 3], [0.0, 50.0])]  # T1 has no point, not a 0
    assert presenter.tick_labels(periods, 80) == ([1, 2, 3], periods)
    ticks, labels = presenter.tick_labels([f"p{i}" for i in range(30)], 90)  # 9 columns each
    assert ticks[:3] == [1, 4, 7] and len(labels) == 10


async def test_no_cycles_no_chart(service, make_app):
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AnalyticsScreen)
        assert not screen.query_one("#an-chart").display
        assert "Tidak ada siklus" in str(screen.query_one("#an-summary").render())
