"""Records appended to a cycle file (langkah/store/appended.py): a record cut short is an
unfinished write (never acknowledged) and reads as the version before it until the next
writer cuts it off; a whole record that is not one is damage, named; an edited record breaks
the chain; a kill at any step of an append loses nothing acknowledged."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from langkah.store import ConflictError, DamagedStoreError
from langkah.store.appended import RECORDS_BEFORE_WHOLE, RS, read_cycle_document
from langkah.store.tinydb_store import TinyDBStore
from tests.fault.conftest import note_texts, open_app
from tests.fault.test_kill_points import run
from tests.store.test_contract import event


def cycle_file(data_dir, cycle):
    return data_dir / "cycles" / f"{cycle}.json"


@pytest.fixture
def noted(app, cycles):
    for text in ("satu", "dua"):
        app.note(cycles[0], text)
    return cycles[0]


def test_a_record_cut_short_reads_as_the_version_before_and_the_next_writer_cuts_it_off(
    data_dir, noted
):
    path = cycle_file(data_dir, noted)
    whole = path.read_bytes()
    open_app(data_dir).note(noted, "tiga")
    with_three = path.read_bytes()
    cut = with_three[: len(whole) + (len(with_three) - len(whole)) // 2]
    path.write_bytes(cut)  # a writer killed half-way through its record
    fresh = open_app(data_dir)
    assert note_texts(fresh, noted) == ["satu", "dua"]
    assert fresh.verify(noted).problems == []
    assert [r.cycle_id for r in fresh.overview().rows].count(noted) == 1
    fresh.note(noted, "empat")  # cuts the unfinished record off, then appends its own
    raw = path.read_bytes()
    assert raw.startswith(whole) and raw.count(RS) == whole.count(RS) + 1
    again = open_app(data_dir)
    assert note_texts(again, noted) == ["satu", "dua", "empat"]
    assert again.verify(noted).problems == []


def test_a_record_finished_while_a_reader_kept_the_unfinished_file_is_read_again(data_dir, noted):
    path = cycle_file(data_dir, noted)
    before = path.read_bytes()
    open_app(data_dir).note(noted, "tiga")
    full = path.read_bytes()
    path.write_bytes(full[: len(before) + 10])  # the record being written, as a reader sees it
    reader = open_app(data_dir)
    assert note_texts(reader, noted) == ["satu", "dua"]
    with open(path, "ab") as handle:  # the writer finishes (same inode, same second maybe)
        handle.write(full[len(before) + 10 :])
    assert note_texts(reader, noted) == ["satu", "dua", "tiga"]  # not the kept version


def test_a_whole_record_that_is_not_one_is_damage_named_with_its_number(data_dir, noted):
    path = cycle_file(data_dir, noted)
    raw = path.read_bytes()
    path.write_bytes(raw + RS + b'{"cycle": 1}\n')
    fresh = open_app(data_dir)
    with pytest.raises(DamagedStoreError, match="appended record 3 does not hold"):
        fresh.open_cycle(noted)
    path.write_bytes(raw + RS + b'{"cycle":\n')
    with pytest.raises(DamagedStoreError, match="appended record 3 is not valid JSON"):
        open_app(data_dir).open_cycle(noted)
    path.write_bytes(raw[:-1] + RS + b"{}\n")  # a record whose line feed is missing
    with pytest.raises(DamagedStoreError, match="appended record 2 does not end"):
        open_app(data_dir).open_cycle(noted)
    assert any(noted in str(p) for p in open_app(data_dir).overview().problems)
    with pytest.raises(DamagedStoreError):
        open_app(data_dir).note(noted, "tidak")
    assert path.read_bytes() == raw[:-1] + RS + b"{}\n"  # nothing written


def test_a_record_edited_in_place_breaks_the_chain(data_dir, noted):
    path = cycle_file(data_dir, noted)
    raw = path.read_bytes()
    assert raw.count(b'"text":"satu"') == 1
    path.write_bytes(raw.replace(b'"text":"satu"', b'"text":"SATU"'))
    fresh = open_app(data_dir)
    problems = fresh.verify(noted).problems
    assert problems and "event 2" in problems[0].message("en")
    view = fresh.open_cycle(noted)
    assert view.read_only and view.integrity_problem is not None


def test_a_file_replaced_while_an_action_held_its_lock_is_not_appended_to(data_dir, noted):
    path = cycle_file(data_dir, noted)
    store = TinyDBStore(data_dir)
    with store.exclusive(noted):
        record = store.load(noted)
        copy = path.with_name("copy")
        shutil.copyfile(path, copy)
        os.replace(copy, path)  # same bytes, another file (a restore, an editor's save)
        replaced = path.read_bytes()
        with pytest.raises(ConflictError):
            store.append(noted, record.header["version"], [event(4)], dict(record.summary))
    assert path.read_bytes() == replaced


def test_the_file_is_written_whole_after_its_records(data_dir, app, noted):
    path = cycle_file(data_dir, noted)
    while path.read_bytes().count(RS) < RECORDS_BEFORE_WHOLE:
        app.note(noted, "lagi")
    merged = read_cycle_document(path)
    app.note(noted, "utuh")
    raw = path.read_bytes()
    assert RS not in raw
    data = read_cycle_document(path)
    assert list(data["events"])[:-1] == list(merged["events"])
    assert open_app(data_dir).verify(noted).problems == []


def test_a_kill_at_any_step_of_an_append_loses_nothing_acknowledged(tmp_path, data_dir, noted):
    pristine = tmp_path / "pristine"
    shutil.copytree(data_dir, pristine)
    path = cycle_file(data_dir, noted)
    killed = unfinished = landed = 0
    for step in range(1, 12):
        shutil.rmtree(data_dir)
        shutil.copytree(pristine, data_dir)
        result = run(data_dir, "note", noted, "dibunuh", kill_after=step)
        if result.returncode == 0:
            break  # the append has fewer steps than this
        killed += 1
        unfinished += not path.read_bytes().endswith(b"\n")
        texts = note_texts(open_app(data_dir), noted)
        landed += texts == ["satu", "dua", "dibunuh"]
        assert texts in (["satu", "dua"], ["satu", "dua", "dibunuh"])
        after = run(data_dir, "note", noted, "sesudah")
        assert after.returncode == 0, after.stderr
        fresh = open_app(data_dir)
        assert note_texts(fresh, noted)[-1] == "sesudah"
        assert fresh.verify(noted).problems == []
    assert killed >= 3 and unfinished >= 1 and landed >= 1


def test_a_record_holds_only_what_changed_in_the_header(data_dir, app, noted):
    path = cycle_file(data_dir, noted)
    before = read_cycle_document(path)["cycle"]["1"]
    app.pause(noted, "rapat ditunda")
    raw = path.read_bytes()
    record = json.loads(raw[raw.rindex(RS) + 1 :])
    changed = record["cycle"]["1"]
    after = read_cycle_document(path)["cycle"]["1"]
    assert set(changed) == {k for k in after if after[k] != before[k]} and "period" not in changed
    summary = changed["summary"]
    assert summary == {k: v for k, v in after["summary"].items() if before["summary"][k] != v}
    assert summary["status"] == "paused" and "cycle_id" not in summary
    assert read_cycle_document(path) == open_app(data_dir).store._read_raw(path).data


@pytest.mark.parametrize("unfinished", [False, True], ids=["whole", "whole+unfinished"])
def test_a_store_opened_on_a_whole_file_appends_exactly_its_records_before_writing_it_whole(
    data_dir, app, noted, unfinished
):
    """The count of records comes from the file as read: a file just written whole (with or
    without a record being written after it) takes RECORDS_BEFORE_WHOLE records, one per
    action, and the next action writes it whole again."""
    path = cycle_file(data_dir, noted)
    while RS in path.read_bytes():  # up to the next whole write
        app.note(noted, "lagi")
    if unfinished:
        with open(path, "ab") as handle:
            handle.write(RS + b'{"cycle":{"1":{"version":')  # a writer killed mid-record
    fresh = open_app(data_dir)  # reads the whole file: no records yet
    counts = []
    for _ in range(RECORDS_BEFORE_WHOLE + 1):
        fresh.note(noted, "catatan")
        counts.append(path.read_bytes().count(RS))
    assert counts == [*range(1, RECORDS_BEFORE_WHOLE + 1), 0]
    assert open_app(data_dir).verify(noted).problems == []
