"""The first action on a cycle in a process checks the log's hash chain before it appends its
record, or, when it writes the file whole, while that write waits for the disk
(langkah/store/overlap.py): a log that does not verify is never written to, whichever way
the action ends.

Each test edits a log by hand (the chain no longer links) and acts on it from a store object
that has not read it yet, so that the check is the deferred one.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from langkah.engine.errors import ActionRefused
from langkah.store import IntegrityError, overlap
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


def test_the_check_runs_on_the_helper_thread_and_a_good_log_is_written(
    data_dir, app, cycles, monkeypatch
):
    cycle = cycles[0]
    for i in range(RECORDS_BEFORE_WHOLE):  # the next action writes the file whole: the check
        app.note(cycle, f"asli {i}")  # waits with it (an appended record is checked first)
    threads: list[str] = []
    real = tinydb_module.check_chain

    def spy(header, events):
        threads.append(threading.current_thread().name)
        return real(header, events)

    monkeypatch.setattr(tinydb_module, "check_chain", spy)
    fresh = open_app(data_dir)
    view = fresh.note(cycle, "lagi")
    assert view.integrity_problem is None and not view.read_only
    assert threads == ["langkah-overlap"]  # checked once, while the write waited
    assert fresh.verify(cycle).problems == []
    store = fresh.store
    assert isinstance(store, TinyDBStore)
    kept = store._known[cycle_path(data_dir, cycle)]
    assert not kept.unverified and kept.record is not None and kept.record.integrity is None


def test_load_outside_the_lock_checks_at_once_even_when_asked_to_wait(data_dir, edited):
    cycle, _ = edited
    store = open_app(data_dir).store
    record = store.load(cycle, verify_later=True)
    assert record.integrity is not None and "event 2" in record.integrity.message("en")


def test_leaving_the_lock_checks_a_deferred_log_nobody_appended_to(data_dir, edited):
    cycle, before = edited
    store = open_app(data_dir).store
    with pytest.raises(IntegrityError, match="event 2"), store.exclusive(cycle):
        record = store.load(cycle, verify_later=True)
        assert record.integrity is None  # what the header claims, until checked
    assert store.load(cycle).integrity is not None  # the verdict is kept
    assert cycle_path(data_dir, cycle).read_bytes() == before
    with store.exclusive(cycle):  # the lock was let go
        pass


def test_a_deferred_log_that_verifies_leaves_the_lock_quietly(data_dir, app, cycles):
    cycle = cycles[0]
    store = open_app(data_dir).store
    with store.exclusive(cycle):
        record = store.load(cycle, verify_later=True)
    assert store.load(cycle).integrity is None and store.load(cycle).head == record.head


def test_overlap_returns_the_value_or_the_error_of_the_work():
    assert overlap.start(lambda: 41 + 1).result() == 42

    def fails() -> int:
        raise ValueError("no")

    with pytest.raises(ValueError, match="no"):
        overlap.start(fails).result()


def test_overlap_runs_the_work_in_place_when_no_helper_can_start(monkeypatch):
    monkeypatch.setattr(overlap._HELPER, "put", lambda item: False)
    ran: list[str] = []
    pending = overlap.start(lambda: ran.append(threading.current_thread().name) or 7)
    assert not pending.handed and ran == []
    assert pending.result() == 7 and ran == [threading.current_thread().name]


def test_a_block_ending_in_an_error_keeps_its_error_and_the_verdict(data_dir, edited):
    cycle, before = edited
    store = open_app(data_dir).store
    with pytest.raises(KeyError, match="elsewhere"), store.exclusive(cycle):
        store.load(cycle, verify_later=True)
        raise KeyError("elsewhere")  # nothing acknowledged: the block's own error stands
    assert store.load(cycle).integrity is not None
    assert cycle_path(data_dir, cycle).read_bytes() == before
