"""The live-overview figure: a clerk's action visible in another TUI within 1 s (PostgreSQL).

Called from bench/run.py (`figure_live`); also runnable alone:
    python bench/live_bench.py [ADMIN_URL]
The server is found as in bench/pg_bench.py ("n/a" without one). A database
`langkah_bench_<random>` is created and dropped. Another process (the other clerk) adds notes
to a cycle through the service, one at a time; this process listens as the TUI overview does
(`Langkah.watch` in a thread). The latency of one action runs from the moment the other clerk's
note call starts (its commit lies inside) to the moment the listener hands over the cycle's id,
so it is an upper bound of commit -> listener; median and p95 over the actions.

    python -m bench.live_bench writer URL DATA_DIR CYCLE   (the other clerk; used by the figure)
"""

from __future__ import annotations

import json
import os
import queue
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
LIVE_BUDGET = 1.0  # seconds from another clerk's action to the listener (issue 15)
NAME = "PG: a clerk's action heard by another TUI (p95)"


def writer(url: str, data_dir: str, cycle: str) -> None:
    """One note per line read from stdin; prints when each started and returned."""
    from bench.pg_bench import NOW
    from langkah.service import Langkah

    app = Langkah.open(data_dir, "/nonexistent-langkah-defs", clock=lambda: NOW, store=url)
    app.open_cycle(cycle)  # connections and definitions ready before the clock starts
    print("ready", flush=True)
    for i, _ in enumerate(sys.stdin):
        start = time.monotonic()  # one clock for all processes of the machine
        app.note(cycle, f"dari Budi {i}")
        print(json.dumps([start, time.monotonic()]), flush=True)


def measure(
    admin: str, count: int, url: str | None = None, cycle: str | None = None
) -> dict[str, Any]:
    """`count` actions by another process; the listener's latency for each, up to the moment
    it has the changed cycle's overview row in hand (`changed_rows`, what the TUI overview
    reads before it repaints that row). `url`/`cycle`: a database that holds cycles already
    (e.g. 50,000 migrated ones) and a running cycle of it; else a fresh database with one."""
    from bench.pg_bench import NOW, _execute
    from langkah.service import Langkah

    name = None
    if url is None:
        name = f"langkah_bench_{secrets.token_hex(4)}"
        _execute(admin, f"CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0")
        url = admin.rsplit("/", 1)[0] + "/" + name
    data_dir = tempfile.mkdtemp(prefix="langkah-live-bench-")
    stop = threading.Event()
    proc = None
    try:
        app = Langkah.open(data_dir, "/nonexistent-langkah-defs", clock=lambda: NOW, store=url)
        if cycle is None:
            cycle = app.start("kalipare", "2026-T3").state.cycle_id
        heard: queue.Queue[tuple[float, frozenset[str] | None]] = queue.Queue()

        def listen() -> None:
            for ids in app.watch(stop):
                if ids:
                    app.changed_rows(ids)  # the rows the overview shows again
                heard.put((time.monotonic(), ids))

        threading.Thread(target=listen, daemon=True).start()
        proc = subprocess.Popen(
            [sys.executable, "-m", "bench.live_bench", "writer", url, data_dir, cycle],
            cwd=ROOT,
            env=dict(os.environ, PYTHONPATH=str(ROOT)),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert proc.stdin is not None and proc.stdout is not None
        if proc.stdout.readline().strip() != "ready":
            raise RuntimeError(f"the writer did not start: {proc.stderr.read()[-300:]}")
        time.sleep(0.5)  # the listener is up
        latencies, commits, missed = [], [], 0
        for _ in range(count):
            while not heard.empty():
                heard.get_nowait()
            proc.stdin.write("go\n")
            proc.stdin.flush()
            start, end = json.loads(proc.stdout.readline())
            try:
                arrived, ids = heard.get(timeout=5)
            except queue.Empty:
                missed += 1
                continue
            if ids is None or cycle not in ids:
                missed += 1
                continue
            latencies.append(arrived - start)
            commits.append(end - start)
            time.sleep(0.02)  # actions a person apart, not one batch
        app.store.close()  # type: ignore[attr-defined]
        return {
            "median": statistics.median(latencies),
            "p95": statistics.quantiles(latencies, n=20)[-1],
            "action_median": statistics.median(commits),
            "actions": count,
            "missed": missed,
        }
    finally:
        stop.set()
        if proc is not None:
            proc.kill()
            proc.communicate(timeout=30)
        if name is not None:
            _execute(admin, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        shutil.rmtree(data_dir, ignore_errors=True)


def figure_live(count: int) -> list[Any]:
    """The figure for bench/run.py (its Figure class), or n/a without a server."""
    from bench.pg_bench import admin_url, unavailable
    from bench.run import Figure

    budget = f"<= {LIVE_BUDGET * 1000:.0f} ms"
    admin = admin_url()
    why = unavailable(admin)
    if why is not None:
        return [Figure(NAME, f"n/a ({why})", budget, None, None)]
    result = measure(admin, count)
    p95 = result["p95"]
    measured = (
        f"{p95 * 1000:.1f} ms (median {result['median'] * 1000:.1f} ms; {result['actions']} "
        f"actions, {result['missed']} missed)"
    )
    ok = p95 <= LIVE_BUDGET and result["missed"] == 0
    return [Figure(NAME, measured, budget, p95 / LIVE_BUDGET, ok)]


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if len(sys.argv) > 1 and sys.argv[1] == "writer":
        writer(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        from bench.pg_bench import admin_url, unavailable

        if len(sys.argv) > 1:
            os.environ["LANGKAH_BENCH_PG"] = sys.argv[1]
        why = unavailable(admin_url())
        if why:
            print(f"{NAME}: n/a ({why})")
            sys.exit(0)
        print(json.dumps(measure(admin_url(), 50), indent=1))
