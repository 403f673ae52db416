"""Store behaviour that mutation testing showed unchecked (docs/testing.md, "Mutation testing")."""

from __future__ import annotations

import json

import pytest

from langkah.service import Langkah
from langkah.store import DamagedStoreError
from langkah.store.appended import read_cycle_document
from langkah.store.tinydb_store import TinyDBStore
from tests.engine_support import StepClock


@pytest.fixture
def app(tmp_path):
    return Langkah.open(tmp_path / "data", tmp_path / "defs", clock=StepClock())


def test_only_a_stored_cycle_is_known(app, tmp_path):
    cid = app.start("dawarblandong", "2026-T3").state.cycle_id
    store = TinyDBStore(tmp_path / "data")
    assert store.has_cycle(cid)
    assert not store.has_cycle("dawarblandong-2026-t3-000000")  # well formed, never created
    assert not store.has_cycle("../cycles/" + cid)


def test_a_log_shorter_than_its_header_says_is_damaged(app, tmp_path):
    cid = app.start("dawarblandong", "2026-T3").state.cycle_id
    app.note(cid, "catatan")
    path = tmp_path / "data" / "cycles" / f"{cid}.json"
    data = read_cycle_document(path)
    data["cycle"]["1"]["version"] = 3  # the events 1 and 2 are there, gapless
    path.write_text(json.dumps(data))
    with pytest.raises(DamagedStoreError, match="does not match its header") as damaged:
        app.open_cycle(cid)
    assert str(path) in str(damaged.value)
