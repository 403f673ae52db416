"""The storage port's contract, run against every backend (tests/store/conftest.py).

Written against `CycleStore` only: nothing here knows files, folders or tables, except through
the backend's `damage` hook. Events are built directly, so the contract does not depend on the
engine's rules.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from langkah.engine.events import Event, EventType
from langkah.store import ConflictError, CycleNotFound, CycleStore, StoreError

T0 = dt.datetime(2026, 10, 1, 1, 0, tzinfo=dt.UTC)
DIGEST = "a" * 64


def event(seq: int, kind: EventType = EventType.NOTE_ADDED, **data: Any) -> Event:
    return Event(
        id=uuid.uuid4().hex,
        seq=seq,
        type=kind,
        at=T0 + dt.timedelta(minutes=seq),
        step=1,
        by="Siti",
        data=data or {"text": f"catatan {seq}"},
    )


def started(cycle_id: str) -> Event:
    return event(
        1,
        EventType.STARTED,
        cycle_id=cycle_id,
        sop_id="kalipare",
        definition_digest=DIGEST,
        period="2026-T3",
        roles={},
    )


def header(cycle_id: str) -> dict[str, Any]:
    return {
        "cycle_id": cycle_id,
        "sop_id": "kalipare",
        "definition_digest": DIGEST,
        "period": "2026-T3",
        "created_at": T0.isoformat(),
    }


def plain(stored: dict[str, Any]) -> dict[str, Any]:
    """A stored summary without the head hash the store records in it."""
    return {k: v for k, v in stored.items() if k != "head"}


def summary(cycle_id: str, version: int, **extra: Any) -> dict[str, Any]:
    return {"cycle_id": cycle_id, "version": version, "status": "active", **extra}


def create(store: CycleStore, cycle_id: str) -> Event:
    first = started(cycle_id)
    store.create(cycle_id, header(cycle_id), first, summary(cycle_id, 1))
    return first


# -- cycles ------------------------------------------------------------------------------------


def test_a_created_cycle_loads_with_its_header_first_event_and_summary(store):
    first = create(store, "kalipare-2026-t3-aaaaaa")
    record = store.load("kalipare-2026-t3-aaaaaa")
    assert record.cycle_id == "kalipare-2026-t3-aaaaaa"
    assert record.events == [first]
    assert record.version == 1
    assert plain(record.summary) == summary("kalipare-2026-t3-aaaaaa", 1)
    assert record.summary["head"] == record.head != ""
    for key, value in header("kalipare-2026-t3-aaaaaa").items():
        assert record.header[key] == value


def test_creating_a_cycle_twice_is_refused_and_keeps_the_first(store):
    first = create(store, "c-1")
    with pytest.raises(StoreError):
        store.create("c-1", header("c-1"), started("c-1"), summary("c-1", 1))
    assert store.load("c-1").events == [first]


def test_append_adds_events_in_order_and_returns_the_new_version(store, store_factory):
    create(store, "c-1")
    second, third = event(2), event(3)
    assert store.append("c-1", 1, [second], summary("c-1", 2)) == 2
    assert store.append("c-1", 2, [third], summary("c-1", 3, pauses=[["x", None]])) == 3
    record = store_factory().load("c-1")  # as another process sees it
    assert [e.id for e in record.events[1:]] == [second.id, third.id]
    assert record.version == 3
    assert plain(record.summary) == summary("c-1", 3, pauses=[["x", None]])
    assert record.summary["head"] == record.head


def test_append_takes_several_events_at_once(store):
    create(store, "c-1")
    assert store.append("c-1", 1, [event(2), event(3)], summary("c-1", 3)) == 3
    assert [e.seq for e in store.load("c-1").events] == [1, 2, 3]


def test_a_stale_version_is_a_conflict_and_writes_nothing(store, store_factory):
    create(store, "c-1")
    other = store_factory()
    other.load("c-1")
    store.append("c-1", 1, [event(2)], summary("c-1", 2))
    with pytest.raises(ConflictError) as conflict:
        other.append("c-1", 1, [event(2)], summary("c-1", 2, stale=True))
    assert (conflict.value.expected, conflict.value.found) == (1, 2)
    record = store.load("c-1")
    assert record.version == 2 and "stale" not in record.summary


def test_exclusive_holds_a_cycle_for_a_read_decide_append_and_is_reentrant(store):
    create(store, "c-1")
    with store.exclusive("c-1"):
        version = store.load("c-1").version
        assert store.append("c-1", version, [event(2)], summary("c-1", 2)) == 2
        with store.exclusive("c-1"):
            store.save_draft("c-1", {"x": "1"})
    assert store.load("c-1").version == 2 and store.load_draft("c-1") == {"x": "1"}


def test_events_whose_seq_does_not_follow_the_log_are_a_conflict(store):
    create(store, "c-1")
    with pytest.raises(ConflictError):
        store.append("c-1", 1, [event(3)], summary("c-1", 3))
    assert store.load("c-1").version == 1


def test_an_unknown_cycle_is_not_found(store):
    with pytest.raises(CycleNotFound):
        store.load("nope")
    create(store, "c-1")
    with pytest.raises(CycleNotFound):
        store.load("nope")
    with pytest.raises(CycleNotFound):
        store.append("nope", 1, [event(2)], summary("nope", 2))
    with pytest.raises(CycleNotFound):
        store.load("../c-1")  # an id is never a path


def test_has_cycle_and_cycle_ids(store, store_factory):
    assert store.cycle_ids() == []
    assert not store.has_cycle("c-2")
    for cycle_id in ("c-2", "c-1", "b-9"):
        create(store, cycle_id)
    assert store.has_cycle("c-2") and not store.has_cycle("c-3") and not store.has_cycle("")
    assert not store.has_cycle("../c-2")
    assert store_factory().cycle_ids() == ["b-9", "c-1", "c-2"]


def test_summaries_are_the_latest_stored_for_every_cycle(store, store_factory):
    assert store.summaries().summaries == []
    create(store, "c-1")
    create(store, "c-2")
    reader = store_factory()
    assert {s["cycle_id"] for s in reader.summaries().summaries} == {"c-1", "c-2"}
    store.append("c-1", 1, [event(2)], summary("c-1", 2, pauses=[["a", "b"]]))
    listed = reader.summaries()  # the same reader again: nothing it remembers may be stale
    by_id = {s["cycle_id"]: s for s in listed.summaries}
    assert plain(by_id["c-1"]) == summary("c-1", 2, pauses=[["a", "b"]])
    assert plain(by_id["c-2"]) == summary("c-2", 1)
    assert listed.problems == []


def test_a_damaged_cycle_is_a_problem_in_the_listing_not_a_failure(backend):
    store = backend.make()
    create(store, "c-1")
    store.append("c-1", 1, [event(2), event(3)], summary("c-1", 3))
    create(store, "c-2")
    backend.damage(store, "c-1")
    listed = backend.reopen(store).summaries()
    assert [s["cycle_id"] for s in listed.summaries] == ["c-2"]
    assert len(listed.problems) == 1 and "c-1" in str(listed.problems[0])


# -- definitions and drafts ------------------------------------------------------------------


def test_definitions_are_kept_by_digest_and_never_replaced(store, store_factory):
    store.put_definition(DIGEST, "[sop]\nnama = 'Ä'\n")
    store.put_definition(DIGEST, "something else")  # immutable: the first text stays
    assert store_factory().get_definition(DIGEST) == "[sop]\nnama = 'Ä'\n"
    assert DIGEST in store.definition_source(DIGEST)
    with pytest.raises(StoreError):
        store.get_definition("b" * 64)


def test_drafts_are_saved_loaded_and_cleared(store, store_factory):
    create(store, "c-1")
    assert store.load_draft("c-1") is None
    draft = {"step": 1, "values": {"x": "ketikan 😀"}}
    store.save_draft("c-1", draft)
    assert store_factory().load_draft("c-1") == draft
    store.save_draft("c-1", {"step": 2, "values": {}})
    assert store.load_draft("c-1") == {"step": 2, "values": {}}
    store.clear_draft("c-1")
    assert store.load_draft("c-1") is None
    store.clear_draft("c-1")  # clearing nothing is fine


# -- change token and location ---------------------------------------------------------------


def test_the_change_token_is_stable_without_writes_and_changes_with_a_new_cycle(
    store, store_factory
):
    before = store.change_token()
    assert store_factory().change_token() == before
    create(store, "c-1")
    after = store_factory().change_token()
    assert after != before
    assert store.change_token() == after


def test_the_location_names_where_the_data_lives(store, store_factory):
    assert store.location.strip()
    assert store_factory().location == store.location


# -- maintenance: check, recover, cleanup ----------------------------------------------------


def test_check_says_none_for_a_sound_cycle_and_why_for_a_damaged_one(backend):
    store = backend.make()
    create(store, "c-1")
    store.append("c-1", 1, [event(2), event(3)], summary("c-1", 3))
    assert store.check("c-1") is None
    backend.damage(store, "c-1")
    problem = backend.reopen(store).check("c-1")
    assert problem is not None and "c-1" in str(problem)
    with pytest.raises(CycleNotFound):
        store.check("nope")


def test_recover_leaves_a_sound_cycle_alone(store):
    create(store, "c-1")
    result = store.recover("c-1", lambda h, events: (summary("c-1", len(events)), len(events)))
    assert result.outcome == "ok" and result.aside is None
    assert store.load("c-1").version == 1


def _replays(cycle_id: str, seen: list[tuple[dict[str, Any], list[Event]]]):
    def rebuild(head: dict[str, Any], events: list[Event]) -> tuple[dict[str, Any], int]:
        seen.append((head, events))
        return summary(cycle_id, len(events), rebuilt=True), len(events)

    return rebuild


def test_recover_keeps_the_readable_prefix_and_the_original_aside(backend):
    store = backend.make()
    first = create(store, "c-1")
    store.append("c-1", 1, [event(2), event(3), event(4)], summary("c-1", 4))
    backend.damage(store, "c-1")
    seen: list[tuple[dict[str, Any], list[Event]]] = []
    result = backend.reopen(store).recover("c-1", _replays("c-1", seen))
    assert result.outcome == "recovered"
    assert result.aside is not None
    assert 1 <= result.kept <= result.found <= 4
    record = backend.reopen(store).load("c-1")
    assert record.events[0] == first
    assert [e.seq for e in record.events] == list(range(1, result.kept + 1))
    assert plain(record.summary) == summary("c-1", result.kept, rebuilt=True)
    head, events = seen[0]
    assert head["definition_digest"] == DIGEST and events[0] == first
    # a second repair finds nothing to do
    assert backend.reopen(store).recover("c-1", _replays("c-1", [])).outcome == "ok"


def test_recover_keeps_only_what_rebuild_could_replay(backend):
    store = backend.make()
    create(store, "c-1")
    store.append("c-1", 1, [event(2), event(3), event(4)], summary("c-1", 4))
    backend.damage(store, "c-1")
    result = backend.reopen(store).recover("c-1", lambda h, e: (summary("c-1", 1), 1))
    assert result.outcome == "recovered" and result.kept == 1
    assert backend.reopen(store).load("c-1").version == 1


def test_a_rebuild_that_fails_leaves_the_cycle_as_it_was(backend):
    store = backend.make()
    create(store, "c-1")
    store.append("c-1", 1, [event(2), event(3)], summary("c-1", 3))
    backend.damage(store, "c-1")

    def fails(head: dict[str, Any], events: list[Event]) -> tuple[dict[str, Any], int]:
        raise ValueError("the first event cannot be replayed")

    result = backend.reopen(store).recover("c-1", fails)
    assert result.outcome == "failed" and "cannot be replayed" in result.message.message("en")
    assert "tidak dapat dibangun ulang" in result.message.message("id")  # the same words
    assert backend.reopen(store).check("c-1") is not None  # still damaged, still there


def test_recover_of_an_unknown_cycle_is_not_found(store):
    create(store, "c-1")
    with pytest.raises(CycleNotFound):
        store.recover("nope", _replays("nope", []))


def test_cleanup_on_a_sound_store_removes_nothing(store):
    assert store.cleanup() == 0
    create(store, "c-1")
    assert store.cleanup() == 0
    assert store.load("c-1").version == 1
