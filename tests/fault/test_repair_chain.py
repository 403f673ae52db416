"""Repair that never loses data (issue 11, part 3): the damaged bytes are copied aside first,
a second run changes and deletes nothing, the chain picks the real events, and what is not
kept is counted, with its reason, and stays in the aside copy."""

from __future__ import annotations

import json

from langkah.cli.main import main
from langkah.store.appended import read_cycle_document
from tests.fault.conftest import note_texts, open_app


def files(data_dir) -> dict[str, bytes]:
    return {
        str(p.relative_to(data_dir)): p.read_bytes()
        for p in sorted(data_dir.rglob("*"))
        if p.is_file() and p.name != "store.lock"
    }


def busy(app, cycle: str) -> None:
    for i in range(6):
        app.note(cycle, f"catatan {i}")


def test_a_second_repair_changes_nothing_and_deletes_nothing(data_dir, app, cycles):
    busy(app, cycles[0])
    path = data_dir / "cycles" / f"{cycles[0]}.json"
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) * 2 // 3])
    assert main(["--data-dir", str(data_dir), "repair"]) == 0
    first = files(data_dir)
    assert main(["--data-dir", str(data_dir), "repair"]) == 0
    assert files(data_dir) == first  # nothing changed, nothing deleted, no second aside copy
    assert open_app(data_dir).open_cycle(cycles[0]).integrity_problem is None


def test_the_chain_picks_the_real_event_among_a_damaged_copy(data_dir, app, cycles):
    busy(app, cycles[0])
    path = data_dir / "cycles" / f"{cycles[0]}.json"
    doc = read_cycle_document(path)
    forged = dict(doc["events"]["3"], data={"text": "palsu", "step": 1}, id="x")
    # a stray copy of event 3 ahead of the real one (the old repair kept the first copy)
    doc["events"] = {"0": forged, **doc["events"]}
    path.write_text(json.dumps(doc))
    result = open_app(data_dir).repair(cycles[0])
    assert result.outcome == "recovered", result.message
    assert result.kept == 7 and result.found == 8
    assert note_texts(open_app(data_dir), cycles[0]) == [f"catatan {i}" for i in range(6)]
    assert "1 event(s) found were not kept" in result.message.message("en")
    assert "1 peristiwa yang ditemukan tidak dipertahankan" in result.message.message("id")
    assert open_app(data_dir).open_cycle(cycles[0]).integrity_problem is None


def test_events_after_an_unreadable_one_are_counted_with_the_reason_and_kept_aside(
    data_dir, app, cycles
):
    busy(app, cycles[0])
    path = data_dir / "cycles" / f"{cycles[0]}.json"
    raw = path.read_bytes()
    third = raw.index(b'{"id":', raw.index(b'"seq":3') - 200)
    damaged = raw[:third] + b'{"id":\x00garbled' + raw[third + 20 :]
    path.write_bytes(damaged)
    result = open_app(data_dir).repair(cycles[0])
    assert result.outcome == "recovered", result.message
    assert result.kept == 2
    said = result.message.message("en")
    assert "4 event(s) found were not kept (event 3 is missing or unreadable)" in said
    assert "(peristiwa 3 tidak ada atau tidak dapat dibaca)" in result.message.message("id")
    assert result.aside.read_bytes() == damaged
