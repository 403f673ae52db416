"""Damaged data: a clear message naming the file, nothing overwritten, the rest usable, and
`langkah repair` recovering what it can."""

from __future__ import annotations

import json

import pytest

from langkah.cli.main import main
from langkah.store import DamagedStoreError, StoreError
from langkah.store.appended import read_cycle_document
from tests.fault.conftest import note_texts, open_app


def damage(path, how: str) -> None:
    raw = path.read_bytes()
    if how == "truncated":  # cut short, and a line feed after the cut (a cut alone, among the
        # appended records, reads as the version before them: test_appended_records.py)
        path.write_bytes(raw[: len(raw) * 2 // 3] + b"\n")
    elif how == "not-json":
        path.write_bytes(b"\x00\xff this is not JSON \xfe")
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "future-schema":
        data = read_cycle_document(path)
        data["cycle"]["1"]["schema"] = 99
        path.write_text(json.dumps(data))
    elif how == "gap":
        data = read_cycle_document(path)
        del data["events"]["2"]
        path.write_text(json.dumps(data))


@pytest.fixture
def busy(app, cycles):
    for i in range(6):
        app.note(cycles[0], f"catatan {i}")
    return cycles


@pytest.mark.parametrize("how", ["truncated", "not-json", "empty", "future-schema", "gap"])
def test_a_damaged_file_is_named_and_the_rest_stays_usable(
    data_dir, busy, how, capsys, monkeypatch
):
    path = data_dir / "cycles" / f"{busy[0]}.json"
    damage(path, how)
    damaged = path.read_bytes()
    fresh = open_app(data_dir)
    with pytest.raises(DamagedStoreError) as refused:
        fresh.open_cycle(busy[0])
    assert str(path) in str(refused.value)
    with pytest.raises(StoreError):
        fresh.note(busy[0], "tidak boleh")
    overview = fresh.overview()
    if how == "gap":  # the header and its summary still read: listed, but it will not open
        assert sorted(r.cycle_id for r in overview.rows) == sorted(busy)
    else:
        assert [r.cycle_id for r in overview.rows] == [busy[1]]
        assert any(str(path) in str(p) for p in overview.problems)
    fresh.note(busy[1], "yang lain tetap bisa")
    assert path.read_bytes() == damaged  # nothing overwritten
    monkeypatch.setenv("LANGKAH_DATA_DIR", str(data_dir))
    assert main(["status"]) == 0
    captured = capsys.readouterr()
    assert busy[1] in captured.out and (how == "gap" or str(path) in captured.err)
    assert "Traceback" not in captured.err


@pytest.mark.parametrize("how", ["truncated", "gap"])
def test_repair_sets_the_file_aside_and_keeps_the_gapless_prefix(data_dir, busy, how):
    path = data_dir / "cycles" / f"{busy[0]}.json"
    damage(path, how)
    damaged = path.read_bytes()
    fresh = open_app(data_dir)
    from langkah.cli.store_commands import rebuild_with

    result = fresh.store.recover(busy[0], rebuild_with(fresh))
    assert result.outcome == "recovered", result.message
    assert result.aside.read_bytes() == damaged
    assert result.aside.name.startswith(f"{busy[0]}.json.damaged-")
    events = open_app(data_dir).events(busy[0])
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert 1 <= len(events) == result.kept <= 7
    texts = note_texts(open_app(data_dir), busy[0])
    assert texts == [f"catatan {i}" for i in range(len(texts))]
    if how == "gap":
        assert result.kept == 1  # event 2 is gone: only the start is a gapless prefix
    # the repaired cycle takes actions again, and a second repair finds nothing to do
    open_app(data_dir).note(busy[0], "setelah perbaikan")
    assert open_app(data_dir).store.recover(busy[0], rebuild_with(fresh)).outcome == "ok"


def test_repair_command_reports_per_file(data_dir, busy, capsys, monkeypatch):
    monkeypatch.setenv("LANGKAH_DATA_DIR", str(data_dir))
    first, second = (data_dir / "cycles" / f"{c}.json" for c in busy)
    damage(first, "truncated")
    damage(second, "future-schema")
    newer = second.read_bytes()
    assert main(["repair"]) == 0
    out = capsys.readouterr().out
    assert f"{first}: dipulihkan: " in out and f"{second}: versi lebih baru: " in out
    assert "2 berkas siklus diperiksa: 1 versi lebih baru, 1 dipulihkan" in out
    assert second.read_bytes() == newer  # a newer Langkah's file is never touched
    asides = list((data_dir / "cycles").glob("*.damaged-*"))
    assert len(asides) == 1
    damage(first, "not-json")  # nothing salvageable: set aside, reported, exit status 1
    assert main(["repair", busy[0]]) == 1
    out = capsys.readouterr().out
    assert f"{first}: tidak dapat dipulihkan: " in out
    assert len(list((data_dir / "cycles").glob("*.damaged-*"))) == 2
    assert not first.exists()


def test_a_missing_definition_is_named_and_the_rest_stays_usable(
    data_dir, busy, capsys, monkeypatch
):
    fresh = open_app(data_dir)
    digest = fresh.open_cycle(busy[0]).loaded.digest
    (data_dir / "definitions" / f"{digest}.toml").unlink()
    fresh = open_app(data_dir)
    with pytest.raises(StoreError) as refused:
        fresh.open_cycle(busy[0])
    assert f"{digest}.toml" in str(refused.value) and "missing" in str(refused.value)
    overview = fresh.overview()
    assert [r.cycle_id for r in overview.rows] == [busy[1]]
    assert any(f"{digest}.toml" in str(p) for p in overview.problems)
    monkeypatch.setenv("LANGKAH_DATA_DIR", str(data_dir))
    assert main(["show", busy[0]]) == 1
    err = capsys.readouterr().err
    assert f"{digest}.toml" in err and "Traceback" not in err


def test_a_broken_summary_cache_is_ignored(data_dir, busy):
    app = open_app(data_dir)
    app.store._write_summary_cache({})
    (data_dir / "summary-cache.json").write_text("{ not json")
    assert sorted(r.cycle_id for r in open_app(data_dir).overview().rows) == sorted(busy)
    (data_dir / "summary-cache.json").write_text(
        json.dumps({"format": 1, "schema": 1, "entries": 5})
    )
    assert sorted(r.cycle_id for r in open_app(data_dir).overview().rows) == sorted(busy)


@pytest.mark.parametrize(
    "bad",
    [{"status": "zzz"}, {"current_step": 99}, {"pauses": 5}, {"period": 7}, {"started_at": None}],
)
def test_a_tampered_summary_is_reported_and_the_rest_listed(data_dir, busy, bad):
    path = data_dir / "cycles" / f"{busy[0]}.json"
    data = read_cycle_document(path)
    data["cycle"]["1"]["summary"].update(bad)
    path.write_text(json.dumps(data))
    overview = open_app(data_dir).overview()
    assert [r.cycle_id for r in overview.rows] == [busy[1]]
    assert any(busy[0] in str(p) and "unreadable summary" in str(p) for p in overview.problems)
    assert any("ringkasan tidak terbaca" in p.message("id") for p in overview.problems)
