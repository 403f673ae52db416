"""Start-up benchmark child: runs an app headless, reports when its first screen is up.

Usage: python bench/_startup_child.py bare|langkah OUTFILE. The parent puts its own
time.time_ns() just before starting this process in BENCH_T0; the elapsed time written to OUTFILE
runs from then until (1) the app is ready (first screen mounted) and refreshed once, and
(2) the first screen's workers (data loading) have finished and the screen refreshed again.
Both apps run headless at 80x24, the size given from the start as a terminal gives it.
"""

from __future__ import annotations

import asyncio
import os
import sys
import threading
import time

T0 = int(os.environ["BENCH_T0"])
MODE, OUT = sys.argv[1], sys.argv[2]
SIZE = (80, 24)
_watchdog = threading.Timer(90, lambda: os._exit(3))  # never outlive the benchmark's patience
_watchdog.daemon = True
_watchdog.start()

from textual.app import App, ComposeResult  # noqa: E402
from textual.widgets import Static  # noqa: E402

_original_ready = App._ready
_original_run = App.run


def _finish(app: App) -> None:
    ready: list[float] = []

    async def finish() -> None:
        ready.append((time.time_ns() - T0) / 1e9)  # first screen mounted and refreshed
        for _ in range(50):  # then let the first screen load its data in workers
            try:  # bounded: a worker that polls forever must not hang the benchmark
                await asyncio.wait_for(app.workers.wait_for_complete(), timeout=20)
            except TimeoutError:
                break
            await asyncio.sleep(0)
            if not any(w.is_running for w in app.workers):
                break
        app.call_after_refresh(_record, app, ready[0])

    app.call_after_refresh(lambda: asyncio.ensure_future(finish()))


def _record(app: App, ready: float) -> None:
    _watchdog.cancel()
    with open(OUT, "w") as handle:
        handle.write(f"{ready:.6f} {(time.time_ns() - T0) / 1e9:.6f} {type(app).__name__}\n")
    app.exit()


async def _ready(self: App) -> None:
    await _original_ready(self)
    _finish(self)


def _run_headless(self: App, *args, **kwargs):  # type: ignore[no-untyped-def]
    kwargs["headless"] = True
    # The size a terminal reports, as a terminal does from the start. Without it, a headless app
    # starts at Rich's default console size (80x25) and then gets the headless driver's (80x24):
    # a resize no terminal sends, which lays the first screen out twice more (docs/performance.md).
    kwargs["size"] = SIZE
    return _original_run(self, *args, **kwargs)


App._ready = _ready  # type: ignore[method-assign]
App.run = _run_headless  # type: ignore[method-assign]


class BareApp(App):
    """The yardstick: a Textual app that shows one Static."""

    def compose(self) -> ComposeResult:
        yield Static("Langkah")


if MODE == "bare":
    BareApp().run()
else:
    from langkah.main import main

    sys.exit(main([]))
