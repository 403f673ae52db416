"""What the store finds is said in the chosen language: every reason the store, `verify`,
`repair` and `migrate` give is a message key with a Bahasa Indonesia and an English text; the
commands speak Indonesian by default and English with --lang en; a reason kept in the summary
cache comes back as the same message."""

from __future__ import annotations

import ast
import hashlib
import json
import os
import re
from pathlib import Path

import pytest

from langkah.messages import FRAMES, MESSAGES, Text, say
from langkah.store.appended import read_cycle_document
from langkah.store.chain import check_chain
from langkah.store.tinydb_store import TinyDBStore
from tests.cli_support import Cli
from tests.store.test_contract import create, event, summary

ROOT = Path(__file__).resolve().parents[2] / "langkah"
SPEAKERS = [
    *sorted((ROOT / "store").glob("*.py")),
    ROOT / "cli" / "store_commands.py",
    ROOT / "cli" / "migrate_command.py",
    ROOT / "service.py",
]
"""The modules whose reasons reach `verify`, `repair` and `migrate`."""


def _said_keys() -> list[tuple[str, str]]:
    """(module, key) of every say("key", ...) with a literal key in SPEAKERS."""
    found = []
    for path in SPEAKERS:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "say"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found.append((path.name, node.args[0].value))
    return sorted(set(found))


def _recovery_outcomes() -> list[str]:
    """The outcome (third argument) of every Recovery(...) the stores build."""
    outcomes = set()
    for path in sorted((ROOT / "store").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "Recovery"
                and len(node.args) >= 3
            ):
                outcome = node.args[2]
                assert isinstance(outcome, ast.Constant), f"{path.name}: an outcome not a word"
                outcomes.add(outcome.value)
    return sorted(outcomes)


def test_the_scan_finds_the_reasons_of_every_part():
    keys = {key for _, key in _said_keys()}
    for family in ("chain.", "repair.", "migrate.", "verify.", "definition."):
        assert any(key.startswith(family) for key in keys), family
    assert set(_recovery_outcomes()) == {"ok", "newer", "recovered", "unrecoverable", "failed"}


@pytest.mark.parametrize(("module", "key"), _said_keys())
def test_every_reason_said_has_an_indonesian_and_an_english_text(module, key):
    assert key in MESSAGES, f"{module}: say({key!r}) has no entry in langkah/messages.py"
    indonesian, english = MESSAGES[key]
    assert indonesian.strip() and english.strip(), key
    if key not in FRAMES:
        assert indonesian != english, f"{key}: no Indonesian text (it is the English one)"
        # an English sentence pasted as the "Indonesian" one
        words = set(re.findall(r"[a-z]+", re.sub(r"\{[^}]*\}", "", indonesian.lower())))
        assert not words & {"the", "is", "of", "does", "not", "was", "its", "cycle"}, key


@pytest.mark.parametrize("outcome", _recovery_outcomes())
def test_every_repair_outcome_has_a_word_in_both_languages(outcome):
    indonesian, english = MESSAGES[f"outcome.{outcome}"]
    assert english == outcome and indonesian and indonesian != english


def test_a_chain_check_says_its_problems_in_either_language():
    raw = [{"seq": 1, "prev": "", "data": {"period": "2026-T3"}}]
    header = {"schema": 2, "version": 1, "head": "0" * 64, "period": "2026-T2"}
    check = check_chain(header, raw)
    assert [p.key for p in check.problems] == ["chain.last_differs", "chain.header_differs"]
    problem = check.problem
    assert problem is not None
    assert problem.message("id") == (
        "peristiwa 1 (yang terakhir) berbeda dari hash akhir di header (diubah setelah ditulis, "
        "atau header-nya yang diubah) (dan 1 lagi: langkah verify menampilkan semuanya)"
    )
    assert problem.message("en") == (
        "event 1 (the last) differs from the head hash in the header (changed after it was "
        "written, or the header was) (and 1 more: langkah verify lists them)"
    )
    assert str(problem) == problem.message("en")  # str(): the English, as before
    assert check.problems[1].message("id") == (
        "nilai period di header berbeda dari yang dicatat peristiwa 1"
    )


def test_a_text_survives_json_with_its_nested_texts():
    text = say("chain.and_more", problem=say("chain.broken_link", seq=3, before=2), more=2)
    again = Text.from_json(json.loads(json.dumps(text.to_json())))
    assert again == text
    assert again.message("id").startswith("peristiwa 3 tidak bertaut ke peristiwa 2")
    with pytest.raises(KeyError):
        Text.from_json({"key": "no.such.key", "params": {}})
    with pytest.raises(TypeError):
        Text.from_json("event 3 does not link to event 2")


def _tampered(store: TinyDBStore, cycle_id: str) -> None:
    create(store, cycle_id)
    store.append(cycle_id, 1, [event(2), event(3)], summary(cycle_id, 3))
    path = store.cycles_dir / f"{cycle_id}.json"
    doc = read_cycle_document(path)
    doc["events"]["2"]["data"]["text"] = "diubah"
    path.write_text(json.dumps(doc))


def test_the_summary_cache_keeps_a_problem_as_its_message(tmp_path):
    store = TinyDBStore(tmp_path)
    _tampered(store, "c-1")
    listed = store.summaries()
    problem = listed.integrity["c-1"]
    assert problem.key == "chain.broken_link"
    store._write_summary_cache(store._summary_cache())
    body = store.summary_cache_path.read_bytes().partition(b"\n")[2]
    kept = json.loads(body)["entries"]["c-1.json"][2]
    assert kept == {"key": "chain.broken_link", "params": {"seq": 3, "before": 2}}
    again = TinyDBStore(tmp_path)._summary_cache()["c-1.json"][2]
    assert again == problem and "peristiwa 3" in again.message("id")


def test_a_summary_cache_of_the_english_sentences_format_is_rebuilt(tmp_path):
    store = TinyDBStore(tmp_path)
    _tampered(store, "c-1")
    store.summaries()
    store._write_summary_cache(store._summary_cache())
    path = store.summary_cache_path
    meta, _, body = path.read_bytes().partition(b"\n")
    data = json.loads(body)
    data["entries"]["c-1.json"][2] = "event 3 does not link to event 2"  # as format 2 kept it
    new_body = json.dumps(data).encode()
    old_meta = {**json.loads(meta), "format": 2, "sha256": hashlib.sha256(new_body).hexdigest()}
    path.write_bytes(json.dumps(old_meta).encode() + b"\n" + new_body)
    assert TinyDBStore(tmp_path)._summary_cache() == {}  # ignored: rebuilt from the files
    assert TinyDBStore(tmp_path).summaries().integrity["c-1"].key == "chain.broken_link"


def test_a_repair_report_is_the_same_message_on_every_backend_in_either_language(backend):
    store = backend.make()
    create(store, "c-1")
    store.append("c-1", 1, [event(2), event(3), event(4)], summary("c-1", 4))
    backend.damage(store, "c-1")
    result = backend.reopen(store).recover("c-1", lambda h, e: (summary("c-1", 1), 1))
    assert result.outcome == "recovered" and result.kept == 1
    indonesian, english = result.message.message("id"), result.message.message("en")
    # what was wrong (the file, or the rows), in Indonesian too
    assert "berkas penyimpanan rusak" in indonesian or "siklus tersimpan rusak" in indonesian
    assert "damaged store file" in english or "damaged stored cycle" in english
    assert "; peristiwa 1-1 dari " in indonesian and "; kept events 1-1 of " in english
    if result.found > 1:  # events found after the one kept: how many, and why
        assert result.message.key == "repair.kept_some"
        assert "(peristiwa 2 tidak dapat diterapkan ulang pada definisi siklus)" in indonesian
        assert "(event 2 cannot be replayed on the cycle's definition)" in english
    else:
        assert result.message.key == "repair.kept"
        assert "disimpan" in indonesian and "kept" in english
    again = backend.reopen(store).recover("c-1", lambda h, e: (summary("c-1", 1), 1))
    assert again.outcome == "ok" and again.message == say("repair.ok")
    assert again.message.message("id") == "siklus dapat dimuat; tidak ada yang perlu dilakukan"
    assert again.message.message("en") == "the cycle loads; nothing to do"


# -- the commands ----------------------------------------------------------------------------


@pytest.fixture
def cli(capsys, monkeypatch):
    return Cli(capsys, monkeypatch)


def _tamper_period(data: Path) -> str:
    (path,) = (data / "cycles").glob("*.json")
    # as `sed -i 's/2026-T3/2026-T2/'` does it: the first on each line (the header's)
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(line.replace("2026-T3", "2026-T2", 1) for line in lines))
    return path.stem


def test_verify_repair_and_migrate_speak_indonesian_by_default(cli, tmp_path):
    cli("start", "dawarblandong", "--period", "2026-T3")
    cycle = _tamper_period(Path(os.environ["LANGKAH_DATA_DIR"]))
    out, _ = cli.both("verify", status=1)
    assert out.splitlines() == [
        f"{cycle}: nilai period di header berbeda dari yang dicatat peristiwa 1",
        "1 dari 1 siklus TIDAK terverifikasi (hanya-baca sampai diselesaikan)",
    ]
    assert cli("repair").splitlines() == ["1 berkas siklus diperiksa: 1 baik"]
    out, err = cli.both("migrate", "--to", str(tmp_path / "other"), status=1)
    assert out.splitlines()[1:] == [
        "[1/1] 0 disalin, 0 sudah ada, 1 ditolak",
        "migrate: 0 disalin, 0 sudah ada, 1 ditolak; 0 definisi, 0 draf disalin",
    ]
    assert out.startswith("migrate: dari ")
    assert err.splitlines() == [
        f"siklus {cycle}: ditolak: log-nya tidak terverifikasi: nilai period di header berbeda "
        f"dari yang dicatat peristiwa 1 (tidak ada yang disalin; `langkah verify {cycle}` "
        "menjelaskan lebih lanjut)",
        "migrate: 1 siklus ditolak (disebut di atas); selebihnya telah disalin",
    ]


@pytest.mark.parametrize("how", ["option", "environment"])
def test_verify_repair_and_migrate_speak_english_when_asked(cli, tmp_path, monkeypatch, how):
    cli("start", "dawarblandong", "--period", "2026-T3")
    cycle = _tamper_period(Path(os.environ["LANGKAH_DATA_DIR"]))
    english: tuple[str, ...] = ("--lang", "en")
    if how == "environment":
        monkeypatch.setenv("LANGKAH_LANG", "en")
        english = ()
    out, _ = cli.both(*english, "verify", status=1)
    assert out.splitlines() == [
        f"{cycle}: the header's period differs from the one event 1 records",
        "1 of 1 cycle(s) do NOT verify (read-only until resolved)",
    ]
    assert cli(*english, "repair").splitlines() == ["checked 1 cycle file(s): 1 ok"]
    out, err = cli.both(*english, "migrate", "--to", str(tmp_path / "other"), status=1)
    assert (
        out.startswith("migrate: from ") and "[1/1] 0 copied, 0 already present, 1 refused" in out
    )
    assert err.splitlines()[0].startswith(f"cycle {cycle}: refused: its log does not verify: ")
    assert err.splitlines()[1] == "migrate: 1 cycle(s) refused (named above); the rest were copied"


def test_a_repair_that_cannot_rebuild_says_why_in_either_language(cli):
    cycle = cli.start("kalipare")
    for text in ("satu", "dua", "tiga"):
        cli("note", cycle, text)
    data = Path(os.environ["LANGKAH_DATA_DIR"])
    path = data / "cycles" / f"{cycle}.json"
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) * 2 // 3] + b"\n")  # cut short (and a line feed after)
    for pinned in (data / "definitions").glob("*.toml"):
        pinned.unlink()  # and the definition to replay it on is gone
    out, _ = cli.both("repair", cycle, status=1)
    assert f"{path}: gagal: {path}: berkas penyimpanan rusak" in out
    assert "tidak dapat dibangun ulang (" in out
    assert "definisi yang dipakai saat siklus ini dimulai tidak ditemukan" in out
    assert "siklus dibiarkan apa adanya" in out
    assert "1 berkas siklus diperiksa: 1 gagal" in out
    out, _ = cli.both("--lang", "en", "repair", cycle, status=1)
    assert f"{path}: failed: {path}: damaged store file" in out
    assert "the definition this cycle started with is missing" in out
    assert "checked 1 cycle file(s): 1 failed" in out
