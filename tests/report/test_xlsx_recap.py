"""`langkah export-xlsx`: the evaluators' recap, read back with openpyxl."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from xml.etree import ElementTree

import openpyxl
import pytest

from langkah.views import recap
from tests.cli_support import _run
from tests.report import scenarios

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
CYCLE_HEADER = [
    "Kode siklus", "SOP", "Kecamatan", "Nama SOP", "Periode", "Status", "Langkah saat ini",
    "Dimulai", "Selesai", "Waktu kerja (menit)", "Langkah berwaktu standar",
    "Langkah tepat waktu", "Langkah terlambat", "Persentase tepat waktu", "Pengembalian",
    "Versi definisi", "Masalah verifikasi",
]  # fmt: skip


@pytest.fixture
def store(app, clock, monkeypatch):
    """Three cycles: Dawarblandong finished with a return, Kalipare finished, Kalipare
    cancelled (with a reason that looks like a formula)."""
    views = {
        "dawar": scenarios.dawarblandong(app, clock),
        "kalipare": scenarios.kalipare(app, clock),
    }
    run = scenarios.Runner(app, clock, "kalipare", {})
    run.step(15)
    clock.now += dt.timedelta(minutes=20)
    views["cancelled"] = app.cancel(run.cycle_id, '=HYPERLINK("http://x","klik")')
    monkeypatch.setenv("LANGKAH_NOW", clock.now.isoformat())
    return views


def export(capsys, *args: str, status: int = 0) -> str:
    capsys.readouterr()
    code = _run(("export-xlsx", *args))
    out, err = capsys.readouterr()
    assert code == status, (out, err)
    assert "Traceback" not in out + err
    return out if status == 0 else err


def sheet_rows(path, name):
    book = openpyxl.load_workbook(path)
    return book, book[name], [list(r) for r in book[name].iter_rows(values_only=True)]


def test_cycles_sheet_types_frozen_header_and_filter(store, capsys, tmp_path):
    path = tmp_path / "rekap.xlsx"
    out = export(capsys, "-o", str(path))
    assert "3 siklus" in out
    book, sheet, rows = sheet_rows(path, "Siklus")
    assert book.sheetnames == ["Siklus", "Langkah", "Keterangan"]  # Statistik: with --stats
    assert rows[0] == CYCLE_HEADER
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:Q4"
    by_id = {row[0]: dict(zip(CYCLE_HEADER, row, strict=True)) for row in rows[1:]}
    dawar = by_id[store["dawar"].state.cycle_id]
    assert dawar["Status"] == "selesai"
    assert dawar["Dimulai"] == dt.datetime(2026, 10, 5, 8, 0)  # local WIB, an Excel date
    assert isinstance(dawar["Selesai"], dt.datetime)
    assert isinstance(dawar["Waktu kerja (menit)"], int | float)
    assert (dawar["Langkah berwaktu standar"], dawar["Langkah tepat waktu"]) == (13, 12)
    assert dawar["Langkah terlambat"] == 1
    assert dawar["Persentase tepat waktu"] == pytest.approx(12 / 13)
    assert dawar["Pengembalian"] == 1
    cancelled = by_id[store["cancelled"].state.cycle_id]
    assert cancelled["Status"] == "dibatalkan" and cancelled["Selesai"] is not None
    number_format = sheet.cell(row=2, column=8).number_format
    assert "yy" in number_format and "mm" in number_format


def test_steps_sheet_standard_actual_late_and_returns(store, capsys, tmp_path):
    path = tmp_path / "rekap.xlsx"
    export(capsys, "-o", str(path), "--kecamatan", "dawarblandong")
    _, sheet, rows = sheet_rows(path, "Langkah")
    header = rows[0]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:S{len(rows)}"
    steps = [dict(zip(header, row, strict=True)) for row in rows[1:]]
    assert len(steps) == len(store["dawar"].state.visits) == 14
    second = steps[1]
    assert (second["No langkah"], second["Waktu standar (menit)"]) == (2, 60)
    assert second["Waktu aktual (menit)"] == 80 and second["Terlambat"] == "Ya"
    assert second["Terlambat (menit)"] == 20
    assert second["Mulai"] == dt.datetime(2026, 10, 5, 8, 5)
    assert second["Batas waktu"] == dt.datetime(2026, 10, 5, 9, 5)  # 60 working minutes on
    day = next(s for s in steps if s["No langkah"] == 4)
    assert day["Waktu standar"] == "1 hari" and day["Waktu standar (menit)"] == 450
    returned = next(s for s in steps if s["No langkah"] == 9 and s["Pelaksanaan ke-"] == 1)
    assert returned["Hasil"] == "dikembalikan"
    assert returned["Dikembalikan ke langkah"] == 7
    assert returned["Alasan"] == scenarios.RETURN_REASON
    assert [s["Pelaksanaan ke-"] for s in steps if s["No langkah"] == 7] == [1, 2]
    archive = steps[-1]
    assert archive["No langkah"] == 11 and archive["Terlambat"] is None  # no standard


def test_text_that_looks_like_a_formula_stays_text(store, capsys, tmp_path):
    path = tmp_path / "rekap.xlsx"
    export(capsys, "-o", str(path), "--status", "dibatalkan")
    _, sheet, rows = sheet_rows(path, "Langkah")
    reason_column = rows[0].index("Alasan") + 1
    cell = sheet.cell(row=len(rows), column=reason_column)
    assert cell.value == '=HYPERLINK("http://x","klik")'
    assert cell.data_type == "s"


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (["--kecamatan", "Kalipare"], {"kalipare", "cancelled"}),
        (["--status", "selesai"], {"dawar", "kalipare"}),
        (["--status", "cancelled"], {"cancelled"}),
        (["--sop", "dawarblandong"], {"dawar"}),
        (["--period", "2026-t3", "--kecamatan", "KALIPARE", "--status", "finished"], {"kalipare"}),
    ],
)
def test_filters(store, capsys, tmp_path, filters, expected):
    path = tmp_path / "rekap.xlsx"
    export(capsys, "-o", str(path), *filters)
    _, _, rows = sheet_rows(path, "Siklus")
    wanted = {store[name].state.cycle_id for name in expected}
    assert {row[0] for row in rows[1:]} == wanted


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (["--status", "kelar"], 2, "--status kelar: status tidak dikenal; pakai salah satu dari"),
        (["--kecamatan", "Atlantis"], 2, "kecamatan tidak ada; yang ada: Dawarblandong, Kalipare"),
        (["--sop", "tidak-ada"], 2, "--sop tidak-ada: tidak ada SOP 'tidak-ada'"),
        (["--period", "2026-T9"], 2, "--period: '2026-T9' bukan periode"),
        (["--period", "2025-T1"], 1, "tidak ada siklus yang cocok dengan saringan ini"),
    ],
)
def test_bad_filters_say_what_is_wrong_and_write_nothing(store, capsys, tmp_path, args,
                                                         status, message):  # fmt: skip
    path = tmp_path / "rekap.xlsx"
    err = export(capsys, "-o", str(path), *args, status=status)
    assert message in err
    assert not path.exists()


def test_existing_file_is_kept_unless_forced(store, capsys, tmp_path):
    path = tmp_path / "rekap.xlsx"
    path.write_bytes(b"old")
    err = export(capsys, "-o", str(path), status=1)
    assert "sudah ada; tambahkan --force" in err
    assert path.read_bytes() == b"old"
    export(capsys, "-o", str(path), "--force")
    assert openpyxl.load_workbook(path).sheetnames[0] == "Siklus"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_unwritable_targets(store, capsys, tmp_path):
    blocker = tmp_path / "berkas"
    blocker.write_text("x")
    err = export(capsys, "-o", str(blocker / "rekap.xlsx"), status=1)
    assert f"rekap tidak dapat ditulis ke {blocker / 'rekap.xlsx'}" in err
    assert "bukan folder" in err
    err = export(capsys, "-o", str(tmp_path / "tidak-ada" / "rekap.xlsx"), status=1)
    assert "tidak ada" in err
    err = export(capsys, "-o", str(tmp_path), status=1)
    assert "itu folder; beri nama berkas" in err
    err = export(capsys, "-o", str(tmp_path / "rekap.csv"), status=1)
    assert "nama berakhiran .xlsx" in err


def test_recap_counts_a_running_overdue_step_as_late(app, clock):
    view = scenarios.dawarblandong(app, clock, finish=False)  # step 5 running, 200 of 450 min
    assert recap(view).late_steps == 1  # step 2, done late; the running step is not late yet
    clock.now = view.calendar.add_working_minutes(clock.now, 300)
    late = recap(app.open_cycle(view.state.cycle_id))
    assert late.late_steps == 2
    assert late.steps[-1].late is True and late.steps[-1].ended is None


def test_counts_are_said_in_the_chosen_language(store, capsys, tmp_path):
    capsys.readouterr()
    assert _run(("--lang", "en", "export-xlsx", "-o", str(tmp_path / "r.xlsx"))) == 0
    out = capsys.readouterr().out
    assert out.strip().endswith(": 3 cycles, 22 steps")  # 14 + 6 + 2 passes


def test_the_workbook_keeps_its_formats_widths_filters_and_properties(store, capsys, tmp_path):
    """What the evaluators see beyond the values (langkah/report/xlsx_writer.py writes it)."""
    path = tmp_path / "rekap.xlsx"
    export(capsys, "-o", str(path), "--kecamatan", "dawarblandong")
    book = openpyxl.load_workbook(path)
    assert (book.properties.title, book.properties.creator) == ("Rekap pelaksanaan SOP", "Langkah")
    cycles, steps, notes = book["Siklus"], book["Langkah"], book["Keterangan"]
    formats = {"Dimulai": "dd/mm/yyyy hh:mm", "Selesai": "dd/mm/yyyy hh:mm",
               "Waktu kerja (menit)": "0.0", "Persentase tepat waktu": "0%",
               "Langkah terlambat": "General", "Kode siklus": "General"}  # fmt: skip
    widths = {"A": 34, "B": 24, "H": 16, "J": 11, "N": 10, "Q": 24}  # as typed, in characters
    for sheet, last, count in ((cycles, "Q", 2), (steps, "S", 15)):
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:{last}{count}"
        assert sheet.dimensions == f"A1:{last}{count}"
        for cell in sheet[1]:
            assert cell.font.b and cell.fill.fgColor.rgb == "FFD9D9D9", cell.coordinate
            assert cell.alignment.wrap_text and cell.alignment.vertical == "top"
            assert cell.border.left.style == cell.border.bottom.style == "thin"
        for cell in sheet[2]:
            assert not cell.font.b and cell.fill.fgColor.rgb != "FFD9D9D9"
    header = [cell.value for cell in cycles[1]]
    for title, number_format in formats.items():
        cell = cycles.cell(row=2, column=header.index(title) + 1)
        assert cell.number_format == number_format, title
        kind = {"Kode siklus": "s", "Dimulai": "d", "Selesai": "d"}.get(title, "n")
        assert cell.data_type == kind, title  # openpyxl reads a date-formatted number as "d"
    for letter, width in widths.items():  # Excel stores the width with its padding
        assert cycles.column_dimensions[letter].width == pytest.approx(width + 0.7109375)
    step_header = [cell.value for cell in steps[1]]
    minutes = steps.cell(row=3, column=step_header.index("Waktu aktual (menit)") + 1)
    assert (minutes.value, minutes.number_format) == (80, "0.0")
    assert steps.cell(row=3, column=step_header.index("Mulai") + 1).is_date
    assert steps.column_dimensions["F"].width == pytest.approx(40.7109375)  # Kegiatan
    assert notes.freeze_panes is None and notes.auto_filter.ref is None
    assert notes.column_dimensions["A"].width == pytest.approx(110.7109375)
    lines = [row[0] for row in notes.iter_rows(values_only=True)]
    assert lines[0] == "Rekap pelaksanaan SOP (Langkah)"
    assert lines[-2] == "Filter: --kecamatan dawarblandong"
    assert re.fullmatch(r"Dibuat: \d\d/\d\d/20\d\d \d\d:\d\d", lines[-1])
    with zipfile.ZipFile(path) as archive:  # openpyxl drops Excel's filter names: read them
        names = ElementTree.fromstring(archive.read("xl/workbook.xml")).iter(f"{MAIN}definedName")
    assert {(n.get("name"), n.get("localSheetId"), n.get("hidden"), n.text) for n in names} == {
        ("_xlnm._FilterDatabase", "0", "1", "Siklus!$A$1:$Q$2"),
        ("_xlnm._FilterDatabase", "1", "1", "Langkah!$A$1:$S$15"),
    }
