"""The `holidays` package's Indonesian days off, remembered per package version.

Importing the package loads every country it knows (about 0.1 s, on the way to the overview's
first rows); its answer for a range of years only changes when the package does. So
`<data dir>/holiday-days.json` keeps the days of the years asked for beside the package's
version: a disposable cache (missing, broken, of another version or of fewer years, it is
computed again and rewritten, best effort). The local hari_libur.toml overrides are applied
after, by the engine, and are never cached here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from pathlib import Path

from langkah.cache_files import read_cache_file
from langkah.engine.holidays_id import package_days_off
from langkah.holiday_coverage import package_version

CACHE_FILE = "holiday-days.json"
MAX_BYTES = 1024 * 1024


def _cached(data_dir: Path, installed: str, years: range) -> dict[dt.date, str] | None:
    try:
        data = json.loads(read_cache_file(data_dir / CACHE_FILE, MAX_BYTES) or "null")
        if data["holidays"] != installed or not installed:
            return None
        first, last = int(data["years"][0]), int(data["years"][1])
        if years and (years[0] < first or years[-1] > last):
            return None
        wanted = set(years)
        days = {dt.date.fromisoformat(day): str(name) for day, name in data["days"]}
        return {day: name for day, name in days.items() if day.year in wanted}
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None


def days_off(data_dir: Path | None, years: range) -> dict[dt.date, str]:
    """`engine.holidays_id.package_days_off(years)`, from the cache when the package is the
    same one (without importing it), else computed and kept."""
    installed = package_version()
    if data_dir is not None:
        kept = _cached(Path(data_dir), installed, years)
        if kept is not None:
            return kept
    days = package_days_off(years)
    if data_dir is not None and installed and years and Path(data_dir).is_dir():
        cache = Path(data_dir) / CACHE_FILE
        temp = cache.with_name(f".{cache.name}.{os.getpid()}.tmp")
        body = {
            "holidays": installed,
            "years": [years[0], years[-1]],
            "days": [[day.isoformat(), name] for day, name in sorted(days.items())],
        }
        try:
            temp.write_text(json.dumps(body, ensure_ascii=False), "utf-8")
            os.replace(temp, cache)
        except OSError:
            with contextlib.suppress(OSError):
                temp.unlink()
    return days
