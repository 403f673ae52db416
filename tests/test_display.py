"""Untrusted text never reaches a terminal raw (issue 11 part 4): the display sanitiser, and
every CLI text path that shows text from people or files; stored text and JSON stay lossless."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import docx
import pytest

from langkah.display import json_text, visible
from langkah.store.appended import read_cycle_document
from tests.cli_support import Cli
from tests.fault.test_hostile_text import HOSTILE
from tests.report.docx_text import all_text

# What must never reach a terminal raw: C0 but tab/newline, DEL, C1, bidi, separators, surrogates
RAW = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029"
    "\ud800-\udfff]"
)
RAW_ONE_LINE = re.compile(f"[{RAW.pattern[1:-1]}\t\n]")
ESC_SEQUENCES = "judul\x1b]0;DIRETAS\x07 \x1b[2J\x1b[H\x1b[31mmerah\x1b[0m \x9b31m akhir"
CORPUS = [*HOSTILE, ESC_SEQUENCES, "[bold red]PENTING[/bold red]", "ok\rPALSU"]


# -- the sanitiser itself -------------------------------------------------------------------


def test_controls_and_bidi_are_shown_as_escapes():
    assert visible("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert visible("\x00\x07\x7f\x80\x9b") == "\\x00\\x07\\x7f\\x80\\x9b"
    assert visible("x\u202ey\u2066z\u2069\u200e\u200f\u061c") == (
        "x\\u202ey\\u2066z\\u2069\\u200e\\u200f\\u061c"
    )
    assert visible("bad \udcff lone \ud800") == "bad \\udcff lone \\ud800"
    assert visible("ok\rPALSU") == "ok\\rPALSU"  # a carriage return cannot overwrite a line
    assert visible("a\u2028b\ufffe") == "a\\u2028b\\ufffe"


def test_tab_and_newline_are_kept_only_where_several_lines_are_allowed():
    assert visible("a\tb\nc") == "a\tb\nc"
    assert visible("a\tb\nc", one_line=True) == "a\\tb\\nc"


@pytest.mark.parametrize(
    "text",
    [
        "Pelayanan Administrasi Terpadu Kecamatan (PATEN) — Dawarblandong, Rp 1.500,00",
        "emoji 😀👩‍👩‍👧🇮🇩 👍🏽 ❤️ selesai",
        "中文 日本語 한국어",
        "مرحبا بالعالم שלום",
        "[bold red]markup[/] <w:p> & 'x' = \"y\"\n[table]",
        "",
    ],
)
def test_ordinary_text_is_left_exactly_as_it_is(text):
    assert visible(text) == text
    assert visible(text.replace("\n", " "), one_line=True) == text.replace("\n", " ")


def test_a_long_note_goes_through_whole():
    note = ("panjang \x1b " * 10_000)[:100_000]
    shown = visible(note)
    assert not RAW.search(shown) and shown.count("\\x1b") == note.count("\x1b")


@pytest.mark.parametrize("text", CORPUS)
def test_json_text_is_lossless_and_terminal_safe(text):
    dumped = json_text({"t": text})
    assert json.loads(dumped) == {"t": text}
    assert not RAW.search(dumped)
    dumped.encode("utf-8")  # valid UTF-8: no lone surrogate left raw


# -- the command line --------------------------------------------------------------------------


@pytest.fixture
def cli(capsys, monkeypatch):
    return Cli(capsys, monkeypatch)


def _texts(value) -> list[str]:
    """Every "text" value anywhere in a JSON document."""
    if isinstance(value, dict):
        found = [value["text"]] if isinstance(value.get("text"), str) else []
        return found + [t for v in value.values() for t in _texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return []


def _store_text(data_dir: Path, cycle: str) -> str:
    return json.dumps(read_cycle_document(data_dir / "cycles" / f"{cycle}.json"))


def test_notes_are_stored_exactly_shown_visibly_and_round_trip_in_json(cli):
    cycle = cli.start()
    for text in CORPUS:
        if "\x00" in text or re.search("[\ud800-\udfff]", text):
            continue  # not what argv can carry; the service path below covers them
        cli("note", cycle, text)
    out = cli("show", cycle)
    assert not RAW.search(out), "the show text carries a raw control or bidi character"
    assert "\\x1b]0;DIRETAS\\x07" in out and "[bold red]PENTING[/bold red]" in out
    data = cli.show(cycle)
    noted = [n["text"] for v in data["history"] for n in v["notes"]]
    assert ESC_SEQUENCES in noted and "ok\rPALSU" in noted  # JSON gives back exactly
    raw_json = cli("show", cycle, "--json")
    assert not RAW.search(raw_json)
    # stored byte-exact: the events in the file hold the very text given
    events = json.loads(raw_json)["events"] if "events" in raw_json else None
    data_dir = Path(os.environ["LANGKAH_DATA_DIR"])
    stored = json.loads(_store_text(data_dir, cycle))
    assert ESC_SEQUENCES in _texts(stored) and "ok\rPALSU" in _texts(stored)
    assert events is None or any(e["data"].get("text") == ESC_SEQUENCES for e in events)


def test_the_whole_corpus_through_the_service_is_safe_in_every_cli_view(cli):
    from langkah.engine.cycle import Person
    from langkah.service import Langkah

    cycle = cli.start()
    app = Langkah.open(clock=lambda: cli.now)
    for text in CORPUS:
        app.note(cycle, text)
    app.update_roles(
        cycle, {"tim": Person(name=HOSTILE[0], nip="NI PPPK 1 " + HOSTILE[8], rank=HOSTILE[3])}
    )
    app.record_inputs(cycle, {"data_kinerja_iku": True})
    app.pause(cycle, ESC_SEQUENCES + HOSTILE[3])
    for args in (["show", cycle], ["status"], ["status", "--all"]):
        out, err = cli.both(*args)
        assert not RAW.search(out + err), args
    raw_json = cli("show", cycle, "--json")
    assert not RAW.search(raw_json)
    data = json.loads(raw_json)
    assert sorted(n["text"] for v in data["history"] for n in v["notes"]) == sorted(CORPUS)
    assert data["roles"]["tim"]["nip"] == "NI PPPK 1 " + HOSTILE[8]  # lone surrogates survive JSON
    assert not RAW.search(cli("status", "--json"))


def test_error_messages_that_quote_input_are_shown_visibly(cli):
    cycle = cli.start()
    for args in (
        ["show", "\x1b[2J\x1b]0;x\x07"],
        ["complete", "\u202eabcd"],
        ["input", cycle, "\x1b[31m=1"],
        ["start", "\x1b[2Jkalipare", "--period", "2026-T3"],
        ["start", "kalipare", "--period", "\x9b2J"],
        ["roles", cycle, "--role", "\x1b[2J"],
        ["report", cycle, "--paper", "\x1b[31m"],  # argparse's own message
    ):
        code = 2 if args[0] == "report" else 1
        out, err = cli.both(*args, status=code)
        assert not RAW.search(out + err), (args, err)
        if code == 1:  # the service's messages are one line, whatever the input held
            assert not RAW_ONE_LINE.search(err.rstrip("\n")), (args, err)
        assert "\\x1b" in err or "\\u202e" in err or "\\x9b" in err, (args, err)


def test_validate_and_sops_show_file_text_visibly(cli, tmp_path):
    bad = tmp_path / "jahat.toml"
    bad.write_text('format = 1\n"\\u001b[2J\\u202e" = 1\n', encoding="utf-8")
    out, err = cli.both("validate", str(bad), status=1)
    assert not RAW.search(out + err) and "\\x1b[2J\\u202e" in out


def test_a_hostile_definition_is_shown_visibly_in_status_and_show(cli):
    from tests.fault.test_hostile_text import DEFINITION

    defs = Path(os.environ["LANGKAH_DEFS_DIR"]) / "uji"
    defs.mkdir(parents=True)
    text = DEFINITION.replace('kecamatan = "Uji"', 'kecamatan = "Uji\\u001b[2J\\u202e"').replace(
        'activity = "Menulis uraian"', 'activity = "Menulis\\u001b]0;x\\u0007 uraian"'
    )
    (defs / "teks.toml").write_text(text, encoding="utf-8")
    cycle = cli("start", "uji/teks", "--period", "2026-T4").strip()
    for args in (["show", cycle], ["status"], ["sops"], ["validate"]):
        out, err = cli.both(*args)
        assert not RAW.search(out + err), (args, out)
    assert "Uji\\x1b[2J\\u202e" in cli("status")


def test_report_reads_back_hostile_text_visibly(cli, tmp_path):
    from langkah.service import Langkah

    cycle = cli.start()
    app = Langkah.open(clock=lambda: cli.now)
    for text in CORPUS:
        app.note(cycle, text)
    target = tmp_path / "laporan.docx"
    cli("report", cycle, "-o", str(target))
    text = all_text(docx.Document(str(target)))
    assert not RAW.search(text)
    assert visible(ESC_SEQUENCES) in text
    assert "x" * 100_000 in text and "[bold red]PENTING[/bold red]" in text


# -- undecodable argv -------------------------------------------------------------------------


@pytest.mark.parametrize("json_flag", [[], ["--json"]])
def test_undecodable_argv_bytes_get_a_clear_message_not_a_traceback(cli, json_flag):
    cycle = cli.start()
    for argv in ([b"show", b"abc\xff", *json_flag], [b"note", cycle.encode(), b"caf\xe9"]):
        result = subprocess.run(
            [sys.executable, "-m", "langkah.main", *argv],
            capture_output=True,
            env={**os.environ, "LANGKAH_NOW": cli.now.isoformat(), "PYTHONIOENCODING": ""},
            check=False,
        )
        err = result.stderr.decode("utf-8")
        assert result.returncode == 2, err
        assert "Traceback" not in err and result.stdout == b""
        assert "UTF-8" in err and "\\xff" in err or "\\xe9" in err, err
    assert cli.show(cycle)["version"] == 1  # the note was not recorded


def test_undecodable_argv_in_process_is_refused_too(cli):
    assert "UTF-8" in cli("show", "abc\udcff", "--json", status=2)
