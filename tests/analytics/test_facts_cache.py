"""`langkah stats` with its kept facts (facts-cache.json): the JSON equals the one computed from
every log (--no-cache) with the cache cold, warm at a later `now`, partly stale (cycles acted
on since), made under another calendar, or broken; unselected cycles are not read."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path

import pytest

from langkah.analytics import Selection
from langkah.service import FACTS_CACHE
from langkah.store.appended import read_cycle_document
from tests.cli_support import _run
from tests.report import scenarios
from tests.report.scenarios import SteppingClock, open_app


@pytest.fixture
def clock() -> SteppingClock:
    return SteppingClock()


@pytest.fixture
def app(clock):
    return open_app(
        Path(os.environ["LANGKAH_DATA_DIR"]), Path(os.environ["LANGKAH_DEFS_DIR"]), clock
    )


@pytest.fixture
def store(app, clock, monkeypatch):
    """Finished, cancelled, paused and running (overdue later) cycles."""
    views = scenarios.mixed_store(app, clock)
    monkeypatch.setenv("LANGKAH_NOW", clock.now.isoformat())
    return views


def data_dir() -> Path:
    return Path(os.environ["LANGKAH_DATA_DIR"])


def stats(capsys, *args: str) -> tuple[dict, str]:
    capsys.readouterr()
    code = _run(("stats", "--json", *args))
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "Traceback" not in err
    return json.loads(out), err


def entries() -> dict:
    return json.loads((data_dir() / FACTS_CACHE).read_bytes().partition(b"\n")[2])


def later(monkeypatch, **delta: float) -> None:
    now = dt.datetime.fromisoformat(os.environ["LANGKAH_NOW"]) + dt.timedelta(**delta)
    monkeypatch.setenv("LANGKAH_NOW", now.isoformat())


def test_cold_warm_and_later_equal_the_uncached_figures(store, capsys, monkeypatch):
    cold, _ = stats(capsys)
    assert len(entries()) == 5
    assert cold == stats(capsys, "--no-cache")[0]
    warm, _ = stats(capsys)
    assert warm == cold
    later(monkeypatch, days=3)  # the running and paused visits are timed at the new now
    moved, _ = stats(capsys)
    assert moved == stats(capsys, "--no-cache")[0]
    assert moved["now"] != cold["now"]
    assert moved["groups"] != [dict(g) for g in cold["groups"]]  # running visits went late


def test_cycles_acted_on_since_are_read_again(store, app, capsys, monkeypatch):
    stats(capsys)
    running = store["running"].state.cycle_id
    step = store["running"].current_step
    app.record_inputs(running, {spec.id: scenarios.value_for(spec) for spec in step.inputs})
    app.complete(running)
    app.cancel(store["paused"].state.cycle_id, "selesai di luar aplikasi")
    before = {k: v[:2] for k, v in entries().items()}
    partly, _ = stats(capsys)
    assert partly == stats(capsys, "--no-cache")[0]
    after = {k: v[:2] for k, v in entries().items()}
    changed = {k for k in after if after[k] != before[k]}
    assert changed == {running, store["paused"].state.cycle_id}
    cancelled = [g for g in partly["totals"] if g["sop_id"].startswith("mentebah")]
    assert cancelled[0]["cycles_cancelled"] == 1


def test_a_changed_holiday_file_recomputes_every_figure(store, capsys):
    before, _ = stats(capsys)
    # Monday 5 October 2026 (when every cycle started) becomes a day off: every timing moves
    data_dir().mkdir(parents=True, exist_ok=True)  # on PostgreSQL only the stats wrote in it
    (data_dir() / "hari_libur.toml").write_text('[tambah]\n2026-10-05 = "Cuti"\n')
    changed, _ = stats(capsys)
    assert changed == stats(capsys, "--no-cache")[0]
    assert changed["totals"] != before["totals"]


@pytest.mark.parametrize("damage", ["torn", "junk entry", "other calendar"])
def test_a_broken_cache_is_ignored(store, capsys, damage):
    expected, _ = stats(capsys)
    path = data_dir() / FACTS_CACHE
    raw = path.read_bytes()
    meta, _, body = raw.partition(b"\n")
    if damage == "torn":
        path.write_bytes(raw[: len(raw) // 2])
    else:
        kept = json.loads(body)
        for entry in kept.values():
            entry[2] = ["not", "facts"] if damage == "junk entry" else entry[2]
            if damage == "other calendar":
                entry[2][7] = [9999.0] * len(entry[2][7])  # wrong delays, other stamp
        body = json.dumps(kept).encode()
        stamp = json.loads(meta)["calendar"] if damage == "junk entry" else "other"
        header = {"calendar": stamp, "sha256": hashlib.sha256(body).hexdigest()}
        path.write_bytes(json.dumps(header).encode() + b"\n" + body)
    assert stats(capsys)[0] == expected


def test_an_edited_log_is_named_and_left_out_even_when_kept(store, capsys):
    full, _ = stats(capsys)
    cycle_id = store["kalipare"].state.cycle_id
    path = data_dir() / "cycles" / f"{cycle_id}.json"
    data = read_cycle_document(path)
    data["events"]["2"]["by"] = "orang lain"  # the chain no longer links
    path.write_text(json.dumps(data, separators=(",", ":")))
    out, err = stats(capsys)
    assert f"{cycle_id}: tidak lolos verifikasi" in err and "(tidak dihitung)" in err
    assert out["cycles"] == full["cycles"] - 1
    assert cycle_id not in entries()


def test_only_selected_and_changed_logs_are_read(store, app, monkeypatch):
    opened: list[str] = []
    real = app.open_cycle

    def counting(reference: str):
        opened.append(reference)
        return real(reference)

    monkeypatch.setattr(app, "open_cycle", counting)
    kalipare = Selection(sop_ids=frozenset({store["kalipare"].state.sop_id}))
    read = app.analytics_facts(kalipare.wants)
    assert sorted(opened) == sorted(f.cycle_id for f in read.facts) and len(opened) == 2
    assert len(read.sop_ids) == 3  # every stored SOP is still known (to check filters)
    opened.clear()
    again = app.analytics_facts(kalipare.wants)
    assert opened == [] and again.facts == read.facts
    everything = app.analytics_facts(Selection().wants)
    assert len(opened) == 3 and len(everything.facts) == 5
    opened.clear()
    assert app.analytics_facts(Selection().wants, cached=False).facts == everything.facts
    assert len(opened) == 5


def test_the_garbage_collector_runs_again_after_a_read(store, app, capsys):
    import gc

    app.analytics_facts(Selection().wants)
    assert gc.isenabled()
    stats(capsys)  # the command freezes what it made, then lets the collector run again
    assert gc.isenabled()
    gc.unfreeze()
