"""Definition figures (issue 14 part 5): a long definition, and many user definitions.

Called from bench/run.py (`figures`); also runnable alone:
    python bench/defs_bench.py
- `langkah validate` of a synthetic 2,000-step definition, the whole process (budget 1 s);
- commands with 200 user definitions present (20 steps each, changed an hour ago), beyond
  interpreter start (`python -c pass`), after a first command has built the definition index
  (budget 0.3 s each): `sops`, `validate`, `status`, `show-sop` of one of them.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

LONG_STEPS = 2000
LONG_BUDGET = 1.0  # seconds: validate a 2,000-step definition (whole process)
USER_DEFINITIONS = 200
MANY_BUDGET = 0.3  # seconds beyond interpreter start, any command with 200 user definitions
NOW = "2026-11-20T03:00:00+00:00"  # bench/synth.py's NOW
COMMANDS = (("sops",), ("validate",), ("status",), ("show-sop", "unit-007/sop"))


def long_definition_text(steps: int = LONG_STEPS) -> str:
    from bench.synth import synthetic_sop_text

    return synthetic_sop_text(steps, decisions=tuple(range(50, steps, 50)))


def write_user_definitions(root: Path, count: int = USER_DEFINITIONS) -> None:
    """`count` valid definitions, one folder each, last changed an hour ago."""
    from bench.synth import synthetic_sop_text

    base = synthetic_sop_text(20, decisions=(10,))
    an_hour_ago = time.time() - 3600
    for i in range(count):
        path = root / f"unit-{i:03d}" / "sop.toml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(base.replace("Sintetis", f"Sintetis {i:03d}"), encoding="utf-8")
        os.utime(path, (an_hour_ago, an_hour_ago))


def _env(data: Path, defs: Path) -> dict[str, str]:
    env = dict(os.environ, LANGKAH_DATA_DIR=str(data), LANGKAH_DEFS_DIR=str(defs))
    env["LANGKAH_NOW"] = NOW
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def _timed(args: list[str], env: dict[str, str]) -> tuple[float, int]:
    start = time.perf_counter()
    proc = subprocess.run(args, env=env, capture_output=True, timeout=120)
    return time.perf_counter() - start, proc.returncode


def measure(scratch: Path, runs: int) -> list[tuple[str, float, float, int]]:
    """(name, measured seconds, budget, exit status) of each figure; medians of `runs`."""
    python = [sys.executable, "-m", "langkah.cli.main"]
    data, defs = scratch / "defs-data", scratch / "defs-user"
    data.mkdir(parents=True, exist_ok=True)
    long_file = scratch / "panjang.toml"
    long_file.write_text(long_definition_text(), encoding="utf-8")
    write_user_definitions(defs)
    env = _env(data, defs)
    empty = _env(data, scratch / "no-user-defs")
    results = []
    _timed([*python, "validate", str(long_file)], empty)  # warm the caches
    times, code = [], 0
    for _ in range(runs):
        elapsed, code = _timed([*python, "validate", str(long_file)], empty)
        times.append(elapsed)
    name = f"`langkah validate` of a {LONG_STEPS:,}-step definition (whole process)"
    results.append((name, statistics.median(times), LONG_BUDGET, code))
    for command in COMMANDS:  # the first run of each builds what is kept (index, caches)
        _timed([*python, *command], env)
    bare: list[float] = []
    measured: dict[tuple[str, ...], list[float]] = {c: [] for c in COMMANDS}
    codes: dict[tuple[str, ...], int] = {}
    for _ in range(runs):  # interleaved: a change of load affects all alike
        bare.append(_timed([sys.executable, "-c", "pass"], env)[0])
        for command in COMMANDS:
            elapsed, codes[command] = _timed([*python, *command], env)
            measured[command].append(elapsed)
    start = statistics.median(bare)
    for command in COMMANDS:
        name = f"`langkah {command[0]}`, {USER_DEFINITIONS} user definitions, beyond start"
        extra = statistics.median(measured[command]) - start
        results.append((name, extra, MANY_BUDGET, codes[command]))
    return results


def figures(scratch: Path, runs: int) -> list:  # list[run.Figure]
    from bench.run import Figure, limit_figure

    out = []
    for name, value, budget, code in measure(scratch, runs):
        if code != 0:
            out.append(Figure(name, f"n/a (exit status {code})", f"<= {budget} s", None, None))
            continue
        figure = limit_figure(name, value, budget, "s")
        figure.measured = f"{value:.3f} s"
        figure.noisy = True  # whole processes on a shared machine, like validate's figure
        out.append(figure)
    return out


if __name__ == "__main__":
    with tempfile.TemporaryDirectory(prefix="langkah-defs-bench-") as folder:
        for name, value, budget, code in measure(Path(folder), 5):
            verdict = "pass" if code == 0 and value <= budget else "FAIL"
            print(f"{name}: {value:.3f} s (budget {budget} s, exit {code}) {verdict}")
