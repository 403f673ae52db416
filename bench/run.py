"""Langkah's benchmark: measured figures against their budgets on synthetic data.

    python bench/run.py           # full run: 5,000 cycles (about 75,000 events), 1-2 minutes
    python bench/run.py --quick   # a smaller, faster run (fewer cycles and repeats)
    python bench/run.py --big     # also the embedded-vs-PostgreSQL figures at 50,000 cycles

Builds its own data in a temporary directory from the bundled SOPs, in the real store format
(bench/synth.py), prints one table (figure | measured | budget | ratio | result) and exits 1 when
a figure misses its budget. Figures that need a part not yet present print "n/a".
docs/performance.md explains each figure.
"""

from __future__ import annotations

import argparse
import dataclasses
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

from bench import defs_bench, live_bench, pg_bench, stats_bench, synth, xlsx_bench  # noqa: E402

# The budgets (docs/performance.md): ratios are measured beside their yardstick in the same run.
STARTUP_BUDGET = 1.2  # start-up to the first screen, x a bare Textual app
ACTION_BUDGET = 1.3  # one durable action, x the bare durable write of the same bytes
# the first action on a cycle in a process also reads, validates and replays its log
FIRST_ACTION_BUDGET = 2.0
GROWTH_BUDGET = 1.25  # one action in a 100x bigger store, net of the bare write's own growth
PEER_BUDGET = 0.9  # Langkah per step, x SpiffWorkflow per step (same run, durable after each)
OVERVIEW_BUDGET = 0.25  # seconds
MEMORY_BUDGET = 200  # MB
REPORT_BUDGETS = (0.5, 3.0)  # seconds
VALIDATE_BUDGET = 0.3  # seconds beyond interpreter start
CHAIN_BUDGET = 0.10  # the hash chain's share of one durable action
VERIFY_BUDGET = 2.0  # seconds for `langkah verify` of the whole store (5,000 cycles)


@dataclass
class Figure:
    name: str
    measured: str
    budget: str
    ratio: float | None  # measured / budget (<= 1 passes); None when not applicable
    ok: bool | None  # None: not measured or informative only
    noisy: bool = False  # a ratio close to its budget: a busy machine can tip it either way

    @property
    def result(self) -> str:
        return "n/a" if self.ok is None else ("pass" if self.ok else "FAIL")


def limit_figure(name: str, value: float, budget: float, unit: str = "ms") -> Figure:
    """A figure with an absolute budget; `value` in seconds (or in `unit` when not a time)."""
    if unit == "ms":
        measured, limit = ms(value), f"<= {budget * 1000:.0f} ms"
    elif unit == "s":
        measured, limit = f"{value:.2f} s", f"<= {budget} s"
    else:
        measured, limit = f"{value:.0f} {unit}", f"<= {budget} {unit}"
    return Figure(name, measured, limit, value / budget, value <= budget)


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


def compile_langkah() -> None:
    """Byte-compile Langkah's modules, as installing a wheel does (pip compiles them).

    The bare app's Textual comes with its bytecode from its install; an editable checkout has
    none, and where PYTHONDONTWRITEBYTECODE is set (as on these machines) every start would
    compile Langkah's modules again, a cost no installed Langkah pays."""
    import compileall

    for folder in ("engine", "tui", "langkah"):
        compileall.compile_dir(str(ROOT / folder), quiet=1)


def figure_startup(data_dir: Path, cycles: int, scratch: Path, runs: int) -> list[Figure]:
    name = f"start-up to first screen, {cycles:,} cycles (x bare Textual app)"
    loaded_name = f"start-up until the overview shows {cycles:,} cycles"
    if not tui_present():
        return [Figure(name, "n/a (tui missing)", f"<= {STARTUP_BUDGET:.2f} x", None, None)]
    (scratch / "home").mkdir(exist_ok=True)
    compile_langkah()
    startup_once("bare", data_dir, scratch)  # warm the OS file cache for both
    try:
        startup_once("langkah", data_dir, scratch)
    except RuntimeError as error:
        return [Figure(name, f"n/a ({error})"[:70], f"<= {STARTUP_BUDGET:.2f} x", None, None)]
    bare, app, app_loaded = [], [], []
    for _ in range(runs):  # interleaved, so drift affects both alike
        bare.append(startup_once("bare", data_dir, scratch)[0])
        ready, loaded = startup_once("langkah", data_dir, scratch)
        app.append(ready)
        app_loaded.append(loaded)
    full, b = median(app_loaded), median(bare)
    return [
        ratio_figure(name, app, bare, STARTUP_BUDGET),
        Figure(loaded_name, f"{ms(full)} = {full / b:.2f} x bare", "(information)", None, None),
    ]


# -- one action -----------------------------------------------------------------------------


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def bare_durable_write(directory: Path, data: bytes) -> float:
    """The yardstick: the durable write of `data` alone, as the store does it, in the same
    folder: a new temp file, write, fsync, rename over the previous copy, fsync of the folder."""
    temp = directory / f".bench-baseline.{os.getpid()}.tmp"
    start = time.perf_counter()
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        write_all(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temp, directory / ".bench-baseline")
    dir_fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    return time.perf_counter() - start


def bare_append(directory: Path, data: bytes) -> float:
    """An information yardstick: `data` appended to a file of the same folder and made
    durable (write, fdatasync), as an action appends its record."""
    start = time.perf_counter()
    fd = os.open(directory / ".bench-append", os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        write_all(fd, data)
        os.fdatasync(fd)
    finally:
        os.close(fd)
    return time.perf_counter() - start


def ratio_figure(
    name: str, measured: list[float], yardstick: list[float], budget: float, noisy: bool = True
) -> Figure:
    """A figure measured beside its yardstick in the same run: median over median."""
    value, base = median(measured), median(yardstick)
    ratio = value / base
    return Figure(
        name,
        f"{ms(value)} vs {ms(base)} = {ratio:.2f} x",
        f"<= {budget:.2f} x",
        ratio / budget,
        ratio <= budget,
        noisy,
    )


def figure_actions(big: Path, stats: dict, sizes: list[int], scratch: Path, reps: int) -> list:
    """Actions on the same cycles in stores of each size, interleaved round by round so that
    drift in the machine's load affects every size alike; each right beside the bare durable
    write of the bytes it wrote (same size, same folder)."""
    from langkah.service import Langkah
    from langkah.store.pins import settle

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
        apps[size] = (app, directory / "cycles")
    cold = {size: ([], []) for size in sizes}  # (action, bare) seconds
    warm = {size: ([], []) for size in sizes}
    released: list[float] = []  # the replaced version's release, after the action returned
    appended: list[float] = []  # the bare append of the note's own record (information)

    def settled() -> None:
        # The action lets the version it replaced go on a thread (langkah/store/pins.py):
        # that work is finished, and on disk, before the yardstick is timed, so that it can
        # neither slow the yardstick down nor overlap it.
        start = time.perf_counter()
        settle()
        released.append(time.perf_counter() - start)
        os.sync()

    for cycle_id in active[1:]:
        for size in sizes:
            app, folder = apps[size]
            path = folder / f"{cycle_id}.json"
            # cold: the first action on a cycle in this process (its log is read and replayed)
            start = time.perf_counter()
            app.complete(cycle_id)
            cold[size][0].append(time.perf_counter() - start)
            settled()
            cold[size][1].append(bare_durable_write(folder, path.read_bytes()))
            # the next action on the same cycle (a person at the run screen acting again)
            before = path.stat().st_size
            start = time.perf_counter()
            app.note(cycle_id, "catatan tambahan pada langkah ini")
            warm[size][0].append(time.perf_counter() - start)
            settled()
            raw = path.read_bytes()
            warm[size][1].append(bare_durable_write(folder, raw))
            if size == sizes[-1] and len(raw) > before and raw[before : before + 1] == b"\x1e":
                appended.append(bare_append(folder, raw[before:]))
                os.sync()
    figures = []
    for size in sizes:
        (apps[size][1] / ".bench-baseline").unlink(missing_ok=True)
        (apps[size][1] / ".bench-append").unlink(missing_ok=True)
    largest = sizes[-1]
    figures.append(
        ratio_figure(
            f"one durable action (note, cycle open), {largest:,} cycles (x bare durable write)",
            *warm[largest],
            ACTION_BUDGET,
        )
    )
    figures.append(
        ratio_figure(
            f"one durable action (complete, log read), {largest:,} cycles (x bare durable write)",
            *cold[largest],
            FIRST_ACTION_BUDGET,
        )
    )
    if appended:  # how much of the action is more than its own disk wait
        action = median(warm[largest][0])
        figures.append(
            Figure(
                "  the same note against the bare append of its record (write, fdatasync)",
                f"{ms(action)} vs {ms(median(appended))} = {action / median(appended):.2f} x",
                "(information)",
                None,
                None,
            )
        )
    with_release = (median(warm[largest][0]) + median(released)) / median(warm[largest][1])
    figures.append(
        Figure(
            "  the replaced version let go after the action returned (a thread; median)",
            f"{ms(median(released))}: action and release {with_release:.2f} x",
            "(information)",
            None,
            None,
        )
    )
    figures.append(chain_figure(apps[largest][1], active[1:], warm[largest][0], cold[largest][0]))
    first, last = cold[sizes[0]], cold[largest]
    raw = median(last[0]) / median(first[0])
    yardstick = median(last[1]) / median(first[1])
    growth = raw / yardstick  # what the file system's own growth (a bigger folder) does not explain
    figures.append(
        Figure(
            f"one action: growth {largest:,} / {sizes[0]:,} cycles, net of the bare write's",
            f"{growth:.2f} x (raw {raw:.2f} x, bare write {yardstick:.2f} x)",
            f"<= {GROWTH_BUDGET:.2f} x (noise)",
            growth / GROWTH_BUDGET,
            growth <= GROWTH_BUDGET,
            True,
        )
    )
    return figures


def chain_figure(folder: Path, cycle_ids: list[str], warm: list[float], cold: list[float]):
    """The hash chain's share of one action: an action on an open cycle hashes its new event;
    the first action on a cycle also checks the chain of the whole log it reads. The hashing
    of exactly those events, timed alone, against the median action of each kind."""
    from langkah.engine.events import event_hash
    from langkah.store.appended import read_cycle_document

    logs = [read_cycle_document(folder / f"{c}.json")["events"] for c in cycle_ids]
    events = [e for log in logs for e in log.values()]
    start = time.perf_counter()
    for event in events:
        event_hash(event)
    per_event = (time.perf_counter() - start) / len(events)
    per_log = per_event * len(events) / len(logs)
    warm_share = per_event / median(warm)
    cold_share = (per_log + per_event) / median(cold)
    share = max(warm_share, cold_share)
    return Figure(
        "hash chain's share of one durable action (cycle open / log read)",
        f"{per_event * 1e6:.1f} us an event: {warm_share:.1%} / {cold_share:.1%}",
        f"<= {CHAIN_BUDGET:.0%}",
        share / CHAIN_BUDGET,
        share <= CHAIN_BUDGET,
    )


def figure_verify(big: Path, cycles: int, runs: int) -> list[Figure]:
    """`langkah verify` of every cycle in the store, as a person runs it (a whole process)."""
    env = child_env(LANGKAH_DEFS_DIR=str(big / "no-user-defs"))
    command = [sys.executable, "-m", "langkah.cli.main", "--data-dir", str(big), "verify"]
    name = f"`langkah verify`, {cycles:,} cycles (whole process)"
    timed_run(command, env)  # warm the OS file cache
    times, code = [], 0
    for _ in range(max(runs // 2, 2)):
        seconds, code = timed_run(command, env)
        times.append(seconds)
    if code != 0:
        return [Figure(name, f"n/a (exit status {code})", f"<= {VERIFY_BUDGET:.1f} s", None, None)]
    figure = limit_figure(name, median(times), VERIFY_BUDGET, "s")
    return [figure]


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


def python_yardstick() -> float:
    """Seconds of a fixed piece of pure Python (one million loop steps with an addition)."""
    start = time.perf_counter()
    total = 0
    for step in range(1_000_000):
        total += step
    return time.perf_counter() - start


def figure_machine(folder: Path, runs: int) -> list[Figure]:
    """What kind of machine the ratios were measured on. An action is Python work plus a
    durable write; its ratio to the bare write is 1 + (Python time / write time), so the same
    code gives a higher ratio where the CPU is slower against the disk. This line prints both
    yardsticks and their quotient (the "balance"), so that runs on different machines can be
    told apart from changes in the code."""
    python = median([python_yardstick() for _ in range(runs)])
    folder.mkdir(parents=True, exist_ok=True)
    payload = b"x" * 2048  # about the size of an open cycle's log
    writes = [bare_durable_write(folder, payload) for _ in range(4 * runs)]
    (folder / ".bench-baseline").unlink(missing_ok=True)
    write = median(writes)
    return [
        Figure(
            "machine: Python yardstick (1 M loop steps) / bare durable write (2 KB)",
            f"{ms(python)} / {ms(write)}: balance {python / write:.0f}",
            "(information)",
            None,
            None,
        )
    ]


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
        limit_figure(f"overview data, {cycles:,} cycles (fresh process)", cold, OVERVIEW_BUDGET),
        limit_figure(f"overview data, {cycles:,} cycles (refresh)", warm, OVERVIEW_BUDGET),
        Figure(
            f"overview data, {cycles:,} cycles, no summary cache yet",
            ms(first["first"]),
            "(once)",
            None,
            None,
        ),
        limit_figure("overview: peak memory of the process", peak, MEMORY_BUDGET, "MB"),
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
    budgets = REPORT_BUDGETS
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
        figures.append(limit_figure(name, median(times), budget, "s"))
    return figures


# -- validate -------------------------------------------------------------------------------


def timed_run(args: list[str], env: dict[str, str]) -> tuple[float, int]:
    start = time.perf_counter()
    proc = subprocess.run(args, env=env, capture_output=True, timeout=120)
    return time.perf_counter() - start, proc.returncode


def figure_validate(scratch: Path, runs: int) -> list[Figure]:
    # a data folder that exists, as on a machine where Langkah has run: validate keeps its
    # disposable caches there (definition index, holiday coverage; docs/performance.md)
    (scratch / "validate-data").mkdir(exist_ok=True)
    env = child_env(
        LANGKAH_DEFS_DIR=str(scratch / "no-user-defs"),
        LANGKAH_DATA_DIR=str(scratch / "validate-data"),
    )
    name = "`langkah validate` (bundled), beyond interpreter start"
    timed_run([sys.executable, "-m", "langkah.cli.main", "validate"], env)  # warm caches
    _, code = timed_run([sys.executable, "-m", "langkah.cli.main", "validate"], env)
    if code != 0:
        return [
            Figure(name, f"n/a (exit status {code})", f"<= {VALIDATE_BUDGET:.2f} s", None, None)
        ]
    bare, validate = [], []
    for _ in range(runs):
        bare.append(timed_run([sys.executable, "-c", "pass"], env)[0])
        validate.append(timed_run([sys.executable, "-m", "langkah.cli.main", "validate"], env)[0])
    extra = median(validate) - median(bare)
    figure = limit_figure(name, extra, VALIDATE_BUDGET, "s")
    figure.noisy = True  # two process start-ups, difference within ~30 % of its budget
    figure.measured = f"{median(validate):.3f} - {median(bare):.3f} = {extra:.3f} s"
    return [figure]


# -- the peer: SpiffWorkflow --------------------------------------------------------------


PEER_BPMN = HERE / "dawarblandong.bpmn"
PEER_ANSWERS = (False, True)  # step 9: "tidak" (back to step 7), then "setuju"


def spiff_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("SpiffWorkflow") is not None


def peer_inputs() -> dict[int, dict]:
    """The values entered at each step of the Dawarblandong SOP (the same in both runs)."""
    import random

    from langkah.catalog import Catalog

    definition = Catalog.load(None).get("dawarblandong").definition
    rng = random.Random(11)
    return {step.number: synth.fill(step, rng) for step in definition.steps}


def spiff_run(folder: Path, inputs: dict[int, dict]) -> tuple[float, int]:
    """The Dawarblandong run in SpiffWorkflow: each user task gets the step's values (and at
    step 9 the answer), runs, and the whole workflow is serialised with Spiff's JSON serializer
    and written durably (the store's own atomic write: temp, fsync, rename, folder fsync).
    Returns the seconds from the first task to the end, and the number of tasks."""
    from SpiffWorkflow.bpmn import BpmnWorkflow
    from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnParser
    from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
    from SpiffWorkflow.util.task import TaskState

    from langkah.store.atomic import atomic_write

    parser = BpmnParser()
    parser.add_bpmn_file(str(PEER_BPMN))
    serializer = BpmnWorkflowSerializer()
    workflow = BpmnWorkflow(parser.get_spec("pengukuran_data_kinerja"))
    workflow.do_engine_steps()
    path = folder / "spiff-workflow.json"
    atomic_write(path, serializer.serialize_json(workflow).encode("utf-8"))
    answers = iter(PEER_ANSWERS)
    tasks = 0
    start = time.perf_counter()
    while not workflow.is_completed():
        task = workflow.get_tasks(state=TaskState.READY, manual=True)[0]
        number = int(task.task_spec.name.split("_")[1])
        task.data.update(inputs[number])
        if number == 9:
            task.data["setuju"] = next(answers)
        task.run()
        workflow.do_engine_steps()
        atomic_write(path, serializer.serialize_json(workflow).encode("utf-8"))
        tasks += 1
    return time.perf_counter() - start, tasks


def langkah_run(app, inputs: dict[int, dict]) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    """The same run through Langkah's service: at each step the values are recorded and the
    step completed (at step 9 answered: "tidak", then "setuju") in one durable action."""
    from langkah.engine.cycle import CycleStatus

    view = app.start("dawarblandong", "2026-T3")
    cycle_id = view.state.cycle_id
    answers = iter(PEER_ANSWERS)
    steps = 0
    start = time.perf_counter()
    while view.state.status == CycleStatus.ACTIVE:
        step = view.current_step
        if step.decision:
            yes = next(answers)
            reason = None if yes else "rekapitulasi belum lengkap"
            view = app.submit(cycle_id, inputs[step.number], yes, reason)
        else:
            view = app.submit(cycle_id, inputs[step.number])
        steps += 1
    return time.perf_counter() - start, steps


def figure_peer(scratch: Path, runs: int) -> list[Figure]:
    name = "Dawarblandong run, per step: Langkah (x SpiffWorkflow, durable after each task)"
    budget = f"<= {PEER_BUDGET:.2f} x"
    if not spiff_available():
        return [Figure(name, "n/a (spiffworkflow not installed)", budget, None, None)]
    from langkah.service import Langkah

    inputs = peer_inputs()
    folder = scratch / "peer"
    folder.mkdir()
    app = Langkah.open(folder / "langkah", folder / "no-user-defs", clock=lambda: synth.NOW)
    spiff_run(folder, inputs)  # warm both (imports, parsed definitions)
    langkah_run(app, inputs)
    spiff, ours = [], []
    for _ in range(runs):  # interleaved, so drift affects both alike
        seconds, tasks = spiff_run(folder, inputs)
        spiff.append(seconds / tasks)
        seconds, steps = langkah_run(app, inputs)
        ours.append(seconds / steps)
        assert steps == tasks == 14, (steps, tasks)
    return [ratio_figure(name, ours, spiff, PEER_BUDGET)]


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
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument(
        "--big",
        type=int,
        nargs="?",
        const=50000,
        metavar="N",
        help="only the big-store overview and stats figures (issues 15, 16), on N cycles "
        "(default 50,000)",
    )
    parser.add_argument("--big-store", type=Path, help="with --big: a store built before (kept)")
    args = parser.parse_args(argv)
    if args.big is not None:
        return big_main(args)
    cycles = args.cycles or (300 if args.quick else 5000)
    sizes = [50, 500, 5000] if cycles == 5000 else sorted({min(50, cycles), cycles})
    runs = 3 if args.quick else 7
    reps = 8 if args.quick else 30
    count = 20 if args.quick else 200  # notes per writer in the side-by-side figures

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
            ("machine", lambda: figure_machine(big / "cycles", runs)),
            ("overview", lambda: figure_overview(big, cycles, runs)),
            ("action", lambda: figure_actions(big, stats, sizes, scratch, reps)),
            ("peer", lambda: figure_peer(scratch, runs)),
            ("start-up", lambda: figure_startup(big, cycles, scratch, runs)),
            ("report", lambda: figure_report(scratch, 3 if args.quick else 5)),
            ("validate", lambda: figure_validate(scratch, runs)),
            ("verify", lambda: figure_verify(big, cycles, runs)),
            ("xlsx", lambda: xlsx_bench.figure_xlsx(big, cycles, 1 if args.quick else 3)),
            ("definitions", lambda: defs_bench.figures(scratch, runs)),
            ("stats", lambda: stats_bench.figure_stats(big, cycles, 1 if args.quick else 3)),
            ("postgresql", lambda: pg_bench.figure_pg_actions(20 if args.quick else 200)),
            ("live", lambda: live_bench.figure_live(20 if args.quick else 50)),
            (
                "side by side",
                lambda: pg_bench.side_by_side(
                    big, stats["active_ids"], scratch, 1 if args.quick else 3, count
                ),
            ),
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
    if args.json:
        rows = [{**dataclasses.asdict(f), "result": f.result} for f in figures]
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return exit_status(figures)


def big_main(args: argparse.Namespace) -> int:
    """`--big`: the overview of a big store (bench/paging_bench.py) and `langkah stats` over it
    (bench/stats_bench.py), their own table."""
    from bench import paging_bench

    scratch = Path(tempfile.mkdtemp(prefix="langkah-bench-big-"))
    started = time.perf_counter()
    figures: list[Figure] = []
    try:
        store = args.big_store or scratch / "store"
        if args.big_store is None or not (store / "cycles").is_dir():
            stats = synth.build_store(store, args.big)
            os.sync()
            print(
                f"data: {stats['cycles']:,} cycles built in {time.perf_counter() - started:.0f} s"
            )
        compile_langkah()
        cycles = sum(1 for name in os.listdir(store / "cycles") if name.endswith(".json"))
        for row in paging_bench.figures(store, cycles, scratch, 3 if args.quick else 5):
            if len(row) == 2:
                figures.append(Figure(row[0], row[1], "(info)", None, None))
            else:
                name, value, budget, unit = row
                figures.append(limit_figure(name, value, budget, "ms" if unit == "s" else unit))
        try:  # stats, cold and warm (issue 16: <= 2 s warm at 50,000 cycles)
            figures += stats_bench.figure_stats(store, cycles, 1 if args.quick else 3)
        except Exception as error:  # reported, like the other figures of the table
            figures.append(Figure("stats", f"error: {error}"[:80], "-", None, False))
        # the same size on both backends, side by side (a store of its own: actions add notes)
        figures += side_by_side_big(scratch, 20 if args.quick else 200, args.big)
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)
    print()
    print_table(figures)
    if args.json:
        rows = [{**dataclasses.asdict(f), "result": f.result} for f in figures]
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return exit_status(figures)


def side_by_side_big(scratch: Path, count: int, cycles: int = 50_000) -> list[Figure]:
    """The side-by-side figures at `cycles` cycles (`--big`), on a store built for them."""
    folder = scratch / f"store-{cycles}"
    started = time.perf_counter()
    stats = synth.build_store(folder, cycles)
    print(f"data: {cycles:,} cycles built in {time.perf_counter() - started:.0f} s", flush=True)
    try:
        return pg_bench.side_by_side(folder, stats["active_ids"], scratch, 3, count)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def exit_status(figures: list[Figure]) -> int:
    """1 when any figure misses its budget (or could not be measured), else 0."""
    return 1 if any(f.ok is False for f in figures) else 0


if __name__ == "__main__":
    sys.exit(main())
