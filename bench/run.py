"""Langkah's benchmark: measured figures against their budgets on synthetic data.

    python bench/run.py           # full run: 5,000 cycles (about 75,000 events), 1-2 minutes
    python bench/run.py --quick   # a smaller, faster run (fewer cycles and repeats)

Builds its own data in a temporary directory from the bundled SOPs, in the real store format
(bench/synth.py), prints one table (figure | measured | budget | ratio | result) and exits 1 when
a figure misses its budget. Figures that need a part not yet present print "n/a".
docs/performance.md explains each figure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from bench import synth  # noqa: E402


@dataclass
class Figure:
    name: str
    measured: str
    budget: str
    ratio: float | None  # measured / budget (<= 1 passes); None when not applicable
    ok: bool | None  # None: not measured or informative only

    @property
    def result(self) -> str:
        return "n/a" if self.ok is None else ("pass" if self.ok else "FAIL")


def median(values: list[float]) -> float:
    return statistics.median(values)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def child_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.update(extra)
    return env


# -- start-up -------------------------------------------------------------------------------


def tui_present() -> bool:
    return (ROOT / "tui" / "app.py").exists()


def startup_once(mode: str, data_dir: Path, scratch: Path) -> tuple[float, float]:
    """Seconds from process start to (first screen ready, first screen's data loaded)."""
    out = scratch / f"startup-{mode}.txt"
    out.unlink(missing_ok=True)
    env = child_env(
        LANGKAH_DATA_DIR=str(data_dir),
        LANGKAH_DEFS_DIR=str(scratch / "no-user-defs"),
        LANGKAH_NOW=synth.NOW.isoformat(),
        HOME=str(scratch / "home"),
        XDG_CONFIG_HOME=str(scratch / "home" / ".config"),
    )
    env["BENCH_T0"] = str(time.time_ns())
    try:
        proc = subprocess.run(
            [sys.executable, str(HERE / "_startup_child.py"), mode, str(out)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,  # the child exits by itself after 90 s at most
        )
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"{mode} app did not start within 120 s") from None
    if not out.exists():
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        raise RuntimeError(f"{mode} app did not report its first screen: {' | '.join(tail)}")
    ready, loaded, _ = out.read_text().split()
    return float(ready), float(loaded)


def figure_startup(data_dir: Path, cycles: int, scratch: Path, runs: int) -> list[Figure]:
    name = f"start-up to first screen, {cycles:,} cycles (x bare Textual app)"
    loaded_name = f"start-up until the overview shows {cycles:,} cycles"
    if not tui_present():
        return [Figure(name, "n/a (tui missing)", "<= 1.30 x", None, None)]
    (scratch / "home").mkdir(exist_ok=True)
    startup_once("bare", data_dir, scratch)  # warm the OS file cache for both
    try:
        startup_once("langkah", data_dir, scratch)
    except RuntimeError as error:
        return [Figure(name, f"n/a ({error})"[:70], "<= 1.30 x", None, None)]
    bare, app, app_loaded = [], [], []
    for _ in range(runs):  # interleaved, so drift affects both alike
        bare.append(startup_once("bare", data_dir, scratch)[0])
        ready, loaded = startup_once("langkah", data_dir, scratch)
        app.append(ready)
        app_loaded.append(loaded)
    b, a, full = median(bare), median(app), median(app_loaded)
    ratio = a / b
    return [
        Figure(name, f"{ms(a)} vs {ms(b)} = {ratio:.2f} x", "<= 1.30 x", ratio / 1.3, ratio <= 1.3),
        Figure(loaded_name, f"{ms(full)} = {full / b:.2f} x bare", "(information)", None, None),
    ]


# -- one action -----------------------------------------------------------------------------


def bare_write(path: Path, data: bytes) -> float:
    """The yardstick: write + fsync + rename of the same document, in the same directory."""
    temp = path.parent / ".bench-baseline.tmp"
    start = time.perf_counter()
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temp, path.parent / ".bench-baseline")
    return time.perf_counter() - start


def figure_actions(big: Path, stats: dict, sizes: list[int], scratch: Path, reps: int) -> list:
    """`complete` on the same cycles in stores of each size, interleaved round by round so that
    drift in the machine's load affects every size alike; each beside a bare write."""
    from langkah.service import Langkah

    active = stats["active_ids"][: reps + 1]
    all_ids = sorted(p.stem for p in (big / "cycles").glob("*.json"))
    clock_now = synth.NOW + dt.timedelta(days=1)
    apps = {}
    for size in sizes:
        if size == stats["cycles"]:
            directory = big
        else:
            directory = scratch / f"store-{size}"
            chosen = list(active)
            chosen += [i for i in all_ids if i not in chosen][: size - len(chosen)]
            synth.copy_subset(big, directory, chosen)
        os.sync()
        app = Langkah.open(directory, directory / "no-user-defs", clock=lambda: clock_now)
        app.overview()  # parse the stored definitions once, as a running app has
        app.complete(active[0])
        apps[size] = (app, directory)
    actions: dict[int, list[float]] = {size: [] for size in sizes}
    bares: dict[int, list[float]] = {size: [] for size in sizes}
    for cycle_id in active[1:]:
        for size in sizes:
            app, directory = apps[size]
            start = time.perf_counter()
            app.complete(cycle_id)
            actions[size].append(time.perf_counter() - start)
            path = directory / "cycles" / f"{cycle_id}.json"
            bares[size].append(bare_write(path, path.read_bytes()))
    figures = []
    for size in sizes:
        (apps[size][1] / "cycles" / ".bench-baseline").unlink(missing_ok=True)
        action, bare = median(actions[size]), median(bares[size])
        ratio = action / bare
        figures.append(
            Figure(
                f"one action (complete, durable), {size:,} cycles (x bare write)",
                f"{ms(action)} vs {ms(bare)} = {ratio:.2f} x",
                "<= 3.00 x",
                ratio / 3,
                ratio <= 3,
            )
        )
    raw = median(actions[sizes[-1]]) / median(actions[sizes[0]])
    yardstick = median(bares[sizes[-1]]) / median(bares[sizes[0]])
    growth = raw / yardstick  # what the file system's own growth (a bigger folder) does not explain
    figures.append(
        Figure(
            f"one action: growth {sizes[-1]:,} / {sizes[0]:,} cycles, net of the bare write's",
            f"{growth:.2f} x (raw {raw:.2f} x, bare write {yardstick:.2f} x)",
            "<= 1.25 x (noise)",
            growth / 1.25,
            growth <= 1.25,
        )
    )
    return figures


def restore_big(big: Path, backup: Path) -> None:
    """Undo the actions taken on the big store (the start-up figure reads it afterwards)."""
    for entry in backup.iterdir():
        shutil.copy2(entry, big / "cycles" / entry.name)


# -- overview -------------------------------------------------------------------------------


def overview_child(data_dir: Path) -> dict:
    proc = subprocess.run(
        [sys.executable, str(HERE / "_overview_child.py"), str(data_dir)],
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.strip().splitlines()[-1:])
    return json.loads(proc.stdout)


def figure_overview(data_dir: Path, cycles: int, runs: int) -> list[Figure]:
    (data_dir / "summary-cache.json").unlink(missing_ok=True)
    first = overview_child(data_dir)  # no summary cache yet: every file is parsed (once)
    results = [overview_child(data_dir) for _ in range(runs)]
    cold = median([r["first"] for r in results])
    warm = median([r["again"] for r in results])
    peak = max(r["peak_mib"] for r in results + [first])
    rows = results[0]["rows"]
    assert rows == cycles, f"overview listed {rows} of {cycles} cycles"
    return [
        Figure(
            f"overview data, {cycles:,} cycles (fresh process)",
            ms(cold),
            "<= 250 ms",
            cold / 0.25,
            cold <= 0.25,
        ),
        Figure(
            f"overview data, {cycles:,} cycles (refresh)",
            ms(warm),
            "<= 250 ms",
            warm / 0.25,
            warm <= 0.25,
        ),
        Figure(
            f"overview data, {cycles:,} cycles, no summary cache yet",
            ms(first["first"]),
            "(once)",
            None,
            None,
        ),
        Figure(
            "overview: peak memory of the process",
            f"{peak:.0f} MB",
            "<= 200 MB",
            peak / 200,
            peak <= 200,
        ),
    ]


# -- Word report ----------------------------------------------------------------------------


def report_available() -> Callable | None:
    try:
        from langkah.report import export_report
    except ImportError:
        return None
    return export_report


def figure_report(scratch: Path, runs: int) -> list[Figure]:
    names = ("Word report, 11-step cycle", "Word report, 200-step SOP with 3 returns")
    budgets = (0.5, 3.0)
    export = report_available()
    if export is None:
        return [
            Figure(n, "n/a (langkah/report missing)", f"<= {b} s", None, None)
            for n, b in zip(names, budgets, strict=True)
        ]
    import random

    from langkah.catalog import Catalog
    from langkah.service import Langkah
    from langkah.store.tinydb_store import TinyDBStore

    data = scratch / "report-data"
    defs = scratch / "report-defs"
    (defs / "sintetis").mkdir(parents=True, exist_ok=True)
    (defs / "sintetis" / "panjang.toml").write_text(synth.synthetic_sop_text(), encoding="utf-8")
    catalog = Catalog.load(defs)
    rng = random.Random(3)
    store = TinyDBStore(data)
    small = synth.Driver(
        catalog.get("dawarblandong"),
        "dawarblandong-2026-t3-report",
        "2026-T3",
        synth.NOW - dt.timedelta(days=20),
    )
    small.run_to_end(rng, returns=1)
    large = synth.Driver(
        catalog.get("sintetis/panjang"),
        "sintetis-2026-t3-report",
        "2026-T3",
        synth.NOW - dt.timedelta(days=200),
    )
    for _ in range(5):
        large.note(rng, "catatan panjang " * 20)
    large.run_to_end(rng, returns=3)
    assert large.state.total_returns == 3, large.state.total_returns
    with synth.no_fsync():
        synth.write_cycle(store, small)
        synth.write_cycle(store, large)
    app = Langkah.open(data, defs, clock=lambda: synth.NOW)
    figures = []
    for name, budget, cycle_id in zip(
        names, budgets, ("dawarblandong-2026-t3-report", "sintetis-2026-t3-report"), strict=True
    ):
        view = app.open_cycle(cycle_id)
        export(view, scratch / f"{cycle_id}-warmup.docx")  # imports, fonts: not per report
        times = []
        for i in range(runs):
            start = time.perf_counter()
            export(app.open_cycle(cycle_id), scratch / f"{cycle_id}-{i}.docx")
            times.append(time.perf_counter() - start)
        value = median(times)
        figures.append(
            Figure(name, f"{value:.2f} s", f"<= {budget} s", value / budget, value <= budget)
        )
    return figures


# -- validate -------------------------------------------------------------------------------


def timed_run(args: list[str], env: dict[str, str]) -> tuple[float, int]:
    start = time.perf_counter()
    proc = subprocess.run(args, env=env, capture_output=True, timeout=120)
    return time.perf_counter() - start, proc.returncode


def figure_validate(scratch: Path, runs: int) -> list[Figure]:
    env = child_env(LANGKAH_DEFS_DIR=str(scratch / "no-user-defs"))
    name = "`langkah validate` (bundled), beyond interpreter start"
    timed_run([sys.executable, "-m", "langkah.cli.main", "validate"], env)  # warm caches
    _, code = timed_run([sys.executable, "-m", "langkah.cli.main", "validate"], env)
    if code != 0:
        return [Figure(name, f"n/a (exit status {code})", "<= 0.30 s", None, None)]
    bare, validate = [], []
    for _ in range(runs):
        bare.append(timed_run([sys.executable, "-c", "pass"], env)[0])
        validate.append(timed_run([sys.executable, "-m", "langkah.cli.main", "validate"], env)[0])
    extra = median(validate) - median(bare)
    return [
        Figure(
            name,
            f"{median(validate):.3f} - {median(bare):.3f} = {extra:.3f} s",
            "<= 0.30 s",
            extra / 0.3,
            extra <= 0.3,
        )
    ]


# -- the table ------------------------------------------------------------------------------


def print_table(figures: list[Figure]) -> None:
    header = ("figure", "measured (median)", "budget", "ratio", "result")
    rows = [header] + [
        (f.name, f.measured, f.budget, f"{f.ratio:.2f}" if f.ratio is not None else "-", f.result)
        for f in figures
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |"
    print(line)
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows[1:]:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer cycles and repeats")
    parser.add_argument("--cycles", type=int, help="size of the largest store (default 5000)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args(argv)
    cycles = args.cycles or (300 if args.quick else 5000)
    sizes = [50, 500, 5000] if cycles == 5000 else sorted({min(50, cycles), cycles})
    runs = 3 if args.quick else 7
    reps = 8 if args.quick else 30

    scratch = Path(tempfile.mkdtemp(prefix="langkah-bench-"))
    started = time.perf_counter()
    figures: list[Figure] = []
    try:
        big = scratch / "store"
        stats = synth.build_store(big, cycles)
        backup = scratch / "backup"
        backup.mkdir()
        for cycle_id in stats["active_ids"][: reps + 1]:
            shutil.copy2(big / "cycles" / f"{cycle_id}.json", backup)
        os.sync()  # data was generated without fsync: flush it now, not during the timings
        print(
            f"data: {stats['cycles']:,} cycles, {stats['events']:,} events in {big} "
            f"(built in {time.perf_counter() - started:.1f} s); "
            f"python {platform.python_version()}, {os.cpu_count()} cpus",
            flush=True,
        )
        steps: list[tuple[str, Callable[[], list[Figure]]]] = [
            ("overview", lambda: figure_overview(big, cycles, runs)),
            ("action", lambda: figure_actions(big, stats, sizes, scratch, reps)),
            ("start-up", lambda: figure_startup(big, cycles, scratch, runs)),
            ("report", lambda: figure_report(scratch, 3 if args.quick else 5)),
            ("validate", lambda: figure_validate(scratch, runs)),
        ]
        for label, step in steps:
            try:
                figures += step()
            except Exception as error:  # a broken figure is reported, the others still run
                figures.append(Figure(label, f"error: {error}"[:80], "-", None, False))
            if label == "action":
                restore_big(big, backup)
    finally:
        if args.keep:
            print(f"kept {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    print()
    print_table(figures)
    print(f"\n(total {time.perf_counter() - started:.0f} s)")
    return 1 if any(f.ok is False for f in figures) else 0


if __name__ == "__main__":
    sys.exit(main())
