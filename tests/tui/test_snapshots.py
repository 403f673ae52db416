"""SVG snapshots of the main screens, on demo data with a fixed clock and no blinking cursor."""

from __future__ import annotations

import itertools

import pytest

from langkah.demo import seed_demo
from langkah.service import Langkah
from langkah.tui.app import LangkahApp
from tests.tui.conftest import NOW, fixed_clock, settle


@pytest.fixture
def snapshot_app(tmp_path, monkeypatch):
    counter = itertools.count(1)
    monkeypatch.setattr("langkah.service.secrets.token_hex", lambda n: f"{next(counter):06x}")
    service = Langkah.open(tmp_path / "data", tmp_path / "defs", clock=fixed_clock)
    ids = seed_demo(service, NOW)

    def make(open_first: bool = False, lang: str = "id") -> LangkahApp:
        return LangkahApp(
            service,
            clock=fixed_clock,
            lang=lang,
            blink=False,
            open_cycle=ids[0] if open_first else None,
        )

    return make


def test_overview(snap_compare, snapshot_app):
    assert snap_compare(snapshot_app(), terminal_size=(120, 40), run_before=settle)


def test_run_screen(snap_compare, snapshot_app):
    assert snap_compare(snapshot_app(open_first=True), terminal_size=(120, 40), run_before=settle)


def test_run_screen_small_terminal(snap_compare, snapshot_app):
    assert snap_compare(snapshot_app(open_first=True), terminal_size=(80, 24), run_before=settle)


def test_variants(snap_compare, snapshot_app):
    async def open_variants(pilot):
        await settle(pilot)
        await pilot.press("v", "down")
        await settle(pilot)

    assert snap_compare(snapshot_app(), terminal_size=(120, 40), run_before=open_variants)


def test_help_in_english(snap_compare, snapshot_app):
    async def open_help(pilot):
        await settle(pilot)
        await pilot.press("escape")  # leave the first field of the run screen
        await pilot.press("f1")
        await pilot.pause()

    app = snapshot_app(open_first=True, lang="en")
    assert snap_compare(app, terminal_size=(100, 30), run_before=open_help)
