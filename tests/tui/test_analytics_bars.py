"""The analytics screen's second chart: median delay per step as bars, a bar per kecamatan,
beside the on-time line chart (side by side when wide, stacked at 80 columns)."""

from __future__ import annotations

import pytest

from langkah.analytics import compute
from langkah.tui.presenters import analytics as presenter
from langkah.tui.screens.analytics import AnalyticsScreen
from tests.analytics.support import EXAMPLE_NOW, example_logs
from tests.tui.conftest import settle


def test_the_bars_of_the_worked_example():
    stats = compute(log.facts(EXAMPLE_NOW) for log in example_logs())
    steps, series = presenter.delay_bars(stats)
    assert steps == [1, 2, 3, 4, 5, 6]
    # medians of docs/analytics.md: step 2 25 minutes, step 5 7.5, step 6 5
    assert series == [("Kalipare", [0.0, 25.0, 0.0, 0.0, 7.5, 5.0])]


def test_a_step_without_judged_visits_has_no_bar_not_zero():
    stats = compute(log.facts(EXAMPLE_NOW) for log in example_logs()[4:])  # E: step 1 pending
    _steps, series = presenter.delay_bars(stats)
    assert series[0][1][0] is None


@pytest.mark.parametrize(("size", "narrow"), [((80, 24), True), ((200, 50), False)])
async def test_the_bars_beside_the_line_chart(demo_service, make_app, size, narrow):
    app = make_app(demo_service)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AnalyticsScreen) and screen.stats is not None
        bars, line = screen.query_one("#an-bars"), screen.query_one("#an-chart")
        assert bars.display and line.display
        assert screen.query_one("#an-charts").has_class("narrow") is narrow
        if narrow:  # one above the other
            assert bars.region.y > line.region.y
        else:  # side by side, each half the width
            assert bars.region.y == line.region.y and bars.region.x > line.region.x
            assert bars.region.width >= 90
        steps, series = presenter.delay_bars(screen.stats)
        assert steps == [row.step for row in screen.stats.step_table]
        for index, (label, values) in enumerate(series):  # the figures of the step table
            assert label == screen.stats.columns[index].kecamatan
            for row, value in zip(screen.stats.step_table, values, strict=True):
                cell = row.cells[index]
                assert value == (cell.delay_median_minutes if cell is not None else None)
        assert any(v for _label, values in series for v in values if v)  # demo: some late
