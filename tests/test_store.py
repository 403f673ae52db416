"""The TinyDB store: one file per cycle, atomic writes, version checks, damaged files."""

from __future__ import annotations

import json

import pytest

from langkah.engine.cycle import Person
from langkah.service import Langkah, summary_of
from langkah.store import ConflictError, DamagedStoreError
from langkah.store.appended import read_cycle_document
from langkah.store.tinydb_store import TinyDBStore
from tests.engine_support import StepClock


@pytest.fixture
def app(tmp_path):
    return Langkah.open(tmp_path / "data", tmp_path / "defs", clock=StepClock())


def test_a_cycle_is_one_small_file_with_its_log_and_summary(app, tmp_path):
    view = app.start("dawarblandong", "2026-T3")
    app.note(view.state.cycle_id, "catatan")
    path = tmp_path / "data" / "cycles" / f"{view.state.cycle_id}.json"
    data = read_cycle_document(path)
    assert set(data) == {"cycle", "events"}
    header = data["cycle"]["1"]
    assert header["schema"] == 2 and header["version"] == 2
    assert [e["seq"] for e in data["events"].values()] == [1, 2]
    # the definition the cycle started with is frozen beside it, by its hash
    frozen = tmp_path / "data" / "definitions" / f"{header['definition_digest']}.toml"
    assert frozen.read_text() == app.catalog.get("dawarblandong").text


def test_the_stored_summary_is_the_summary_of_the_replayed_state(app):
    view = app.start("dawarblandong", "2026-T3")
    cid = view.state.cycle_id
    app.record_inputs(cid, {"nota_dinas": "1/2026;2026-10-01"})
    app.complete(cid)
    app.pause(cid, "tunggu")
    record = app.store.load(cid)
    reopened = app.open_cycle(cid)
    stored = {k: v for k, v in record.summary.items() if k != "head"}
    assert stored == app.summarize(reopened.state, reopened.definition)
    assert record.summary["head"] == record.head


def test_each_actions_stored_summary_is_made_afresh_from_its_state(app, tmp_path):
    """The service remembers a cycle's last summary and reuses it while the objects it is made
    of are unchanged (a note, an input): after every kind of action, the stored summary must be
    what a service without that memory makes of the replayed log."""
    cid = app.start("dawarblandong", "2026-T3").state.cycle_id
    fresh = Langkah.open(tmp_path / "data", tmp_path / "defs", clock=StepClock())
    steps = [
        lambda: app.note(cid, "satu"),
        lambda: app.record_inputs(cid, {"nota_dinas": "1/2026;2026-10-01"}),
        lambda: app.note(cid, "dua"),
        lambda: app.pause(cid, "tunggu"),
        lambda: app.note(cid, "saat jeda"),
        lambda: app.resume(cid, "lanjut"),
        lambda: app.note(cid, "tiga"),
        lambda: app.update_roles(cid, {"camat": Person(name="Drs. Budi")}),
        lambda: app.note(cid, "empat"),
        lambda: app.complete(cid),
        lambda: app.note(cid, "lima"),
        lambda: app.cancel(cid, "batal"),
    ]
    for number, act in enumerate(steps, start=1):
        act()
        record = app.store.load(cid)
        replayed = fresh.open_cycle(cid)
        fresh._summaries.clear()
        expected = summary_of(
            replayed.state, replayed.definition, fresh.calendar(replayed.definition)
        )
        stored = {k: v for k, v in record.summary.items() if k != "head"}
        assert stored == expected, f"after action {number}"


def test_a_stale_version_is_a_conflict_and_writes_nothing(app, tmp_path):
    cid = app.start("kalipare", "2026-T3").state.cycle_id
    seen = app.open_cycle(cid).version
    app.note(cid, "dari proses lain")
    path = tmp_path / "data" / "cycles" / f"{cid}.json"
    before = path.read_bytes()
    with pytest.raises(ConflictError) as conflict:
        app.note(cid, "saya", expected_version=seen)
    assert "reload" in str(conflict.value)
    assert path.read_bytes() == before
    app.note(cid, "saya", expected_version=seen + 1)
    assert app.open_cycle(cid).version == seen + 2


def test_a_future_schema_is_refused_with_the_file_named(app, tmp_path):
    cid = app.start("kalipare", "2026-T3").state.cycle_id
    path = tmp_path / "data" / "cycles" / f"{cid}.json"
    data = read_cycle_document(path)
    data["cycle"]["1"]["schema"] = 99
    path.write_text(json.dumps(data))
    with pytest.raises(DamagedStoreError) as damaged:
        app.open_cycle(cid)
    assert str(path) in str(damaged.value) and "newer" in str(damaged.value)


def test_a_damaged_file_is_named_and_the_rest_stays_usable(app, tmp_path):
    good = app.start("kalipare", "2026-T3").state.cycle_id
    bad = app.start("mentebah", "2026-T3").state.cycle_id
    path = tmp_path / "data" / "cycles" / f"{bad}.json"
    path.write_bytes(path.read_bytes()[:40])
    overview = app.overview()
    assert [r.cycle_id for r in overview.rows] == [good]
    assert any(str(path) in str(p) for p in overview.problems)
    with pytest.raises(DamagedStoreError):
        app.note(bad, "x")
    assert path.read_bytes()  # never overwritten


def test_orphan_temp_files_are_removed_on_the_next_write(tmp_path):
    store = TinyDBStore(tmp_path)
    (tmp_path / "cycles").mkdir(parents=True)
    orphan = tmp_path / "cycles" / ".x.json.123.abcd.tmp"
    orphan.write_text("{")
    assert store.cleanup() == 1
    assert not orphan.exists()


def test_drafts_round_trip_and_clear(app):
    cid = app.start("kalipare", "2026-T3").state.cycle_id
    app.store.save_draft(cid, {"step": 1, "values": {"x": "ketikan 😀"}})
    assert app.store.load_draft(cid) == {"step": 1, "values": {"x": "ketikan 😀"}}
    app.store.clear_draft(cid)
    assert app.store.load_draft(cid) is None
