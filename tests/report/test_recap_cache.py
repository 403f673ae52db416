"""The recap's kept part (langkah.recap_cache): the workbook from kept recaps equals the one
from replaying every log, at any later `now`, and a changed log is never taken from the cache."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path

import openpyxl
import pytest

from langkah.recap_cache import RECAP_CACHE, RecapCache, calendar_key, recaps
from langkah.store.appended import read_cycle_document
from langkah.views import recap, recap_at, recap_base
from tests.cli_support import _run
from tests.report import scenarios


@pytest.fixture
def store(app, clock, monkeypatch):
    """Finished, cancelled, paused and running (overdue later) cycles."""
    views = scenarios.mixed_store(app, clock)
    monkeypatch.setenv("LANGKAH_NOW", clock.now.isoformat())
    return views


def cache_path() -> Path:
    return Path(os.environ["LANGKAH_DATA_DIR"]) / RECAP_CACHE


def workbook(capsys, path: Path) -> dict[str, list[tuple]]:
    capsys.readouterr()
    assert _run(("export-xlsx", "-o", str(path), "--force")) == 0, capsys.readouterr()
    book = openpyxl.load_workbook(path)
    return {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}


def test_workbook_from_kept_recaps_equals_the_replayed_one(store, capsys, tmp_path,
                                                           monkeypatch):  # fmt: skip
    first = workbook(capsys, tmp_path / "a.xlsx")
    assert cache_path().exists()
    entries = json.loads(cache_path().read_bytes().partition(b"\n")[2])
    assert len(entries) == 5
    later = dt.datetime.fromisoformat(os.environ["LANGKAH_NOW"]) + dt.timedelta(days=3)
    monkeypatch.setenv("LANGKAH_NOW", later.isoformat())
    kept = workbook(capsys, tmp_path / "b.xlsx")  # running visits timed at the new now
    cache_path().unlink()
    replayed = workbook(capsys, tmp_path / "c.xlsx")
    assert kept == replayed
    assert kept["Siklus"] != first["Siklus"]  # the running cycles did move on
    assert len(kept["Langkah"]) == len(first["Langkah"])


def test_a_kept_recap_is_never_used_for_a_changed_log(store, app, capsys, tmp_path):
    workbook(capsys, tmp_path / "a.xlsx")
    running = store["running"].state.cycle_id
    step = store["running"].current_step
    app.record_inputs(running, {spec.id: scenarios.value_for(spec) for spec in step.inputs})
    app.complete(running)
    app.cancel(store["paused"].state.cycle_id, "selesai di luar aplikasi")
    kept = workbook(capsys, tmp_path / "b.xlsx")
    cache_path().unlink()
    assert kept == workbook(capsys, tmp_path / "c.xlsx")
    steps = [row for row in kept["Langkah"] if row[0] == running]
    assert [row[3] for row in steps] == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize("damage", ["torn", "edited", "calendar", "junk entry", "fifo"])
def test_a_broken_cache_is_ignored(store, capsys, tmp_path, damage):
    expected = workbook(capsys, tmp_path / "a.xlsx")
    raw = cache_path().read_bytes()
    meta, _, body = raw.partition(b"\n")
    if damage == "torn":
        cache_path().write_bytes(raw[: len(raw) // 2])
    elif damage == "fifo":  # never opened: reading it would block for ever
        cache_path().unlink()
        os.mkfifo(cache_path())
    elif damage == "edited":  # a figure changed by hand: the checksum no longer matches
        cache_path().write_bytes(meta + b"\n" + body.replace(b"450.0", b"451.0"))
    elif damage == "calendar":  # made with other holidays: all of it is recomputed
        wrong = json.loads(body)
        for entry in wrong.values():
            entry[2][0][9] = -1.0  # the cycle's working minutes
        cache_path().write_bytes(b'{"calendar":"other","sha256":""}\n' + json.dumps(wrong).encode())
    else:
        entries = json.loads(body)
        for entry in entries.values():
            entry[2] = ["not", "a", "recap"]
        body = json.dumps(entries).encode()  # a valid checksum: each entry is refused alone
        calendar = json.loads(meta)["calendar"]
        header = {"calendar": calendar, "sha256": hashlib.sha256(body).hexdigest()}
        cache_path().write_bytes(json.dumps(header).encode() + b"\n" + body)
    assert workbook(capsys, tmp_path / "b.xlsx") == expected


def test_base_then_now_equals_the_recap_at_that_now(store, app, clock):
    view = app.open_cycle(store["running"].state.cycle_id)
    base = recap_base(view)
    assert base.running is not None and base.running.step == 5
    for hours in (0, 5, 40, 400):
        clock.now = view.now + dt.timedelta(hours=hours)
        later = app.open_cycle(view.state.cycle_id)
        assert recap_at(base, view.definition, view.calendar, later.now) == recap(later)
    paused = app.open_cycle(store["paused"].state.cycle_id)
    assert recap_base(paused).running.pauses  # the running visit's pauses are kept
    assert recap_base(app.open_cycle(store["dawar"].state.cycle_id)).running is None


def test_cycles_that_do_not_verify_are_not_kept(store, app):
    cycle_id = store["kalipare"].state.cycle_id
    path = Path(app.store.cycles_dir) / f"{cycle_id}.json"
    data = read_cycle_document(path)
    data["events"]["2"]["by"] = "orang lain"  # the chain no longer links
    path.write_text(json.dumps(data, separators=(",", ":")))
    rows = app.overview().rows
    found, left_out = recaps(app, rows, every_cycle=True)
    assert not left_out
    problem = next(c for c in found if c.cycle_id == cycle_id).integrity_problem
    assert problem
    cache = RecapCache(app.data_root, calendar_key(app))
    cache.read()
    assert cycle_id not in cache.entries and len(cache.entries) == 4
