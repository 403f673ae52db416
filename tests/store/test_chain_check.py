"""What `check_chain` (langkah/store/chain.py) finds in a log as stored, problem by problem:
the one named first is the first in the log, nothing is named that is not wrong, and a value a
hand put in the file (a time that is not one) is named or passed over, never a crash."""

from __future__ import annotations

from typing import Any

from langkah.engine.chain_hash import GENESIS, event_hash
from langkah.store.chain import check_chain

CYCLE = "kalipare-2026-t4-abc123"


def chained(count: int, **changes: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A header and `count` linked events as the store writes them (schema 2); `changes`:
    {seq: {key: value}} applied to events before they are linked."""
    events, prev = [], GENESIS
    for seq in range(1, count + 1):
        event = {
            "seq": seq,
            "type": "cycle_started" if seq == 1 else "note_added",
            "at": f"2026-10-05T02:{seq:02d}:00+00:00",
            "data": {"cycle_id": CYCLE, "period": "2026-T4"} if seq == 1 else {"text": "x"},
        }
        event.update(changes.get(f"e{seq}", {}))
        event["prev"] = prev
        prev = event_hash(event)
        events.append(event)
    header = {"schema": 2, "version": count, "head": prev, "cycle_id": CYCLE, "period": "2026-T4"}
    return header, events


def keys(header: dict[str, Any], events: list[Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(p.key, dict(p.params)) for p in check_chain(header, events).problems]


def test_an_untouched_log_has_no_problem_and_its_head():
    header, events = chained(4)
    check = check_chain(header, events)
    assert check.problems == [] and check.problem is None
    assert check.head == header["head"] and len(check.hashes) == 4 and check.chained


def test_a_log_with_gaps_names_its_first_missing_event_and_nothing_repeated():
    header, events = chained(6)
    kept = [e for e in events if e["seq"] not in (3, 5)]
    found = keys(header, kept)
    assert found[0] == ("chain.event_missing", {"seq": 3})
    assert not [k for k, _ in found if k == "chain.event_repeated"]


def test_an_event_numbered_0_is_an_extra_event():
    header, events = chained(3)
    extra = {**events[1], "seq": 0}
    found = keys(header, [extra, *events])
    assert ("chain.event_repeated", {"seq": 0}) in found
    assert not [k for k, _ in found if k == "chain.event_missing"]


def test_an_event_there_twice_is_named_once_as_repeated():
    header, events = chained(3)
    found = keys(header, [*events, events[1]])
    assert [p for p in found if p[0] == "chain.event_repeated"] == [
        ("chain.event_repeated", {"seq": 2})
    ]
    found = keys(header, [*events, events[2], {**events[0], "seq": 0}])  # two extra: 0 first
    assert [p for p in found if p[0] == "chain.event_repeated"] == [
        ("chain.event_repeated", {"seq": 0})
    ]


def test_the_first_problem_says_how_many_more_there_are():
    header, events = chained(3)
    header["head"] = "0" * 64
    header["period"] = "2026-T3"
    check = check_chain(header, events)
    assert [p.key for p in check.problems] == ["chain.last_differs", "chain.header_differs"]
    assert check.problem is not None and check.problem.key == "chain.and_more"
    assert check.problem.params["more"] == 1


def test_a_time_that_is_not_one_is_passed_over_and_the_next_is_compared_with_the_last_real_one():
    """`at` edited into words, or a time without its zone: not a time the order can use."""
    header, events = chained(
        4,
        e2={"at": "kemarin sore"},
        e3={"at": "2026-10-05T02:01:30"},  # no zone
        e4={"at": "2026-10-05T01:59:00+00:00"},  # before event 1
    )
    assert keys(header, events) == [("chain.time_backwards", {"seq": 4})]
    header, events = chained(3, e2={"at": 20261005}, e3={"at": "2026-10-05T02:03:00+00:00"})
    assert keys(header, events) == []


def test_a_head_that_names_an_earlier_event_of_a_longer_log_is_not_unknown():
    """One event too many after the head (the header says 3 of 4): that is what is named."""
    header, events = chained(4)
    header3, _ = chained(3)
    found = keys(header3, events)
    assert found == [("chain.more_events", {"seq": 4, "version": 3, "count": 4})]
    header3["head"] = "f" * 64
    assert ("chain.head_unknown", {}) in keys(header3, events)


def test_the_header_is_compared_with_the_first_event_not_the_last():
    header, events = chained(3)
    header["cycle_id"] = "mentebah-2026-t4-abc123"
    assert keys(header, events) == [("chain.header_differs", {"name": "cycle_id"})]
    header, events = chained(3, e3={"data": {"cycle_id": "lain", "text": "x"}})
    assert keys(header, events) == []  # a later event's data is not the cycle's header
    header, events = chained(2)
    header["cycle_id"] = "lain"
    events.append("bukan peristiwa")  # not an object: no seq, so it comes first
    found = keys(header, events)  # named; the header is not compared with it (no crash)
    assert ("chain.not_object", {}) in found
    assert not [k for k, _ in found if k == "chain.header_differs"]


def test_a_schema_1_log_is_checked_without_links():
    header, events = chained(3)
    header["schema"] = 1
    bare = [{k: v for k, v in e.items() if k != "prev"} for e in events]
    check = check_chain(header, bare)
    assert check.problems == [] and not check.chained and len(check.hashes) == 3
