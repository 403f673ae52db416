"""The admin's variant picker: identity and steps of each, remembered choice, comparison."""

from __future__ import annotations

from pathlib import Path

from langkah.preferences import Preferences
from langkah.tui.screens.variants import CompareScreen, VariantsScreen
from tests.tui.conftest import settle


async def test_switch_to_kalipare_and_mentebah_and_compare(service, make_app, tmp_path):
    app = make_app(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, VariantsScreen)
        assert screen.highlighted.startswith("dawarblandong")
        assert screen.query_one("#variant-steps").row_count == 11

        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.preferences.variant.startswith("kalipare")
        identity = str(screen.query_one("#variant-identity").render())
        assert "KALIPARE" in identity.upper()
        assert screen.query_one("#variant-steps").row_count == 6

        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.preferences.variant.startswith("mentebah")
        assert screen.query_one("#variant-steps").row_count == 8
        # Remembered on disk, for the next session.
        assert Preferences.load(Path(service.location)).variant.startswith("mentebah")

        await pilot.press("space", "up", "space", "b")
        await settle(pilot)
        compare = app.screen
        assert isinstance(compare, CompareScreen)
        assert {compare.first.split("/")[0], compare.second.split("/")[0]} == {
            "kalipare",
            "mentebah",
        }
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert not isinstance(app.screen, VariantsScreen | CompareScreen)
