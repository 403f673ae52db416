"""Key-latency benchmark child: the TUI overview on a big store, driven by keys headless.

Usage: python bench/_paging_keys_child.py DATA_DIR (LANGKAH_NOW and the folders come from the
environment, as for the start-up child). Prints JSON: the seconds each key took until the app
had handled it and was idle again (cursor moves through and past the first page, a page down,
a search typed and cleared), the rows loaded, the footer, and the peak resident memory.
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import time


async def main(data_dir: str) -> dict:
    import datetime as dt
    import os

    from langkah.service import Langkah
    from langkah.tui.app import LangkahApp

    now = dt.datetime.fromisoformat(os.environ["LANGKAH_NOW"])
    service = Langkah.open(data_dir, os.environ.get("LANGKAH_DEFS_DIR"), clock=lambda: now)
    app = LangkahApp(service, clock=lambda: now, lang="id", blink=False)
    timings: dict[str, list[float]] = {"move": [], "page": [], "search": []}
    async with app.run_test(size=(120, 40)) as pilot:
        screen = None
        for _ in range(600):  # the first page, loaded in a worker
            await asyncio.sleep(0.05)
            screen = app.screen
            if getattr(screen, "loaded_once", False):
                break
        assert screen is not None and screen.loaded_once, "the overview did not load"
        await app.workers.wait_for_complete()

        async def timed(kind: str, *keys: str) -> None:
            for key in keys:
                start = time.perf_counter()
                await pilot.press(key)
                timings[kind].append(time.perf_counter() - start)

        await timed("move", *(["down"] * 250))  # past the first pages: the next ones load
        await timed("page", "pagedown", "pagedown", "pageup")
        await timed("search", "slash", "k", "a", "l", "i", "escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        footer = str(screen.query_one("#overview-status").render())
        rows = len(screen.rows)
    every = [t for values in timings.values() for t in values]
    every.sort()
    return {
        "keys": len(every),
        "median": every[len(every) // 2],
        "p95": every[int(len(every) * 0.95)],
        "max": every[-1],
        "by_kind": {
            k: [round(min(v), 4), round(sorted(v)[len(v) // 2], 4), round(max(v), 4)]
            for k, v in timings.items()
        },
        "rows_loaded": rows,
        "footer": footer,
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(sys.argv[1]))))
