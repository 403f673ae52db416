"""The PostgreSQL action figure: one durable action with 8 concurrent writers on distinct cycles.

Called from bench/run.py (`figure_pg_actions`); also runnable alone:
    python bench/pg_bench.py [ADMIN_URL]
The server is LANGKAH_BENCH_PG (an admin URL), else LANGKAH_TEST_PG, else the project machines'
postgresql://postgres@127.0.0.1:5432/postgres; without one (or without psycopg) the figure is
"n/a". A database `langkah_bench_<random>` is created and dropped. 8 writer processes (8 clerks)
each add notes to their own cycle through the service, as `langkah note` does, each note
durable (committed) before the next; the figure is the median time of one note over all
writers, after a warm-up. Afterwards every cycle must hold exactly the notes acknowledged
(0 lost) and no writer may have met a conflict (0 spurious conflicts: the cycles are distinct).
CPU per action is reported for the writers (client), the server's processes (all of them, other
databases' work included) and the writers' own server processes alone (`backends_cpu`: what a
shared server's other load does not blur; each writer keeps its connections open until it is read).

    python -m bench.pg_bench writer URL DATA_DIR CYCLE COUNT   (one writer; used by the figure;
                                                               URL "-": the folder store)

`side_by_side` gives bench/run.py the figures of one store size on both backends (migrate,
the PostgreSQL overview page (first and filtered), `status --json`, one action with 1 and with
8 writers); docs/performance.md lists them.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PG_ACTION_BUDGET = 0.005  # seconds: median of one durable action, 8 writers on 8 cycles
WRITERS = 8
NOW = dt.datetime(2026, 11, 20, 3, 0, tzinfo=dt.UTC)
NAME = f"PG: one durable action, {WRITERS} writers on distinct cycles"


def admin_url() -> str:
    return (
        os.environ.get("LANGKAH_BENCH_PG")
        or os.environ.get("LANGKAH_TEST_PG")
        or "postgresql://postgres@127.0.0.1:5432/postgres"
    ).strip()


def _execute(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True, connect_timeout=3) as conn:
        conn.execute(statement)  # type: ignore[arg-type]  # bench-made SQL


def writer(url: str, data_dir: str, cycle: str, count: int) -> None:
    """Notes on one cycle; prints the seconds of each as one JSON line at the end. `url` "-":
    the embedded store in `data_dir`."""
    from langkah.service import Langkah
    from langkah.store import ConflictError

    store = None if url == "-" else url
    app = Langkah.open(data_dir, "/nonexistent-langkah-defs", clock=lambda: NOW, store=store)
    app.open_cycle(cycle)  # connections and definitions ready before the clock starts
    print("ready", flush=True)
    sys.stdin.readline()  # all writers start together
    times: list[float] = []
    conflicts = 0
    cpu = time.process_time()
    for i in range(count):
        start = time.perf_counter()
        try:
            app.note(cycle, f"bench {i}")
        except ConflictError:
            conflicts += 1
            continue
        times.append(time.perf_counter() - start)
    cpu = time.process_time() - cpu
    print(json.dumps({"times": times, "conflicts": conflicts, "cpu": cpu}), flush=True)
    sys.stdin.readline()  # connections kept open until the server's CPU is read


def _process_cpu(entry: str) -> int:
    """Clock ticks of CPU used so far by process `entry` (utime, stime, and its ended
    children's cutime, cstime); OSError if it is gone."""
    with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stat:
        text = stat.read()
    return sum(int(field) for field in text.rpartition(") ")[2].split()[11:15])


def server_cpu() -> float | None:
    """Seconds of CPU used so far by the PostgreSQL server's processes on this machine (every
    database's: other work on the server counts too), those ended included (the postmaster
    collects their time as its children's), or None where /proc cannot tell."""
    total = 0
    try:
        tick = os.sysconf("SC_CLK_TCK")
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stat:
                    text = stat.read()
            except OSError:
                continue
            name, _, rest = text.partition(" (")[2].partition(") ")
            if name in ("postgres", "postmaster"):
                fields = rest.split()
                # utime, stime, and cutime, cstime: its ended children's
                total += sum(int(field) for field in fields[11:15])
    except (OSError, ValueError):
        return None
    return total / tick


def backends_cpu(url: str) -> dict[int, int]:
    """CPU ticks used so far by each server process serving database `url` (the writers'
    connections: the other databases' work on a shared server is not in it); {} where
    /proc cannot tell (a server on another machine)."""
    import psycopg

    with psycopg.connect(url, autocommit=True, connect_timeout=3) as conn:
        pids = conn.execute(
            "SELECT pid FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    found = {}
    for (pid,) in pids:
        try:
            found[int(pid)] = _process_cpu(str(pid))
        except (OSError, ValueError):
            continue
    return found


def measure(admin: str, count: int) -> dict[str, Any]:
    """Run the writers on a fresh database; their timings, conflicts and lost notes."""
    from langkah.service import Langkah

    name = f"langkah_bench_{secrets.token_hex(4)}"
    _execute(admin, f"CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0")
    url = admin.rsplit("/", 1)[0] + "/" + name
    data_dir = tempfile.mkdtemp(prefix="langkah-pg-bench-")
    try:
        app = Langkah.open(data_dir, "/nonexistent-langkah-defs", clock=lambda: NOW, store=url)
        sops = ["kalipare", "dawarblandong", "mentebah"]
        cycles = [app.start(sops[i % 3], "2026-T3").state.cycle_id for i in range(WRITERS)]
        getattr(app.store, "close", lambda: None)()
        return run_writers(url, data_dir, cycles, count)
    finally:
        _execute(admin, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        shutil.rmtree(data_dir, ignore_errors=True)


def _bench_note(event: Any) -> bool:
    return event.type == "note_added" and str(event.data.get("text", "")).startswith("bench ")


def run_writers(url: str, data_dir: str, cycles: list[str], count: int) -> dict[str, Any]:
    """One writer process per cycle (`url` "-": the embedded store in `data_dir`), all
    started together; the median and p90 of one note after each writer's first 5, and the
    notes lost, doubled or met with a conflict."""
    from langkah.service import Langkah

    store = None if url == "-" else url
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "bench.pg_bench", "writer", url, data_dir, c, str(count)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for c in cycles
    ]
    for proc in procs:
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        if line != "ready":
            raise RuntimeError(f"a writer did not start: {proc.stderr.read()[-300:]}")
    server_before = server_cpu()
    backends_before = backends_cpu(url) if url != "-" else {}
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    results = []
    for proc in procs:
        assert proc.stdout is not None
        line = proc.stdout.readline()  # the writer waits with its connections open
        if not line.strip():
            _, err = proc.communicate(timeout=600)
            raise RuntimeError(f"a writer failed: {err.strip()[-300:]}")
        results.append(json.loads(line))
    server_after = server_cpu()
    # a connection opened while the writers ran counts whole; one that ended is missed
    backends_after = backends_cpu(url) if url != "-" else {}
    for proc in procs:
        _, err = proc.communicate("done\n", timeout=600)
        if proc.returncode != 0:
            raise RuntimeError(f"a writer failed: {err.strip()[-300:]}")
    backends = sum(t - backends_before.get(p, 0) for p, t in backends_after.items())
    check = Langkah.open(data_dir, "/nonexistent-langkah-defs", clock=lambda: NOW, store=store)
    acked = [len(r["times"]) for r in results]
    stored = [sum(1 for e in check.events(c) if _bench_note(e)) for c in cycles]
    warm = [t for r in results for t in r["times"][5:]]  # each writer's first 5: warm-up
    getattr(check.store, "close", lambda: None)()
    return {
        "median": statistics.median(warm),
        "p90": statistics.quantiles(warm, n=10)[-1],
        "lost": sum(max(a - s, 0) for a, s in zip(acked, stored, strict=True)),
        "extra": sum(max(s - a, 0) for a, s in zip(acked, stored, strict=True)),
        "conflicts": sum(r["conflicts"] for r in results),
        "actions": sum(acked),
        # CPU per action: the writers' own (the service and the store's client side), and
        # the server's processes' (all of them, while the writers ran)
        "client_cpu": sum(r["cpu"] for r in results) / max(sum(acked), 1),
        "server_cpu": None
        if server_before is None or server_after is None
        else (server_after - server_before) / max(sum(acked), 1),
        # the writers' own server processes only (not walwriter, checkpointer, other databases)
        "backends_cpu": None
        if not backends_after
        else backends / os.sysconf("SC_CLK_TCK") / max(sum(acked), 1),
    }


def cpu_text(result: dict[str, Any]) -> str:
    """CPU per action, client (the writers) and server, as a figure's detail."""
    server = result.get("server_cpu")
    shown = "?" if server is None else f"{server * 1000:.2f}"
    backends = result.get("backends_cpu")
    own = "" if backends is None else f" (its backends {backends * 1000:.2f} ms)"
    return f"CPU/action client {result['client_cpu'] * 1000:.2f} ms, server {shown} ms{own}"


def unavailable(admin: str) -> str | None:
    try:
        import psycopg
    except ImportError:
        return "psycopg not installed"
    try:
        psycopg.connect(admin, connect_timeout=3).close()
    except psycopg.Error:
        return "no PostgreSQL server"
    return None


def figure_pg_actions(count: int) -> list[Any]:
    """The figure for bench/run.py (its Figure class), or n/a without a server."""
    from bench.run import Figure

    budget = f"<= {PG_ACTION_BUDGET * 1000:.0f} ms"
    admin = admin_url()
    why = unavailable(admin)
    if why is not None:
        return [Figure(NAME, f"n/a ({why})", budget, None, None)]
    result = measure(admin, count)
    median = result["median"]
    sound = result["lost"] == 0 and result["extra"] == 0 and result["conflicts"] == 0
    measured = (
        f"{median * 1000:.2f} ms (p90 {result['p90'] * 1000:.1f} ms; {result['actions']} "
        f"actions, {result['lost']} lost, {result['conflicts']} conflicts; {cpu_text(result)})"
    )
    ok = median <= PG_ACTION_BUDGET and sound
    # a timing on a server other programs share: noisy (a lost or doubled note never is)
    return [Figure(NAME, measured, budget, median / PG_ACTION_BUDGET, ok, noisy=sound)]


# -- side by side: the embedded store and PostgreSQL on the same synthetic cycles --------------

PG_PAGE_BUDGET = 0.050  # seconds: one page of the overview on PostgreSQL
MIGRATE_BUDGET = 180.0  # seconds for `langkah migrate` of 50,000 cycles (scaled for fewer)
MIGRATE_CYCLES = 50_000


def _timed_cli(args: list[str], data_dir: Path) -> float:
    """Seconds of one `langkah ARGS` process (its output discarded); RuntimeError if it fails."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), LANGKAH_DATA_DIR=str(data_dir))
    env["LANGKAH_NOW"] = NOW.isoformat()
    env.pop("LANGKAH_STORE", None)
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "langkah.main", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        timeout=1800,
    )
    took = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"langkah {args[0]}: {proc.stderr.strip()[-200:]}")
    return took


def side_by_side(
    folder: Path, active: list[str], scratch: Path, runs: int, count: int
) -> list[Any]:
    """The figures of one store size on both backends: `status --json` (whole process),
    one action with one writer and with 8 writers on distinct cycles, and (PostgreSQL)
    `langkah migrate` of the folder into a fresh database. `folder` is copied first (the
    actions add notes); `active` names running cycles (9 are used)."""
    from bench.run import Figure

    cycles = sum(1 for _ in (folder / "cycles").glob("*.json"))
    size = f"{cycles:,}"
    work = scratch / f"side-{cycles}"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(folder, work)
    os.sync()
    admin = admin_url()
    why = unavailable(admin)
    figures: list[Any] = []
    name = f"langkah_bench_{secrets.token_hex(4)}"
    url = admin.rsplit("/", 1)[0] + "/" + name
    try:
        if why is None:
            _execute(admin, f"CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0")
            took = _timed_cli(["--data-dir", str(work), "migrate", "--to", url], work)
            budget = MIGRATE_BUDGET * cycles / MIGRATE_CYCLES
            scaled = "" if cycles == MIGRATE_CYCLES else " (3 min at 50,000, scaled)"
            figures.append(
                Figure(
                    f"`langkah migrate` folder -> PG, {size} cycles",
                    f"{took:.1f} s ({cycles / took:,.0f} cycles/s)",
                    f"<= {budget:.0f} s{scaled}",
                    took / budget,
                    took <= budget,
                    noisy=True,
                )
            )
            figures += page_figures(url, size, runs * 3)
            figures.append(live_figure(admin, url, active[-1], size, count // 4))  # not a writer's
        stores = [("embedded", "-")] + ([("PG", url)] if why is None else [])
        status: dict[str, float] = {}
        for label, store in stores:
            where = ["--data-dir", str(work)] if store == "-" else ["--store", store]
            status[label] = statistics.median(
                _timed_cli([*where, "status", "--json"], work) for _ in range(runs)
            )
        for label, seconds in status.items():
            versus = f" ({seconds / status['embedded']:.2f} x embedded)" if label == "PG" else ""
            figures.append(
                Figure(
                    f"{label}: `status --json`, {size} cycles (whole process)",
                    f"{seconds:.2f} s{versus}",
                    "(information)",
                    None,
                    None,
                )
            )
        for label, store in stores:
            one = run_writers(store, str(work), active[:1], count)
            many = run_writers(store, str(work), active[1 : 1 + WRITERS], count)
            sound = all(r["lost"] == r["extra"] == r["conflicts"] == 0 for r in (one, many))
            figures.append(
                Figure(
                    f"{label}: one durable action, 1 writer, {size} cycles",
                    f"{one['median'] * 1000:.2f} ms (p90 {one['p90'] * 1000:.1f} ms)",
                    "(information)",
                    None,
                    None if sound else False,
                )
            )
            detail = (
                f"{many['median'] * 1000:.2f} ms (p90 {many['p90'] * 1000:.1f} ms; "
                f"{many['actions']} actions, {many['lost']} lost, {many['conflicts']} conflicts"
                f"; {cpu_text(many)})"
            )
            if label == "PG":
                ok = many["median"] <= PG_ACTION_BUDGET and sound
                figures.append(
                    Figure(
                        f"PG: one durable action, {WRITERS} writers, {size} cycles",
                        detail,
                        f"<= {PG_ACTION_BUDGET * 1000:.0f} ms",
                        many["median"] / PG_ACTION_BUDGET,
                        ok,
                        noisy=sound,
                    )
                )
            else:
                figures.append(
                    Figure(
                        f"{label}: one durable action, {WRITERS} writers, {size} cycles",
                        detail,
                        "(information)",
                        None,
                        None if sound else False,
                    )
                )
        if why is not None:
            figures += [
                Figure(f"PG: {what}, {size} cycles", f"n/a ({why})", budget, None, None)
                for what, budget in (
                    ("`langkah migrate` folder -> PG", "<= 3 min at 50,000"),
                    ("`status --json`", "(information)"),
                    ("overview first page", "<= 50 ms"),
                    ("overview filtered page", "<= 50 ms"),
                    (f"one durable action, {WRITERS} writers", "<= 5 ms"),
                )
            ]
    finally:
        if why is None:
            _execute(admin, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        shutil.rmtree(work, ignore_errors=True)
    return figures


def live_figure(admin: str, url: str, cycle: str, size: str, count: int) -> Any:
    """bench/live_bench.py's figure on this store's database: another clerk's notes on one
    of its running cycles, heard and their overview row read by a listener."""
    from bench import live_bench
    from bench.run import Figure

    result = live_bench.measure(admin, max(count, 20), url, cycle)
    p95 = result["p95"]
    return Figure(
        f"PG: a clerk's action in another TUI's overview rows (p95), {size} cycles",
        f"{p95 * 1000:.1f} ms (median {result['median'] * 1000:.1f} ms; {result['actions']} "
        f"actions, {result['missed']} missed)",
        f"<= {live_bench.LIVE_BUDGET * 1000:.0f} ms",
        p95 / live_bench.LIVE_BUDGET,
        p95 <= live_bench.LIVE_BUDGET and result["missed"] == 0,
    )


def page_figures(url: str, size: str, runs: int) -> list[Any]:
    """The overview's page on PostgreSQL as the TUI asks for it (`query_summaries`, 50 rows,
    most urgent first): the first page, and a filtered one (one kecamatan's open cycles). Each
    figure is the median of `runs` reads by one store object after its first read, which is
    shown beside it (the first read of a process also looks for rows without their last
    event: the whole events table)."""
    from bench.run import Figure
    from langkah.store.base import SummaryQuery
    from langkah.store.postgres_store import PostgresStore

    store = PostgresStore(url)
    figures = []
    try:
        started = time.perf_counter()
        page = store.query_summaries(SummaryQuery(now=NOW, limit=50))
        cold = time.perf_counter() - started
        unit = page.kecamatan[0] if page.kecamatan else ""
        for what, query in (
            ("first page", SummaryQuery(now=NOW, limit=50)),
            (
                f"filtered page ({unit}, open)",
                SummaryQuery(NOW, unit=unit, status="open", limit=50),
            ),
        ):
            times = []
            for _ in range(runs):
                started = time.perf_counter()
                page = store.query_summaries(query)
                times.append(time.perf_counter() - started)
            warm = statistics.median(times)
            first = f"; a process's first read {cold * 1000:.0f} ms" if what == "first page" else ""
            figures.append(
                Figure(
                    f"PG: overview {what}, {size} cycles",
                    f"{warm * 1000:.1f} ms ({len(page.summaries)} of {page.total:,} rows{first})",
                    f"<= {PG_PAGE_BUDGET * 1000:.0f} ms",
                    warm / PG_PAGE_BUDGET,
                    warm <= PG_PAGE_BUDGET,
                    noisy=True,
                )
            )
    finally:
        store.close()
    return figures


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "writer":
        sys.path.insert(0, str(ROOT))
        writer(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
    else:
        sys.path.insert(0, str(ROOT))
        if len(sys.argv) > 1:
            os.environ["LANGKAH_BENCH_PG"] = sys.argv[1]
        why = unavailable(admin_url())
        if why:
            print(f"{NAME}: n/a ({why})")
            sys.exit(0)
        print(json.dumps(measure(admin_url(), 60), indent=1))
