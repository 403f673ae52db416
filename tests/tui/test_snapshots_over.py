"""SVG snapshots (issue 12) at 80x24 and 160x50: the overview with running, overdue and finished
cycles, the timeline, the start screen warning of a second cycle, the filters and the variants.
Demo data, a fixed clock, fixed cycle ids, no blinking cursor."""

from __future__ import annotations

import itertools

import pytest

from langkah.demo import seed_demo
from langkah.service import Langkah
from langkah.tui.app import LangkahApp
from tests.tui.conftest import NOW, fixed_clock, settle

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 50), id="160x50")]


@pytest.fixture
def demo_app(tmp_path, monkeypatch):
    counter = itertools.count(1)
    monkeypatch.setattr("langkah.service.secrets.token_hex", lambda n: f"{next(counter):06x}")
    service = Langkah.open(tmp_path / "data", tmp_path / "defs", clock=fixed_clock)
    seed_demo(service, NOW)
    return LangkahApp(service, clock=fixed_clock, lang="id", blink=False)


@pytest.mark.parametrize("size", SIZES)
def test_overview(snap_compare, demo_app, size):
    assert snap_compare(demo_app, terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_timeline_of_a_returned_cycle(snap_compare, demo_app, size):
    async def open_timeline(pilot):
        await settle(pilot)
        await pilot.press("down", "t")  # Dawarblandong, sent back at step 9
        await settle(pilot)
        await pilot.press("up")  # the answer: its reason whole in the detail pane
        await pilot.pause()

    assert snap_compare(demo_app, terminal_size=size, run_before=open_timeline)


@pytest.mark.parametrize("size", SIZES)
def test_start_warns_of_a_second_cycle(snap_compare, demo_app, size):
    async def second(pilot):
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("enter", "down", "enter")  # Dawarblandong 2026-T4: running already
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)

    assert snap_compare(demo_app, terminal_size=size, run_before=second)


@pytest.mark.parametrize("size", SIZES)
def test_filters(snap_compare, demo_app, size):
    async def open_filters(pilot):
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)

    assert snap_compare(demo_app, terminal_size=size, run_before=open_filters)


@pytest.mark.parametrize("size", SIZES)
def test_variants(snap_compare, demo_app, size):
    async def open_variants(pilot):
        await settle(pilot)
        await pilot.press("v", "down", "space")
        await settle(pilot)

    assert snap_compare(demo_app, terminal_size=size, run_before=open_variants)
