"""The first action on a cycle in a process checks the log's hash chain as it reads it,
before anything is decided or written: a log that does not verify is never written to,
whichever way the action would have ended.

Each test edits a log by hand (the chain no longer links) and acts on it from a store object
that has not read it yet.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from langkah.engine.errors import ActionRefused
from langkah.store import IntegrityError
from langkah.store import tinydb_store as tinydb_module
from langkah.store.appended import RECORDS_BEFORE_WHOLE, read_cycle_document
from langkah.store.tinydb_store import TinyDBStore
from tests.fault.conftest import open_app, temp_files


def cycle_path(data_dir: Path, cycle_id: str) -> Path:
    return data_dir / "cycles" / f"{cycle_id}.json"


def edit_first_event(data_dir: Path, cycle_id: str) -> bytes:
    """Change the first event's `by` in place (the version and the head stay): the second
    event no longer links to it. Returns the file's bytes after the edit."""
    path = cycle_path(data_dir, cycle_id)
    data = read_cycle_document(path)
    data["events"]["1"]["by"] = "orang lain"
    path.write_text(json.dumps(data))
    return path.read_bytes()


@pytest.fixture
def edited(data_dir, app, cycles) -> tuple[str, bytes]:
    cycle = cycles[0]
    app.note(cycle, "asli")
    return cycle, edit_first_event(data_dir, cycle)


def test_an_action_on_a_log_that_does_not_verify_writes_nothing(data_dir, edited):
    cycle, before = edited
    fresh = open_app(data_dir)  # has not read the log: its first action defers the check
    with pytest.raises(IntegrityError, match="does not verify"):
        fresh.note(cycle, "lagi")
    assert cycle_path(data_dir, cycle).read_bytes() == before
    assert temp_files(data_dir) == []
    # the verdict is kept: the next action and a read both see it, nothing written
    with pytest.raises(IntegrityError, match="event 2"):
        fresh.complete(cycle)
    assert fresh.open_cycle(cycle).read_only
    assert cycle_path(data_dir, cycle).read_bytes() == before


def test_an_action_already_in_a_log_that_does_not_verify_is_refused_not_acknowledged(
    data_dir, app, cycles
):
    cycle = cycles[0]
    app.note(cycle, "asli", event_id="catatan-1")
    before = edit_first_event(data_dir, cycle)
    fresh = open_app(data_dir)
    with pytest.raises(IntegrityError, match="does not verify"):
        fresh.note(cycle, "asli", event_id="catatan-1")  # a retry of a recorded action
    assert cycle_path(data_dir, cycle).read_bytes() == before


def test_an_action_the_engine_refuses_on_a_log_that_does_not_verify_says_it_does_not_verify(
    data_dir, edited
):
    cycle, before = edited
    fresh = open_app(data_dir)
    with pytest.raises(IntegrityError, match="does not verify"):
        fresh.resume(cycle, "tidak dijeda")  # refused by the engine on a good log too
    assert cycle_path(data_dir, cycle).read_bytes() == before


def test_the_same_action_on_a_good_log_is_refused_by_the_engine(data_dir, app, cycles):
    fresh = open_app(data_dir)
    with pytest.raises(ActionRefused):
        fresh.resume(cycles[0], "tidak dijeda")


@pytest.mark.parametrize("records", [0, RECORDS_BEFORE_WHOLE])
def test_the_chain_is_checked_once_before_the_write_and_a_good_log_is_written(
    data_dir, app, cycles, monkeypatch, records
):
    cycle = cycles[0]
    for i in range(records):  # with RECORDS_BEFORE_WHOLE records the action writes it whole
        app.note(cycle, f"asli {i}")
    calls: list[str] = []
    real = tinydb_module.check_chain

    def spy(header, events):
        calls.append(threading.current_thread().name)
        return real(header, events)

    monkeypatch.setattr(tinydb_module, "check_chain", spy)
    fresh = open_app(data_dir)
    view = fresh.note(cycle, "lagi")
    assert view.integrity_problem is None and not view.read_only
    assert calls == [threading.current_thread().name]  # once, as the log was read
    assert fresh.verify(cycle).problems == []
    store = fresh.store
    assert isinstance(store, TinyDBStore)
    kept = store._known[cycle_path(data_dir, cycle)]
    assert kept.record is not None and kept.record.integrity is None
