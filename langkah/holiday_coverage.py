"""The last year the installed `holidays` package covers, remembered per package version.

Finding it means importing the package and computing fifty years of Indonesian cuti bersama
(about 0.1-0.2 s); the answer only changes when the package does. So `<data dir>/holiday-
coverage.json` keeps it beside the package's version: a disposable cache (missing, broken or of
another version, it is computed again and rewritten, best effort).
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
from pathlib import Path

CACHE_FILE = "holiday-coverage.json"


@functools.lru_cache(maxsize=1)
def package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("holidays")
    except PackageNotFoundError:
        return ""


def cached_last_year(data_dir: Path) -> int | None:
    """The cached last year for the installed package version, or None."""
    from langkah.cache_files import read_cache_file

    installed = package_version()
    try:
        data = json.loads(read_cache_file(Path(data_dir) / CACHE_FILE, 4096) or "null")
        if installed and data["holidays"] == installed and isinstance(data["last_year"], int):
            return int(data["last_year"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return None


def package_covers(year: int) -> bool:
    """Whether the package knows cuti bersama in `year` (one year computed, not fifty)."""
    import holidays as holidays_lib

    found = holidays_lib.country_holidays("ID", categories=("government",), years=year)
    return len(found) > 0


def package_last_year_cached(data_dir: Path) -> int:
    """`clock_bounds.package_last_year()`, read from the cache when the package is unchanged."""
    cache = Path(data_dir) / CACHE_FILE
    installed = package_version()
    cached = cached_last_year(data_dir)
    if cached is not None:
        return cached
    from langkah.engine.clock_bounds import package_last_year

    last = package_last_year()
    if installed and cache.parent.is_dir():
        temp = cache.with_name(f".{cache.name}.{os.getpid()}.tmp")
        try:
            temp.write_text(json.dumps({"holidays": installed, "last_year": last}), "utf-8")
            os.replace(temp, cache)
        except OSError:
            with contextlib.suppress(OSError):
                temp.unlink()
    return last
