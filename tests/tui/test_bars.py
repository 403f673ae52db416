"""The overview's title and key lines (one widget each instead of Textual's Header and Footer)."""

from __future__ import annotations

from langkah.tui.screens.overview import OverviewScreen
from langkah.tui.screens.timeline import TimelineScreen
from langkah.tui.widgets.bars import KeyBar, TitleBar
from tests.tui.conftest import settle


def span_of(bar: KeyBar, key: str) -> tuple[int, int, bool]:
    bar.render()
    for start, end, bound, enabled in bar._spans:
        if bound == key:
            return start, end, enabled
    raise AssertionError(f"{key} is not on the key line")


async def test_key_line_follows_the_bindings_and_a_click_presses_the_key(demo_service, make_app):
    app = make_app(demo_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, OverviewScreen)
        bar = screen.query_one(KeyBar)
        text = bar.render().plain
        for word in ("Riwayat", "Siklus baru", "Saring", "Keluar", "Bantuan", "palette"):
            assert word in text
        assert text.endswith("^p palette ")  # the palette's key on the right, as Footer

        start, end, enabled = span_of(bar, "t")
        assert enabled and end > start
        await pilot.click(KeyBar, offset=(start + 1, 0))
        await settle(pilot)
        assert isinstance(app.screen, TimelineScreen)


async def test_keys_not_allowed_now_are_dimmed_and_not_pressed(service, make_app):
    app = make_app(service)  # no cycle: nothing to open, no timeline to show
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        bar = screen.query_one(KeyBar)
        start, _end, enabled = span_of(bar, "t")
        assert not enabled
        dim = [span for span in bar.render().spans if "dim" in str(span.style)]
        assert any(span.start <= start < span.end for span in dim)
        await pilot.click(KeyBar, offset=(start + 1, 0))
        await settle(pilot)
        assert app.screen is screen


async def test_title_line_follows_the_screen_title(demo_service, make_app):
    app = make_app(demo_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        title = app.screen.query_one(TitleBar)
        assert "Langkah — Semua siklus" in title.render().plain
        app.screen.sub_title = "Contoh"
        await pilot.pause()
        assert "Langkah — Contoh" in title.render().plain
        assert "Contoh" in app.export_screenshot()  # redrawn on the screen, not only renderable
