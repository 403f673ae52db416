"""Hostile user text, unwritable paths, the CLI, and LibreOffice opening the result."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import docx
import pytest

from langkah.cli.main import main
from langkah.engine.cycle import Person
from langkah.report import ReportError, ReportOptions, default_report_path, export_report
from langkah.report.sanitize import clean
from tests.report import scenarios
from tests.report.docx_text import all_text

HOSTILE = (
    "Nul\x00 bel\x07 esc\x1b vt\x0b ff\x0c "
    "emoji 😀👍🏽 RTL العربية עברית "
    '<w:p>not xml</w:p> &amp; "quotes" ]]> '
    "tab\there\r\nline two\rline three"
)


def test_clean_keeps_what_xml_allows_and_shows_the_rest_visibly():
    # the display sanitiser's convention (langkah.display): nothing hidden, nothing XML-illegal
    assert clean("a\x00b\x08c\x0bd\x0ce\x1ff\ufffeg\uffffh\ud800i") == (
        "a\\x00b\\x08c\\x0bd\\x0ce\\x1ff\\ufffeg\\uffffh\\ud800i"
    )
    assert clean("esc\x1b[2J \u202eRTL\u202c \x9b") == "esc\\x1b[2J \\u202eRTL\\u202c \\x9b"
    assert clean("tab\tnew\nline") == "tab\tnew\nline"
    assert clean("win\r\nmac\r") == "win\nmac\n"
    assert clean("😀 العربية <x/>") == "😀 العربية <x/>"
    assert clean(None) == "" and clean(12) == "12"


def test_hostile_notes_reasons_and_names_export_and_read_back(app, clock, tmp_path):
    person = Person(name="Nama " + HOSTILE, nip="NI PPPK 1\x01y")  # a marked number, as written
    run = scenarios.Runner(app, clock, "dawarblandong", {"sekcam": person})
    long_note = "panjang " * 12_500  # 100,000 characters
    run.step(5, note=HOSTILE)
    run.step(60, note=long_note)
    view = app.cancel(run.cycle_id, "batal " + HOSTILE)
    path = export_report(view, tmp_path / "hostile.docx")
    text = all_text(docx.Document(str(path)))
    expected = clean(HOSTILE)
    assert "\x00" not in text and "\x07" not in text
    assert expected in text, "the note reads back minus the removed control characters"
    assert "batal " + expected in text
    assert "Nama " + expected in text
    assert long_note.strip() in text


def test_lone_surrogates_and_noncharacters_in_state_do_not_break_export(app, clock, tmp_path):
    view = scenarios.kalipare(app, clock)
    visits = list(view.state.visits)
    visits[0] = visits[0].model_copy(update={"inputs": {"lain": "a\ud800b\ufffec\uffff"}})
    roles = {"tim": Person(name="\udfff<Tim>\x02")}
    view.state = view.state.model_copy(update={"visits": tuple(visits), "roles": roles})
    text = all_text(docx.Document(str(export_report(view, tmp_path / "s.docx"))))
    assert "lain: a\\ud800b\\ufffec\\uffff" in text and "\\udfff<Tim>\\x02" in text


def test_an_unwritable_path_raises_report_error_naming_it(app, clock, tmp_path):
    view = scenarios.kalipare(app, clock)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    target = blocker / "laporan.docx"
    with pytest.raises(ReportError) as caught:
        export_report(view, target)
    assert str(target) in caught.value.message
    assert sorted(os.listdir(tmp_path)) == ["a-file"]


def test_export_is_atomic_and_leaves_no_temp_files(app, clock, tmp_path):
    view = scenarios.kalipare(app, clock)
    target = tmp_path / "out" / "laporan.docx"
    target.parent.mkdir()
    target.write_bytes(b"old")
    assert export_report(view, target) == target
    assert os.listdir(target.parent) == ["laporan.docx"]
    assert docx.Document(str(target)).paragraphs
    assert target.stat().st_mode & 0o777 == 0o644  # readable by whoever files and prints it


def test_default_path_and_directory_targets(app, clock, tmp_path):
    view = scenarios.kalipare(app, clock)
    cycle_id = view.state.cycle_id
    assert default_report_path(tmp_path, cycle_id) == tmp_path / "laporan" / f"{cycle_id}.docx"
    written = export_report(view)
    data_dir = Path(os.environ["LANGKAH_DATA_DIR"])
    assert written == default_report_path(data_dir, cycle_id) and written.exists()
    assert export_report(view, tmp_path) == tmp_path / f"{cycle_id}.docx"


def test_cli_report_writes_and_prints_the_path(app, clock, tmp_path, capsys):
    view = scenarios.dawarblandong(app, clock)
    target = tmp_path / "cli.docx"
    code = main(["report", view.state.cycle_id[:20], "-o", str(target), "--paper", "f4"])
    out, err = capsys.readouterr()
    assert code == 0 and err == ""
    assert out.strip() == str(target)
    assert round(docx.Document(str(target)).sections[0].page_height.mm) == 330


def test_cli_report_default_path_and_draft(app, clock, capsys):
    view = scenarios.kalipare(app, clock)
    assert main(["report", view.state.cycle_id, "--draft", "--font", "Bookman Old Style"]) == 0
    out = capsys.readouterr().out.strip()
    data_dir = Path(os.environ["LANGKAH_DATA_DIR"])
    assert out == str(default_report_path(data_dir, view.state.cycle_id))
    assert "DRAFT" in all_text(docx.Document(out))


def test_cli_report_unwritable_path_is_one_line_and_exit_1(app, clock, tmp_path, capsys):
    view = scenarios.kalipare(app, clock)
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    code = main(["report", view.state.cycle_id, "-o", str(blocker / "x.docx")])
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert str(blocker / "x.docx") in err and "Traceback" not in err


def test_cli_report_unknown_cycle(capsys):
    assert main(["report", "tidak-ada"]) == 1
    assert "tidak-ada" in capsys.readouterr().err


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.needs_libreoffice
def test_libreoffice_converts_the_report_to_pdf(app, clock, tmp_path):
    view = scenarios.dawarblandong(app, clock)
    source = export_report(view, tmp_path / "laporan.docx", ReportOptions(draft=True))
    profile = tmp_path / "lo-profile"
    assert SOFFICE is not None
    result = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "laporan.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
