"""Tim SAKIP's figures: `langkah stats` over the benchmark store (issue 16 part 4, measured).

Called from bench/run.py (`figure_stats`); also runnable alone on a store that exists:
    python bench/stats_bench.py DATA_DIR [RUNS]
Times the whole command as a user runs it (a fresh process), median of `runs`, cold (no kept
facts: every log read, verified, replayed and every visit timed) and warm (the facts of each
log kept by its head in facts-cache.json: only running visits timed at `now`); checks that every
cycle was counted, and splits one uncached in-process run into its phases (read + verify +
replay through the service; timing of the visits; aggregation) so a miss says where it goes.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
STATS_BUDGET = 2.0  # seconds for 50,000 cycles on the embedded store (issue 16)
BUDGET_CYCLES = 50_000
NOW = "2026-11-20T03:00:00+00:00"  # bench/synth.py's NOW
FACTS_CACHE = "facts-cache.json"  # langkah.service.FACTS_CACHE (not imported: a child measures)


def _env(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ, LANGKAH_DATA_DIR=str(data_dir), LANGKAH_NOW=NOW)
    env["LANGKAH_DEFS_DIR"] = "/nonexistent-langkah-defs"
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def run_once(data_dir: Path, cold: bool = False) -> tuple[float, int]:
    """(seconds, cycles counted) of one `langkah stats --json` in a fresh process; `cold`: the
    kept facts (facts-cache.json) removed first, so every log is read and replayed."""
    if cold:
        (data_dir / FACTS_CACHE).unlink(missing_ok=True)
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "langkah.main", "stats", "--json"],
        env=_env(data_dir),
        capture_output=True,
        text=True,
        timeout=3600,
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError((proc.stderr.strip().splitlines() or ["stats failed"])[-1])
    return elapsed, int(json.loads(proc.stdout)["cycles"])


def phases(data_dir: Path) -> dict[str, float]:
    """Seconds of each phase of one in-process run (the command's own steps, timed apart)."""
    import datetime as dt

    from langkah.analytics import compute, cycle_facts
    from langkah.service import Langkah

    now = dt.datetime.fromisoformat(NOW)
    app = Langkah.open(data_dir, "/nonexistent-langkah-defs", clock=lambda: now)
    t0 = time.perf_counter()
    views = [app.open_cycle(cycle_id) for cycle_id in app.store.cycle_ids()]
    t1 = time.perf_counter()
    facts = [cycle_facts(v.state, v.definition, v.calendar, now) for v in views]
    t2 = time.perf_counter()
    compute(facts)
    t3 = time.perf_counter()
    return {"read + replay": t1 - t0, "timing": t2 - t1, "aggregation": t3 - t2}


def measure(data_dir: Path, cycles: int, runs: int) -> tuple[float, float, dict[str, float]]:
    """(median cold seconds, median warm seconds, phases): cold runs first (each without the
    kept facts; the last one leaves them for the warm runs)."""
    colds, warms = [], []
    for cold in [True] * runs + [False] * runs:
        seconds, counted = run_once(data_dir, cold)
        assert counted == cycles, f"stats counted {counted} of {cycles} cycles"
        (colds if cold else warms).append(seconds)
    return statistics.median(colds), statistics.median(warms), phases(data_dir)


def figure_stats(data_dir: Path, cycles: int, runs: int) -> list:  # list[run.Figure]
    from bench.run import Figure, limit_figure

    cold, warm, split = measure(data_dir, cycles, runs)
    name = f"stats, {cycles:,} cycles (langkah stats --json)"
    parts = ", ".join(f"{k} {v:.2f} s" for k, v in split.items())
    detail = Figure(f"  stats phases, in process, no cache: {parts}", "-", "-", None, None)
    first = Figure(f"{name}, cold (every log replayed)", f"{cold:.2f} s", "(info)", None, None)
    if cycles < BUDGET_CYCLES:  # start-up is much of a warm run: no linear scaling
        budget = f"(budget at {BUDGET_CYCLES:,}: run.py --big)"
        return [first, Figure(f"{name}, warm (facts kept)", f"{warm:.2f} s", budget, None, None),
                detail]  # fmt: skip
    return [first, limit_figure(f"{name}, warm (facts kept)", warm, STATS_BUDGET, "s"), detail]


if __name__ == "__main__":
    folder = Path(sys.argv[1])
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    count = len(list((folder / "cycles").glob("*.json")))
    sys.path.insert(0, str(ROOT))
    cold, warm, split = measure(folder, count, runs)
    print(f"langkah stats --json over {count:,} cycles: cold {cold:.2f} s, warm {warm:.2f} s "
          f"(medians of {runs})")  # fmt: skip
    print("phases in process: " + ", ".join(f"{k} {v:.2f} s" for k, v in split.items()))
    print(f"budget: {STATS_BUDGET} s at {BUDGET_CYCLES:,} cycles")
