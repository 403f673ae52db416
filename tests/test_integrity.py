"""The tamper-evident log (issue 11, part 2): the hash chain, `langkah verify`, read-only
cycles that do not verify, the verification code of a paper copy, and the schema-1 upgrade."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from langkah.engine.events import canonical_json, event_hash, verification_code
from langkah.store.appended import read_cycle_document
from tests.cli_support import Cli
from tests.fault.test_hostile_text import HOSTILE


@pytest.fixture
def cli(capsys, monkeypatch):
    return Cli(capsys, monkeypatch)


@pytest.fixture
def data() -> Path:
    return Path(os.environ["LANGKAH_DATA_DIR"])


def cycle_file(data: Path, cycle: str) -> Path:
    return data / "cycles" / f"{cycle}.json"


def edit(path: Path, change) -> None:
    doc = read_cycle_document(path)
    change(doc)
    path.write_text(json.dumps(doc))


def busy_cycle(cli: Cli) -> str:
    cycle = cli.start()
    for text in ("satu", "dua", "tiga"):
        cli("note", cycle, text)
    return cycle


def test_canonical_json_is_sorted_compact_utf8_with_escaped_lone_surrogates():
    assert canonical_json({"b": 1, "a": "é"}) == '{"a":"é","b":1}'.encode()
    assert canonical_json({"t": "x\udcff"}) == b'{"t":"x\\udcff"}'
    assert event_hash({"a": 1}) == event_hash({"a": 1}) != event_hash({"a": 2})


def _reference_canonical(value) -> bytes:
    """The canonical form as first defined (the stored hashes depend on these exact bytes)."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    text = re.sub("[\ud800-\udfff]", lambda m: f"\\u{ord(m.group()):04x}", text)
    return text.encode("utf-8")


HOSTILE_VALUES = [
    *HOSTILE,
    "\ud83d\ude00 a pair of surrogates as two code points",
    '\u2028\u2029 separators, "quotes" \\ backslash /',
    0,
    -1,
    2**70,
    1.5,
    1e16,
    -0.0,
    1e-7,
    float("nan"),
    float("inf"),
    True,
    None,
    [],
    {},
    {"z": [1, {"b": None, "a": "é"}], "é": 1, "E": 2, "\udcff": "kunci", "": ()},
]


@pytest.mark.parametrize("value", HOSTILE_VALUES, ids=range(len(HOSTILE_VALUES)))
def test_canonical_json_bytes_are_the_reference_bytes(value):
    for shaped in (value, [value], {"data": {"v": value, "seq": 3}, "prev": ""}):
        assert canonical_json(shaped) == _reference_canonical(shaped)


def test_every_event_links_to_the_one_before_and_the_header_to_the_last(cli, data):
    cycle = busy_cycle(cli)
    doc = read_cycle_document(cycle_file(data, cycle))
    events = sorted(doc["events"].values(), key=lambda e: e["seq"])
    assert events[0]["prev"] == ""
    for before, after in zip(events, events[1:], strict=False):
        assert after["prev"] == event_hash(before)
    assert doc["cycle"]["1"]["head"] == event_hash(events[-1])
    assert doc["cycle"]["1"]["schema"] == 2


def test_verify_passes_on_an_untouched_store(cli):
    busy_cycle(cli)
    cli.start("dawarblandong")
    out = cli("verify")
    assert "2 siklus terverifikasi: setiap log cocok dengan rantai hash dan definisinya" in out
    out = cli("--lang", "en", "verify")
    assert "verified 2 cycle(s): every log matches its hash chain and definition" in out


@pytest.mark.parametrize(
    ("what", "change", "named", "disebut"),
    [
        (
            "content",
            lambda d: d["events"]["2"]["data"].update(text="diubah"),
            "event 3 does not link to event 2",
            "peristiwa 3 tidak bertaut ke peristiwa 2",
        ),
        (
            "time",
            lambda d: d["events"]["3"].update(at="2026-10-01T01:25:00Z"),
            "event 4",
            "peristiwa 4",
        ),
        (
            "last",
            lambda d: d["events"]["4"]["data"].update(text="x"),
            "event 4 (the last)",
            "peristiwa 4 (yang terakhir)",
        ),
        (
            "missing",
            lambda d: (d["events"].pop("4"), d["cycle"]["1"].update(version=3)),
            "event 3 (the last) differs from the head hash",
            "peristiwa 3 (yang terakhir) berbeda dari hash akhir",
        ),
        (
            "extra",
            lambda d: d["cycle"]["1"].update(version=3),
            "event 4 is extra",
            "peristiwa 4 berlebih",
        ),
    ],
)
def test_a_hand_edit_is_named_by_verify_and_makes_the_cycle_read_only(
    cli, data, what, change, named, disebut
):
    cycle = busy_cycle(cli)
    other = cli.start("dawarblandong")
    edit(cycle_file(data, cycle), change)
    out, _ = cli.both("verify", status=1)  # Bahasa Indonesia by default
    assert f"{cycle}: {disebut}" in out, out
    assert other not in out and named not in out
    assert "1 dari 2 siklus TIDAK terverifikasi (hanya-baca sampai diselesaikan)" in out
    out, _ = cli.both("--lang", "en", "verify", status=1)
    assert f"{cycle}: {named}" in out and disebut not in out, out
    assert "1 of 2 cycle(s) do NOT verify (read-only until resolved)" in out
    if what == "extra":
        return  # the header disagrees with its log: the file is damaged (`repair`)
    shown = cli.show(cycle)  # JSON: in English whatever the language
    assert shown["read_only"] and named in shown["integrity_problem"]
    assert "tidak lolos verifikasi" in cli("show", cycle) and disebut in cli("show", cycle)
    assert "PERINGATAN" in cli("show", cycle)
    before = cycle_file(data, cycle).read_bytes()
    refused = cli("note", cycle, "lagi", status=1)
    assert "tidak lolos verifikasi" in refused and disebut in refused
    refused = cli("--lang", "en", "note", cycle, "lagi", status=1)
    assert "does not verify" in refused and named in refused
    assert cycle_file(data, cycle).read_bytes() == before  # nothing written
    status = cli("status")
    assert f"{cycle} !" in status and "PERINGATAN" in status
    rows = {r["cycle_id"]: r for r in json.loads(cli("status", "--json"))}
    assert rows[cycle]["read_only"] and not rows[other]["read_only"]


def test_an_emptied_pinned_definition_opens_read_only_with_the_warning(cli, data):
    cycle = busy_cycle(cli)
    (pinned,) = (data / "definitions").glob("*.toml")
    pinned.write_text("")
    out, _ = cli.both("verify", status=1)
    assert f"{cycle}: definisi yang disematkan {pinned.name} dikosongkan" in out
    out, _ = cli.both("--lang", "en", "verify", status=1)
    assert f"{cycle}: the pinned definition {pinned.name} was emptied" in out
    shown = cli.show(cycle)  # still opens: the catalog holds the text with that very hash
    assert shown["read_only"] and "emptied" in shown["integrity_problem"]
    assert "dikosongkan" in cli("note", cycle, "x", status=1)
    assert "PERINGATAN" in cli("status")


def test_an_edited_user_definition_that_no_longer_parses_is_named_without_a_traceback(
    cli, data, tmp_path
):
    user = Path(os.environ["LANGKAH_DEFS_DIR"])
    (user / "lokal").mkdir(parents=True, exist_ok=True)
    bundled = next(Path(__file__).parents[1].joinpath("sop_definitions", "kalipare").glob("*.toml"))
    (user / "lokal" / "kinerja.toml").write_text(bundled.read_text(encoding="utf-8"), "utf-8")
    cycle = cli("start", "lokal/kinerja", "--period", "2026-T3").strip()
    (user / "lokal" / "kinerja.toml").unlink()  # not in the catalog any more
    (pinned,) = (data / "definitions").glob("*.toml")
    pinned.write_text("this is [not toml")
    err = cli("show", cycle, status=1)
    assert "diubah setelah siklus dimulai" in err and "teksnya tidak bisa dimuat lagi" in err
    err = cli("--lang", "en", "show", cycle, status=1)
    assert "changed after the cycle started" in err and "its text no longer loads" in err
    _, err = cli.both("status")  # the listing's problem, in Bahasa Indonesia by default
    assert f"siklus {cycle}: " in err and "diubah setelah siklus dimulai" in err
    assert "changed after the cycle started" not in err
    _, err = cli.both("--lang", "en", "status")
    assert f"cycle {cycle}: " in err and "changed after the cycle started" in err


def test_the_report_prints_the_verification_code_and_a_notice_when_it_does_not_verify(cli, data):
    from langkah.report import build_document
    from langkah.service import Langkah
    from tests.report.docx_text import structure

    cycle = busy_cycle(cli)
    app = Langkah.open()
    view = app.open_cycle(cycle)
    text = "\n".join(structure(build_document(view)))
    assert f"Kode verifikasi: {verification_code(view.log_head)}" in text
    assert "tidak lolos verifikasi" not in text
    edit(cycle_file(data, cycle), lambda d: d["events"]["2"]["data"].update(text="diubah"))
    text = "\n".join(structure(build_document(Langkah.open().open_cycle(cycle))))
    assert "PERHATIAN: catatan siklus ini tidak lolos verifikasi" in text
    assert "(peristiwa 3 tidak bertaut ke peristiwa 2: isi peristiwa 2 berbeda" in text  # Bahasa


def test_a_paper_code_matches_its_version_of_the_log_and_not_a_rewritten_one(cli, data):
    cycle = busy_cycle(cli)
    code = cli.show(cycle)["verification_code"]
    assert "kode cocok dengan log saat ini (versi 4)" in cli("verify", cycle, "--code", code)
    out = cli("--lang", "en", "verify", cycle, "--code", code)
    assert "matches the log as it is now (version 4)" in out
    cli("note", cycle, "sesudah dicetak")
    out = cli("verify", cycle, "--code", code.upper().replace(" ", "-"))
    assert "kode cocok dengan versi 4 dari log" in out and "1 peristiwa dicatat sesudahnya" in out
    out = cli("--lang", "en", "verify", cycle, "--code", code.upper().replace(" ", "-"))
    assert "matches version 4 of the log" in out and "1 event(s) were recorded after" in out
    # rewrite the log consistently (chain and head recomputed): it verifies, but the paper
    # copy no longer matches it
    path = cycle_file(data, cycle)
    doc = read_cycle_document(path)
    events = sorted(doc["events"].values(), key=lambda e: e["seq"])
    events[1]["data"]["text"] = "ditulis ulang"
    prev = ""
    for event in events:
        event["prev"] = prev
        prev = event_hash(event)
    doc["cycle"]["1"]["head"] = prev
    path.write_text(json.dumps(doc))
    cli("verify", cycle)
    out, _ = cli.both("verify", cycle, "--code", code, status=1)
    assert "kode TIDAK cocok dengan versi mana pun dari log ini" in out
    out, _ = cli.both("--lang", "en", "verify", cycle, "--code", code, status=1)
    assert "does NOT match any version of this log" in out
    assert "bukan kode verifikasi" in cli("verify", cycle, "--code", "abc", status=2)


def write_schema_1(path: Path) -> bytes:
    """Turn a cycle file into the exact form Langkah wrote before the chain (schema 1)."""
    doc = read_cycle_document(path)
    header = doc["cycle"]["1"]
    header["schema"] = 1
    del header["head"]
    del header["summary"]["head"]
    for event in doc["events"].values():
        del event["prev"]
    raw = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()
    path.write_bytes(raw)
    return raw


def test_a_schema_1_file_reads_verifies_and_upgrades_losslessly(cli, data):
    cycle = busy_cycle(cli)
    old = write_schema_1(cycle_file(data, cycle))
    before = cli.show(cycle)
    assert not before["read_only"]
    out = cli("verify")
    assert "1 siklus belum memiliki rantai hash" in out and "1 siklus terverifikasi" in out
    out = cli("--lang", "en", "verify")
    assert "1 cycle(s) have no hash chain yet" in out and "verified 1" in out
    out = cli("verify", "--upgrade")
    assert f"{cycle}: ditingkatkan ke skema 2" in out
    assert "belum memiliki rantai hash" not in out
    new = read_cycle_document(cycle_file(data, cycle))
    old_events = json.loads(old)["events"]
    for doc_id, event in new["events"].items():  # every event kept as it was, plus its link
        assert {k: v for k, v in event.items() if k != "prev"} == old_events[doc_id]
    after = cli.show(cycle)
    assert after["verification_code"] == before["verification_code"]  # the code survives
    assert "ditingkatkan" not in cli("verify", "--upgrade")  # a second one changes nothing


def test_a_schema_1_file_is_upgraded_on_its_first_write(cli, data):
    cycle = busy_cycle(cli)
    write_schema_1(cycle_file(data, cycle))
    cli("note", cycle, "empat")
    doc = read_cycle_document(cycle_file(data, cycle))
    assert doc["cycle"]["1"]["schema"] == 2 and len(doc["events"]) == 5
    assert "1 siklus terverifikasi" in cli("verify")


# -- issue 11, part 10: a summary records the version and head it was computed from ----------


def test_status_recomputes_a_summary_that_disagrees_with_its_log(cli, data):
    cycle = busy_cycle(cli)
    cli("pause", cycle, "--reason", "menunggu")
    path = cycle_file(data, cycle)
    right = read_cycle_document(path)["cycle"]["1"]["summary"]
    assert (
        right["version"] == 5 and right["head"] == read_cycle_document(path)["cycle"]["1"]["head"]
    )

    def stale(doc):  # the summary of an earlier version, as a lost write would leave it
        doc["cycle"]["1"]["summary"].update(version=4, status="active", head="0" * 64)

    edit(path, stale)
    rows = {r["cycle_id"]: r for r in json.loads(cli("status", "--json"))}
    assert rows[cycle]["status"] == right["status"] == "paused"
    assert read_cycle_document(path)["cycle"]["1"]["summary"] == right  # stored again
    assert "1 siklus terverifikasi" in cli("verify")


def test_a_summary_cache_entry_that_disagrees_is_not_trusted(cli, data):
    from langkah.service import Langkah

    cycles = [busy_cycle(cli) for _ in range(18)]  # enough changes to write the cache file
    Langkah.open().overview()
    cache = data / "summary-cache.json"
    meta, body = cache.read_bytes().split(b"\n", 1)
    entries = json.loads(body)
    entries["entries"][f"{cycles[0]}.json"][1]["current_step"] = 9
    cache.write_bytes(meta + b"\n" + json.dumps(entries).encode())
    rows = {r.cycle_id: r for r in Langkah.open().overview().rows}
    assert rows[cycles[0]].current_step == 1
