"""Fixtures of the interface tests: a fixed clock, an isolated service, the app on demo data."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from langkah.demo import seed_demo
from langkah.engine.definition import InputKind, Step
from langkah.service import CycleView, Langkah
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


def step_values(step: Step) -> dict[str, Any]:
    """Every kelengkapan item of a step, filled as the service accepts it."""
    values: dict[str, Any] = {}
    for spec in step.inputs:
        if spec.type == InputKind.CHECK:
            values[spec.id] = True
        elif spec.type == InputKind.DOCUMENT:
            values[spec.id] = {"nomor": f"005/{step.number}/2026", "tanggal": "2026-10-05"}
        elif spec.type == InputKind.CHOICE:
            values[spec.id] = spec.choices[0]
        elif spec.type == InputKind.NUMBER:
            values[spec.id] = 1
        elif spec.type == InputKind.DATE:
            values[spec.id] = "2026-10-05"
        else:
            values[spec.id] = "Terlampir"
    return values


def fill(service: Langkah, view: CycleView) -> CycleView:
    step = view.current_step
    if step is None or not step.inputs:
        return view
    return service.record_inputs(view.state.cycle_id, step_values(step), view.version)


def advance(service: Langkah, view: CycleView, until: int, round: int = 1) -> CycleView:
    """Take every step through the service (decisions answered yes) until `until` is current
    in its `round` (a decision answered "no" sends the cycle back, see `send_back`)."""
    while view.state.is_open and not (
        view.state.current_step == until and view.state.visits[-1].round == round
    ):
        view = fill(service, view)
        if view.current_step is not None and view.current_step.decision:
            view = service.answer(view.state.cycle_id, True, None, view.version)
        else:
            view = service.complete(view.state.cycle_id, view.version)
    return view


def burst(app, text: str, *keys: str) -> None:
    """Keys as a terminal delivers a burst (typed fast, or over a slow link): all posted to the
    app at once, none processed before the next arrives."""
    from textual import events

    for char in text:
        app.post_message(events.Key("space" if char == " " else char, char))
    for key in keys:
        app.post_message(events.Key(key, None))


async def until_exited(pilot) -> None:
    """Until the app has exited (bounded: not a speed check)."""
    for _ in range(200):
        if not pilot.app.is_running:
            return
        await pilot.pause(0.05)
