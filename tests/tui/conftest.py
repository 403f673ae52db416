"""Fixtures of the interface tests: a fixed clock, an isolated service, the app on demo data."""

from __future__ import annotations

import datetime as dt

import pytest

from langkah.demo import seed_demo
from langkah.service import Langkah
from langkah.tui.app import LangkahApp

# Tuesday 24 November 2026, 10.00 WIB: a working day, inside working hours.
NOW = dt.datetime(2026, 11, 24, 3, 0, tzinfo=dt.UTC)


def fixed_clock() -> dt.datetime:
    return NOW


@pytest.fixture
def service(tmp_path) -> Langkah:
    return Langkah.open(tmp_path / "data", tmp_path / "defs", clock=fixed_clock)


@pytest.fixture
def demo_service(service) -> Langkah:
    seed_demo(service, NOW)
    return service


@pytest.fixture
def make_app():
    def make(service: Langkah, lang: str = "id", **kwargs) -> LangkahApp:
        return LangkahApp(service, clock=fixed_clock, lang=lang, blink=False, **kwargs)

    return make


async def settle(pilot) -> None:
    """Let workers (service calls, the overview loader) finish and the screens catch up.

    A screen's service calls run one after another (each answer may queue the next), so this
    waits until no screen has a call queued or running.
    """
    for _ in range(100):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if not any(getattr(screen, "busy", False) for screen in pilot.app.screen_stack):
            return
    raise AssertionError("the screens' service calls never settled")
