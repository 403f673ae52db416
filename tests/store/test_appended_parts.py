"""The parts of langkah/store/appended.py on their own: how a file with records is read
(`parse_cycle`), what a record says of the header (`header_change`), a record's bytes
(`record_bytes`), and which records are refused, each named. The store-level behaviour
(cut records, kills, whole writes) is in tests/fault/test_appended_records.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from langkah.store.appended import RS, header_change, parse_cycle, record_bytes
from langkah.store.base import DamagedStoreError

PATH = Path("siklus.json")
HEADER = {"version": 2, "head": "h2", "summary": {"status": "running", "step": 1}}


def document(header: object = None, events: object = None) -> bytes:
    header = HEADER if header is None else header
    events = {"1": {"type": "started"}, "2": {"type": "note"}} if events is None else events
    return json.dumps({"cycle": {"1": header}, "events": events}).encode()


def record(change: object, events: object) -> bytes:
    return RS + json.dumps({"cycle": {"1": change}, "events": events}).encode() + b"\n"


def refused(raw: bytes) -> str:
    """What the damage is, as said in English inside the store's message."""
    with pytest.raises(DamagedStoreError) as caught:
        parse_cycle(PATH, raw)
    message = str(caught.value)
    assert message.startswith("siklus.json: damaged store file (")
    return message[len("siklus.json: damaged store file (") : message.index(") (`langkah repair`")]


# -- reading ----------------------------------------------------------------------------------


def test_a_document_without_records_is_read_whole():
    raw = document()
    parsed = parse_cycle(PATH, raw)
    assert parsed == (json.loads(raw), len(raw), 0)


def test_records_are_merged_in_order_and_counted():
    raw = (
        document()
        + record({"version": 3, "head": "h3"}, {"3": {"type": "note"}})
        + record({"version": 4, "summary": {"step": 2}}, {"4": {"type": "done"}})
    )
    parsed = parse_cycle(PATH, raw)
    header = parsed.data["cycle"]["1"]
    assert header == {"version": 4, "head": "h3", "summary": {"status": "running", "step": 2}}
    assert list(parsed.data["events"]) == ["1", "2", "3", "4"]
    assert parsed.consumed == len(raw) and parsed.records == 2


def test_an_unfinished_record_alone_is_not_read_nor_counted():
    whole = document()
    raw = whole + RS + b'{"cycle":{"1":{"version":3}},"ev'
    parsed = parse_cycle(PATH, raw)
    assert parsed == (json.loads(whole), len(whole), 0)


def test_a_document_ending_with_a_line_feed_then_an_unfinished_record_reads_as_the_document():
    """An editor may end the document with a line feed; the record after it was cut short."""
    whole = document() + b"\n"
    parsed = parse_cycle(PATH, whole + RS + b'{"cycle":')
    assert parsed == (json.loads(whole), len(whole), 0)


def test_an_unfinished_record_after_finished_ones_is_left_out():
    finished = document() + record({"version": 3}, {"3": {"type": "note"}})
    parsed = parse_cycle(PATH, finished + RS + b'{"cycle":{"1":{}},"events":{"4"')
    assert parsed.consumed == len(finished) and parsed.records == 1
    assert list(parsed.data["events"]) == ["1", "2", "3"]


def test_a_file_beginning_with_a_record_has_no_document():
    assert refused(record({"version": 3}, {"3": {}})) == "empty file"


@pytest.mark.parametrize(
    "raw",
    [
        json.dumps({"events": {"1": {}}}).encode(),  # no cycle table
        json.dumps({"cycle": {"1": HEADER}}).encode(),  # no events table
        json.dumps({"cycle": [HEADER], "events": {"1": {}}}).encode(),
        json.dumps({"cycle": {"1": HEADER}, "events": []}).encode(),
        document(header=["not", "a", "header"]),
        document(header={"version": 2, "head": "h2"}),  # a header without its summary
        document(header={"version": 2, "summary": "running"}),
    ],
    ids=[
        "no-cycle",
        "no-events",
        "cycle-list",
        "events-list",
        "header-list",
        "no-summary",
        "summary-text",
    ],
)
def test_records_after_a_document_without_a_cycle_header_are_refused(raw):
    assert refused(raw + record({"version": 3}, {"3": {}})) == "no cycle header"


@pytest.mark.parametrize(
    "part",
    [
        json.dumps({"cycle": {"1": {}}, "events": {"3": {}}, "more": 1}),
        json.dumps({"cycle": [{}], "events": {"3": {}}}),
        json.dumps({"cycle": {"1": {}, "2": {}}, "events": {"3": {}}}),
        json.dumps({"cycle": {"1": "version 3"}, "events": {"3": {}}}),
        json.dumps({"cycle": {"1": {"summary": ["done"]}}, "events": {"3": {}}}),
        json.dumps({"cycle": {"1": {}}, "events": [{}]}),
        json.dumps({"cycle": {"1": {}}, "events": {}}),
        json.dumps(["cycle", "events"]),
    ],
    ids=[
        "extra-key",
        "cycle-list",
        "two-headers",
        "header-text",
        "summary-list",
        "events-list",
        "no-events",
        "not-an-object",
    ],
)
def test_a_record_of_another_shape_is_refused_with_its_number(part):
    raw = document() + record({"version": 3}, {"3": {}}) + RS + part.encode() + b"\n"
    assert refused(raw) == "appended record 2 does not hold a header and events"


@pytest.mark.parametrize(
    "tail",
    [b"\n", b"\n" + b'{"cycle":{"1":{}},"events":{"4":{}}}\n'],
    ids=["blank-line", "second-line"],
)
def test_a_record_holding_more_than_one_line_is_refused_as_not_ended(tail):
    raw = document() + record({"version": 3}, {"3": {}}) + tail
    assert refused(raw) == "appended record 1 does not end with a line feed"


# -- writing ----------------------------------------------------------------------------------


def test_a_record_of_several_events_reads_back_as_they_were_given():
    encoded = [(3, b'{"type":"completed"}'), (4, b'{"type":"entered"}'), (12, b"{}")]
    line = record_bytes(b'{"version":3}', encoded)
    assert line.startswith(RS) and line.endswith(b"\n") and line.count(b"\n") == 1
    assert json.loads(line[1:]) == {
        "cycle": {"1": {"version": 3}},
        "events": {"3": {"type": "completed"}, "4": {"type": "entered"}, "12": {}},
    }
    parsed = parse_cycle(PATH, document() + line)
    assert list(parsed.data["events"]) == ["1", "2", "3", "4", "12"]
    assert parsed.data["cycle"]["1"]["version"] == 3


def test_the_header_change_holds_the_changed_values_only():
    new = {"version": 3, "head": "h3", "summary": {"status": "running", "step": 2}}
    assert header_change(HEADER, new) == {"version": 3, "head": "h3", "summary": {"step": 2}}
    assert header_change(HEADER, dict(HEADER)) == {}
    same_summary = {**HEADER, "version": 3}
    assert header_change(HEADER, same_summary) == {"version": 3}  # no empty summary


@pytest.mark.parametrize(
    "new",
    [
        {**HEADER, "paused_at": "2026-10-05"},  # a key came
        {"version": 3, "summary": HEADER["summary"]},  # a key went
        {**HEADER, "summary": {**HEADER["summary"], "overdue": True}},  # in the summary
        {**HEADER, "summary": {"status": "running"}},
        {**HEADER, "summary": None},
    ],
    ids=[
        "header-key-came",
        "header-key-went",
        "summary-key-came",
        "summary-key-went",
        "summary-gone",
    ],
)
def test_a_key_that_came_or_went_asks_for_a_whole_write(new):
    assert header_change(HEADER, new) is None


def test_a_header_without_a_summary_before_asks_for_a_whole_write():
    old = {"version": 2, "head": "h2", "summary": None}
    assert header_change(old, HEADER | {"summary": {}}) is None
    assert header_change(old, dict(old)) is None
