"""Tim SAKIP's figures: `langkah stats` over the benchmark store (issue 16 part 4, measured).

Called from bench/run.py (`figure_stats`); also runnable alone on a store that exists:
    python bench/stats_bench.py DATA_DIR [RUNS] [--pg URL]
(`--pg URL`: a PostgreSQL database that already holds the same cycles, e.g. made by
`langkah migrate`; without it a fresh database is made on the bench server and dropped.)
Times the whole command as a user runs it (a fresh process), median of `runs`, cold (no kept
facts: every log read, verified, replayed and every visit timed) and warm (the facts of each
log kept by its head in facts-cache.json: only running visits timed at `now`); checks that every
cycle was counted, and splits one uncached in-process run into its phases (read + verify +
replay through the service; timing of the visits; aggregation) so a miss says where it goes.

Then the same store on PostgreSQL, side by side (bench/pg_bench.py's server): the folder copied
with `langkah migrate` into a database of its own, `langkah --store URL stats --json` cold (the
facts rows made) and warm (figures computed in SQL; langkah/stats_in_sql.py), its JSON checked
equal to the embedded store's; budget 0.5 s at 50,000 cycles.
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
PG_STATS_BUDGET = 0.5  # seconds for 50,000 cycles on PostgreSQL, computed in SQL (issue 16)
BUDGET_CYCLES = 50_000
NOW = "2026-11-20T03:00:00+00:00"  # bench/synth.py's NOW
FACTS_CACHE = "facts-cache.json"  # langkah.service.FACTS_CACHE (not imported: a child measures)


def _env(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ, LANGKAH_DATA_DIR=str(data_dir), LANGKAH_NOW=NOW)
    # As a user runs it: an installed Langkah has its modules compiled (pip compiles them);
    # with PYTHONDONTWRITEBYTECODE set (as in some shells) and no __pycache__ yet, every run
    # would compile all of them again (~0.3 s), which no user pays
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["LANGKAH_DEFS_DIR"] = "/nonexistent-langkah-defs"
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def run_json(data_dir: Path, store: str | None = None) -> tuple[float, str]:
    """(seconds, JSON printed) of one `langkah stats --json` in a fresh process, on the
    embedded store in `data_dir`, or on PostgreSQL (`store`, a URL; `data_dir` then only holds
    what the data folder holds besides the store)."""
    where = ["--store", store] if store else []
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "langkah.main", *where, "stats", "--json"],
        env=_env(data_dir),
        capture_output=True,
        text=True,
        timeout=3600,
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError((proc.stderr.strip().splitlines() or ["stats failed"])[-1])
    return elapsed, proc.stdout


def run_once(data_dir: Path, cold: bool = False) -> tuple[float, int]:
    """(seconds, cycles counted) of one `langkah stats --json` in a fresh process; `cold`: the
    kept facts (facts-cache.json) removed first, so every log is read and replayed."""
    if cold:
        (data_dir / FACTS_CACHE).unlink(missing_ok=True)
    elapsed, out = run_json(data_dir)
    return elapsed, int(json.loads(out)["cycles"])


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


def _forget_pg_facts(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True, connect_timeout=5) as conn:
        conn.execute("DELETE FROM stats_cycles")  # the visits and decisions go with them


def measure_pg(
    data_dir: Path, url: str, runs: int, cold: bool = True
) -> tuple[float | None, float, bool]:
    """(cold seconds or None, median warm seconds, JSON equal to the embedded store's) of
    `langkah --store URL stats --json`; `cold`: the kept rows deleted first (one run)."""
    import tempfile

    expected = run_json(data_dir)[1]
    scratch = Path(tempfile.mkdtemp(prefix="langkah-stats-pg-"))
    try:
        first = None
        if cold:
            _forget_pg_facts(url)
            first = run_json(scratch, url)[0]
        warm = [run_json(scratch, url) for _ in range(runs)]
    finally:
        import shutil

        shutil.rmtree(scratch, ignore_errors=True)
    return first, statistics.median(t for t, _ in warm), all(out == expected for _, out in warm)


def pg_figures(data_dir: Path, cycles: int, runs: int, embedded_warm: float) -> list:
    """The PostgreSQL figures beside the embedded ones: the folder migrated into a fresh
    database of the bench server (dropped after), then cold and warm `stats --json`."""
    import secrets

    from bench import pg_bench
    from bench.run import Figure

    admin = pg_bench.admin_url()
    why = pg_bench.unavailable(admin)
    if why is not None:
        return [Figure(f"PG: stats, {cycles:,} cycles", f"n/a ({why})", "-", None, None)]
    name = f"langkah_stats_{secrets.token_hex(4)}"
    url = admin.rsplit("/", 1)[0] + "/" + name
    pg_bench._execute(admin, f"CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0")
    try:
        migrate = subprocess.run(
            [sys.executable, "-m", "langkah.main", "migrate", "--to", url],
            env=_env(data_dir),
            capture_output=True,
            text=True,
            timeout=7200,
        )
        if migrate.returncode != 0:
            raise RuntimeError((migrate.stderr.strip().splitlines() or ["migrate failed"])[-1])
        cold, warm, same = measure_pg(data_dir, url, runs)
    finally:
        pg_bench._execute(admin, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    return pg_rows(cycles, cold, warm, same, embedded_warm)


def pg_rows(
    cycles: int, cold: float | None, warm: float, same: bool, embedded_warm: float
) -> list:  # list[run.Figure]
    from bench.run import Figure, limit_figure

    name = f"PG: stats, {cycles:,} cycles (computed in SQL)"
    rows = []
    if cold is not None:
        made = f"{name}, cold (facts rows made)"
        rows.append(Figure(made, f"{cold:.2f} s", "(info)", None, None))
    side = f"{name}, warm ({warm / embedded_warm:.2f} x embedded's {embedded_warm:.2f} s)"
    if cycles < BUDGET_CYCLES:
        rows.append(Figure(side, f"{warm:.2f} s", f"(budget at {BUDGET_CYCLES:,})", None, None))
    else:
        rows.append(limit_figure(side, warm, PG_STATS_BUDGET, "s"))
    same_text = "same JSON as embedded" if same else "JSON DIFFERS from embedded"
    rows.append(Figure("  PG stats --json equals the embedded store's", same_text, "-",
                       None, None if same else False))  # fmt: skip
    return rows


def figure_stats(data_dir: Path, cycles: int, runs: int, pg: bool = True) -> list:
    from bench.run import Figure, limit_figure

    cold, warm, split = measure(data_dir, cycles, runs)
    name = f"stats, {cycles:,} cycles (langkah stats --json)"
    parts = ", ".join(f"{k} {v:.2f} s" for k, v in split.items())
    detail = Figure(f"  stats phases, in process, no cache: {parts}", "-", "-", None, None)
    first = Figure(f"{name}, cold (every log replayed)", f"{cold:.2f} s", "(info)", None, None)
    on_pg = pg_figures(data_dir, cycles, runs, warm) if pg else []
    if cycles < BUDGET_CYCLES:  # start-up is much of a warm run: no linear scaling
        budget = f"(budget at {BUDGET_CYCLES:,}: run.py --big)"
        return [first, Figure(f"{name}, warm (facts kept)", f"{warm:.2f} s", budget, None, None),
                detail, *on_pg]  # fmt: skip
    warm_row = limit_figure(f"{name}, warm (facts kept)", warm, STATS_BUDGET, "s")
    return [first, warm_row, detail, *on_pg]


def _load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


if __name__ == "__main__":
    args = sys.argv[1:]
    pg_url = None
    if "--pg" in args:
        at = args.index("--pg")
        pg_url = args[at + 1]
        del args[at : at + 2]
    folder = Path(args[0])
    runs = int(args[1]) if len(args) > 1 else 1
    count = len(list((folder / "cycles").glob("*.json")))
    sys.path.insert(0, str(ROOT))
    print(f"before: {_load()}")
    cold, warm, split = measure(folder, count, runs)
    print(f"langkah stats --json over {count:,} cycles: cold {cold:.2f} s, warm {warm:.2f} s "
          f"(medians of {runs}); {_load()}")  # fmt: skip
    print("phases in process: " + ", ".join(f"{k} {v:.2f} s" for k, v in split.items()))
    verdict = "met" if warm <= STATS_BUDGET else "MISSED"
    print(f"budget: {STATS_BUDGET} s at {BUDGET_CYCLES:,} cycles: {verdict} "
          f"(ratio {warm / STATS_BUDGET:.2f})")  # fmt: skip
    failed = count >= BUDGET_CYCLES and warm > STATS_BUDGET
    if pg_url is not None:
        _, pg_warm, same = measure_pg(folder, pg_url, runs, cold=False)
        print(f"PostgreSQL (computed in SQL): warm {pg_warm:.2f} s (median of {runs}; "
              f"{pg_warm / warm:.2f} x embedded), JSON {'equal' if same else 'DIFFERS'}; "
              f"{_load()}")  # fmt: skip
        print(f"budget: {PG_STATS_BUDGET} s at {BUDGET_CYCLES:,} cycles: "
              f"{'met' if pg_warm <= PG_STATS_BUDGET else 'MISSED'} "
              f"(ratio {pg_warm / PG_STATS_BUDGET:.2f})")  # fmt: skip
        failed = failed or not same or (count >= BUDGET_CYCLES and pg_warm > PG_STATS_BUDGET)
    sys.exit(1 if failed else 0)
