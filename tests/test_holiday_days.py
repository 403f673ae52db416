"""The package's Indonesian days off kept per package version (langkah/holiday_days.py): the
same days as the package answers, without importing it when the cache is good."""

from __future__ import annotations

import json
import subprocess
import sys

from langkah import holiday_days
from langkah.engine.holidays_id import package_days_off
from langkah.holiday_coverage import package_version

YEARS = range(2024, 2028)


def test_the_cache_holds_exactly_the_packages_days(tmp_path):
    first = holiday_days.days_off(tmp_path, YEARS)
    assert first == package_days_off(YEARS)
    assert (tmp_path / holiday_days.CACHE_FILE).exists()
    again = holiday_days.days_off(tmp_path, range(2025, 2027))  # a narrower range: from it
    assert again == {d: n for d, n in first.items() if d.year in (2025, 2026)}


def test_a_cache_of_another_version_fewer_years_or_garbage_is_computed_again(tmp_path, monkeypatch):
    cache = tmp_path / holiday_days.CACHE_FILE
    wrong = {"2026-08-17": "not from the package"}
    stale = {"holidays": "0.0-other", "years": [2024, 2027], "days": list(wrong.items())}
    cache.write_text(json.dumps(stale), "utf-8")
    assert holiday_days.days_off(tmp_path, YEARS) == package_days_off(YEARS)
    short = {"holidays": package_version(), "years": [2025, 2025], "days": list(wrong.items())}
    cache.write_text(json.dumps(short), "utf-8")
    assert holiday_days.days_off(tmp_path, YEARS) == package_days_off(YEARS)
    cache.write_text("{not json", "utf-8")
    assert holiday_days.days_off(tmp_path, YEARS) == package_days_off(YEARS)
    calls = []
    monkeypatch.setattr(holiday_days, "package_days_off", lambda y: calls.append(y) or {})
    holiday_days.days_off(tmp_path, YEARS)  # the good cache written just now answers
    assert calls == []


def test_a_later_process_does_not_import_the_package(tmp_path):
    holiday_days.days_off(tmp_path, YEARS)
    code = (
        "import sys; from langkah import holiday_days; "
        f"days = holiday_days.days_off(__import__('pathlib').Path({str(tmp_path)!r}), "
        f"range({YEARS.start}, {YEARS.stop})); "
        "print(len(days), 'holidays' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    count, imported = out.stdout.split()
    assert int(count) == len(package_days_off(YEARS)) and imported == "False"
