"""The evaluators' recap figure: `langkah export-xlsx` over the benchmark store.

Called from bench/run.py (`figure_xlsx`); also runnable alone on a store that exists:
    python bench/xlsx_bench.py DATA_DIR
Times the whole command as a user runs it (a fresh process: start, read every cycle, write
the workbook), median of `runs`, and checks that the workbook lists every cycle. The first
export of a store also fills its recap cache (langkah/recap_cache.py: the finished visits of
each log, which no longer change); it is timed alone and shown as information, as the
overview's first listing without its summary cache is.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
XLSX_BUDGET = 5.0  # seconds for the recap of 5,000 cycles
BUDGET_CYCLES = 5000
NOW = "2026-11-20T03:00:00+00:00"  # bench/synth.py's NOW


def run_once(data_dir: Path, out: Path) -> float:
    env = dict(os.environ, LANGKAH_DATA_DIR=str(data_dir), LANGKAH_NOW=NOW)
    env["LANGKAH_DEFS_DIR"] = "/nonexistent-langkah-defs"
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    out.unlink(missing_ok=True)
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "langkah.main", "export-xlsx", "-o", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError((proc.stderr.strip().splitlines() or ["export-xlsx failed"])[-1])
    return elapsed


def listed_cycles(path: Path) -> int:
    """Rows of the cycles sheet, less the header (read from the sheet's dimension)."""
    with zipfile.ZipFile(path) as archive:
        head = archive.read("xl/worksheets/sheet1.xml")[:600].decode("utf-8", "replace")
    last = head.split('<dimension ref="', 1)[1].split('"', 1)[0].split(":")[-1]
    return int("".join(ch for ch in last if ch.isdigit())) - 1


def measure(data_dir: Path, cycles: int, runs: int) -> tuple[float, float, int]:
    """(seconds of the first export, with no recap cache yet; median seconds of `runs` exports
    after it; cycles listed) of the store at `data_dir`."""
    (data_dir / "recap-cache.json").unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="langkah-xlsx-") as scratch:
        out = Path(scratch) / "rekap.xlsx"
        first = run_once(data_dir, out)
        times = [run_once(data_dir, out) for _ in range(runs)]
        return first, statistics.median(times), listed_cycles(out)


def figure_xlsx(data_dir: Path, cycles: int, runs: int) -> list:  # list[run.Figure]
    from bench.run import Figure, limit_figure

    first, seconds, listed = measure(data_dir, cycles, runs)
    assert listed == cycles, f"the recap listed {listed} of {cycles} cycles"
    name = f"xlsx recap, {cycles:,} cycles (langkah export-xlsx)"
    once = Figure(
        f"xlsx recap, {cycles:,} cycles, no recap cache yet", f"{first:.2f} s", "(once)", None, None
    )
    if cycles < BUDGET_CYCLES:  # a smaller store (--quick): measured, not judged
        figure = Figure(name, f"{seconds:.2f} s", f"(budget at {BUDGET_CYCLES:,})", None, None)
        return [figure, once]
    return [limit_figure(name, seconds, XLSX_BUDGET, "s"), once]


if __name__ == "__main__":
    folder = Path(sys.argv[1])
    count = len(list((folder / "cycles").glob("*.json")))
    first, seconds, listed = measure(folder, count, 1)
    print(
        f"{listed:,} of {count:,} cycles in {seconds:.2f} s (budget {XLSX_BUDGET} s); "
        f"{first:.2f} s with no recap cache yet"
    )
