"""The big-store overview figures (issue 15 part 4): an overview that does not grow with the store.

Called from bench/run.py (`--big`: a store of 50,000 cycles, built once, ~5-10 minutes); also
runnable alone on a store that exists (built by bench.synth.build_store):
    python bench/paging_bench.py DATA_DIR [RUNS]
Figures, each from a fresh process as a user meets it:
- the overview index built from the cycle files (once: a store written before the index);
- `langkah status --json --limit 50`, whole command from process start, and its peak memory;
- the TUI: its overview's first rows after start-up (the start-up child: data loaded minus
  first screen up), and the latency of keys in the overview (cursor moves past the first page,
  page keys, a search typed and cleared), with the process's peak memory.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
NOW = "2026-11-20T03:00:00+00:00"  # bench/synth.py's NOW
STATUS_BUDGET = 0.5  # seconds, whole command, 50,000 cycles
FIRST_ROWS_BUDGET = 0.3  # seconds after start-up
KEY_BUDGET = 0.1  # seconds per key (median)
PEAK_BUDGET = 150  # MB


def _env(data_dir: Path, scratch: Path) -> dict[str, str]:
    env = dict(os.environ, LANGKAH_DATA_DIR=str(data_dir), LANGKAH_NOW=NOW)
    env["LANGKAH_DEFS_DIR"] = str(scratch / "no-user-defs")
    env["HOME"] = str(scratch / "home")
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def status_once(data_dir: Path, scratch: Path) -> tuple[float, float, dict[str, Any]]:
    """(seconds from process start to exit, peak MB of that process, the JSON printed)."""
    command = [sys.executable, "-m", "langkah.main", "status", "--json", "--limit", "50"]
    out_path, err_path = scratch / "status.out", scratch / "status.err"
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(command, env=_env(data_dir, scratch), stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)  # this child's own rusage (its peak memory)
        elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"status failed: {err_path.read_text(errors='replace')[-200:]}")
    return elapsed, usage.ru_maxrss / 1024, json.loads(out_path.read_bytes())


def _small_copy(data_dir: Path, scratch: Path, count: int) -> Path:
    from bench import synth

    target = scratch / f"small-{count}"
    if not target.is_dir():
        names = sorted(os.listdir(data_dir / "cycles"))[:count]
        synth.copy_subset(data_dir, target, [name[:-5] for name in names if name.endswith(".json")])
    return target


def keys_once(data_dir: Path, scratch: Path) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, str(HERE / "_paging_keys_child.py"), str(data_dir)],
        env=_env(data_dir, scratch),
        capture_output=True,
        text=True,
        timeout=600,
    )
    if proc.returncode != 0:
        raise RuntimeError((proc.stderr or proc.stdout).strip().splitlines()[-1:])
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def figures(data_dir: Path, cycles: int, scratch: Path, runs: int = 5) -> list[tuple]:
    """(name, measured, budget, ratio or None, ok or None) rows, as bench/run.py prints them."""
    rows: list[tuple] = []
    index = data_dir / "overview-index"
    shutil.rmtree(index, ignore_errors=True)  # as a store written before the index has it
    build, _, _ = status_once(data_dir, scratch)
    rows.append((f"overview index built from {cycles:,} cycle files (once)", f"{build:.2f} s"))
    results = [status_once(data_dir, scratch) for _ in range(runs)]
    seconds = statistics.median(r[0] for r in results)
    peak = max(r[1] for r in results)
    page = results[0][2]
    assert page["total"] == cycles and len(page["rows"]) == min(50, cycles), page["total"]
    rows.append((f"status --json --limit 50, {cycles:,} cycles", seconds, STATUS_BUDGET, "s"))
    small = _small_copy(data_dir, scratch, 500)  # the same command where the store is small:
    status_once(small, scratch)  # what does not grow with the store (start-up, imports)
    floor = statistics.median(status_once(small, scratch)[0] for _ in range(runs))
    rows.append(("status --json --limit 50, 500 cycles (same run)", f"{floor * 1000:.0f} ms"))
    rows.append(("status --limit 50: x the same on 500 cycles", f"{seconds / floor:.2f}"))
    rows.append(("status --limit 50: peak memory", peak, PEAK_BUDGET, "MB"))
    from bench.run import startup_once  # the start-up child: first screen, then its data

    loads = []
    for _ in range(runs):
        ready, loaded = startup_once("langkah", data_dir, scratch)
        loads.append(loaded - ready)
    first = statistics.median(loads)
    name = f"TUI overview first rows after start-up, {cycles:,} cycles"
    rows.append((name, first, FIRST_ROWS_BUDGET, "s"))
    small_loads = []
    for _ in range(runs):
        ready, loaded = startup_once("langkah", small, scratch)
        small_loads.append(loaded - ready)
    floor = statistics.median(small_loads)
    rows.append(("TUI first rows after start-up, 500 cycles (same run)", f"{floor * 1000:.0f} ms"))
    keys = [keys_once(data_dir, scratch) for _ in range(max(1, runs // 2))]
    median = statistics.median(k["median"] for k in keys)
    p95 = statistics.median(k["p95"] for k in keys)
    rows.append((f"TUI overview key latency (median), {cycles:,} cycles", median, KEY_BUDGET, "s"))
    rows.append(("TUI overview key latency (95th percentile)", f"{p95 * 1000:.0f} ms"))
    rows.append(("TUI overview: peak memory", max(k["peak_mib"] for k in keys), PEAK_BUDGET, "MB"))
    return rows


def main(argv: list[str]) -> int:
    data_dir = Path(argv[0])
    runs = int(argv[1]) if len(argv) > 1 else 5
    cycles = sum(1 for name in os.listdir(data_dir / "cycles") if name.endswith(".json"))
    scratch = Path(os.environ.get("TMPDIR", "/tmp")) / f"langkah-paging-{os.getpid()}"
    scratch.mkdir(parents=True, exist_ok=True)
    try:
        for row in figures(data_dir, cycles, scratch, runs):
            if len(row) == 2:
                print(f"{row[0]:<62} {row[1]}")
            else:
                name, value, budget, unit = row
                shown = f"{value * 1000:.0f} ms" if unit == "s" else f"{value:.0f} MB"
                limit = f"{budget * 1000:.0f} ms" if unit == "s" else f"{budget:.0f} MB"
                verdict = "pass" if value <= budget else "MISS"
                print(f"{name:<62} {shown:>9}  budget {limit:>7}  {value / budget:.2f}  {verdict}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main(sys.argv[1:]))
