"""What the store and the service keep between actions never hides another writer's change.

The store keeps each cycle file it read or wrote by the file's key (inode, mtime, size); the
service keeps the state replayed from a log while the log has the same length and last event.
Another writer, or a hand edit that keeps the version, must still be seen.
"""

from __future__ import annotations

import json

import pytest

from langkah.store import ConflictError, IntegrityError
from langkah.store.appended import read_cycle_document
from tests.fault.conftest import note_texts, open_app


def test_an_action_after_another_writer_acts_on_the_fresh_log(data_dir, app, cycles):
    cycle = cycles[0]
    mine = app.note(cycle, "a1")  # both objects now keep this cycle
    other = open_app(data_dir)
    other.open_cycle(cycle)
    other.note(cycle, "b1")
    with pytest.raises(ConflictError):  # the version I saw is out of date
        app.note(cycle, "a2", expected_version=mine.version)
    view = app.note(cycle, "a3")  # no version asked: made on the fresh log
    assert view.version == mine.version + 2
    assert note_texts(open_app(data_dir), cycle) == ["a1", "b1", "a3"]
    assert note_texts(app, cycle) == ["a1", "b1", "a3"]


def test_a_hand_edit_that_keeps_the_version_is_seen(data_dir, app, cycles):
    cycle = cycles[0]
    app.note(cycle, "asli")
    before = app.open_cycle(cycle)
    path = data_dir / "cycles" / f"{cycle}.json"
    data = read_cycle_document(path)
    last = str(before.version)
    data["events"][last]["data"]["text"] = "diubah"
    data["events"][last]["id"] = "edited-event"
    path.write_text(json.dumps(data))  # rewritten in place: same inode, new mtime and size
    assert note_texts(app, cycle) == ["diubah"]
    seen = app.open_cycle(cycle)  # the edited log, not the state kept before the edit
    assert seen.read_only and seen.integrity_problem is not None
    assert f"event {before.version}" in seen.integrity_problem.message("en")
    with pytest.raises(IntegrityError, match="does not verify"):
        app.note(cycle, "lagi")  # a log that does not verify is never written to
    assert note_texts(open_app(data_dir), cycle) == ["diubah"]


def test_a_refused_action_is_decided_on_the_fresh_state(data_dir, app, cycles):
    cycle = cycles[0]
    app.pause(cycle, "menunggu")
    other = open_app(data_dir)
    other.resume(cycle, "lanjut")
    view = app.pause(cycle, "lagi")  # the kept state says paused; the log says running
    assert view.state.status.value == "paused"
