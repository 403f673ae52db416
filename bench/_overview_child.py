"""Child process of the overview benchmark: one `Langkah.overview()` in a fresh process.

Usage: python bench/_overview_child.py DATA_DIR. Prints JSON: the first call's time (modules
already imported, so import time is not counted here but in start-up), a second call's time
(the refresh of a running app), the row count, and the process's peak resident memory.
"""

from __future__ import annotations

import datetime as dt
import json
import resource
import sys
import time

import holidays.countries  # noqa: F401  (imported up front: start-up cost, not overview cost)

from langkah.service import Langkah

NOW = dt.datetime(2026, 11, 20, 3, 0, tzinfo=dt.UTC)

app = Langkah.open(sys.argv[1], "/nonexistent-langkah-defs", clock=lambda: NOW)
start = time.perf_counter()
overview = app.overview()
first = time.perf_counter() - start
start = time.perf_counter()
app.overview()
again = time.perf_counter() - start
peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(
    json.dumps(
        {
            "first": first,
            "again": again,
            "rows": len(overview.rows),
            "problems": len(overview.problems),
            "peak_mib": peak_kib / 1024,
        }
    )
)
