"""The benchmark runs: `python bench/run.py --quick` exits 0 or 1 and prints its table.

No timing is asserted here: the figures are for people (docs/performance.md), not for CI.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_quick_benchmark_prints_its_table():
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--quick"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode in (0, 1), proc.stderr
    assert "| figure" in proc.stdout and "| result" in proc.stdout
    for figure in ("overview data", "one action", "start-up", "Word report", "validate"):
        assert figure in proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr
