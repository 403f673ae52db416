"""langkah/report/xlsx_writer.py: what it writes reads back the same (openpyxl), every part is
well-formed XML, and the edges (escapes, old dates, empty tables, many columns) hold."""

from __future__ import annotations

import datetime as dt
import math
import zipfile
from xml.etree import ElementTree

import openpyxl
import pytest

from langkah.report.sanitize import clean
from langkah.report.xlsx_recap import RecapError, export_recap
from langkah.report.xlsx_writer import DATE, NUMBER, CellError, Column, Workbook, _letters

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
TEXTS = [
    'a < b & c > "d"',
    "_x0041_ is not an A",  # Excel would read a bare _x0041_ as "A"
    "  spaced  ",
    "line\nbreak\ttab",
    "=1+1",
    "bell\x07 and \u202e",  # controls are written visibly (report/sanitize.py)
    "crlf\r\nend",
    "Kecamatan Dawarblandong",
]


def write(path, columns, rows, name="Data"):
    book = Workbook(str(path), title="Judul & <uji>", author="Langkah", clean=clean)
    book.add_table(name, columns, rows)
    book.add_notes("Catatan", 50, ["satu", "", "tiga"])
    book.close()
    return openpyxl.load_workbook(path)


def test_text_reads_back_as_the_sanitiser_shows_it(tmp_path):
    rows = TEXTS * 3
    book = write(tmp_path / "t.xlsx", [Column("Teks", 30, lambda t: t)], rows)
    cells = [row[0] for row in book["Data"].iter_rows(min_row=2)]
    assert [c.value for c in cells] == [clean(t) for t in rows]
    assert all(c.data_type == "s" for c in cells)
    assert cells[5].value == "bell\\x07 and \\u202e"
    assert cells[6].value == "crlf\nend"
    assert book.properties.title == "Judul & <uji>"
    with zipfile.ZipFile(tmp_path / "t.xlsx") as archive:
        raw = archive.read("xl/sharedStrings.xml")
    strings = ElementTree.fromstring(raw)
    assert strings.get("uniqueCount") == str(len(TEXTS) + 3)  # each once; header, 2 notes
    # Excel reads _x0041_ as "A"; openpyxl only drops "x005F_", so it reads both the same:
    # the escape is checked in the file itself
    texts = [t.text for t in strings.iter(f"{MAIN}t")]
    assert "_x005F_x0041_ is not an A" in texts
    assert b'<t xml:space="preserve">  spaced  </t>' in raw  # or Excel trims the spaces


def test_numbers_dates_and_empty_cells(tmp_path):
    dates = [dt.datetime(1900, 1, 1, 12, 0), dt.datetime(1900, 3, 1),
             dt.datetime(2026, 10, 5, 8, 0), dt.datetime(2026, 12, 31, 23, 59, 30)]  # fmt: skip
    values = [0, 7, 0.1 + 0.2, 12345678901234, None, "", 1 / 3]
    rows = list(zip(dates * 2, values[: len(dates) * 2], strict=False))
    columns = [
        Column("Kapan", 16, lambda r: r[0], DATE, "dd/mm/yyyy hh:mm"),
        Column("Berapa", 10, lambda r: r[1], NUMBER, "0.0"),
        Column("Bagian", 10, lambda r: r[1], NUMBER, "0%"),
    ]
    sheet = write(tmp_path / "n.xlsx", columns, rows)["Data"]
    got = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in got] == [r[0] for r in rows]
    expected = [None if v in (None, "") else v for _, v in rows]
    assert [r[1] for r in got] == expected == [r[2] for r in got]  # 0 is a number, not empty
    assert sheet["B2"].number_format == "0.0" and sheet["C2"].number_format == "0%"
    assert sheet["A2"].number_format == "dd/mm/yyyy hh:mm"


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_a_number_no_cell_can_hold_is_refused(tmp_path, bad):
    with pytest.raises(CellError):
        write(tmp_path / "x.xlsx", [Column("N", 5, lambda v: v, NUMBER)], [1, bad])


def test_the_recap_refuses_it_and_leaves_no_file(tmp_path):
    def bad_sheet(book):
        book.add_table("Rusak", [Column("N", 5, lambda v: v, NUMBER)], [math.nan])

    target = tmp_path / "rekap.xlsx"
    with pytest.raises(RecapError, match="cannot write the recap"):
        export_recap([], target, made=dt.datetime(2026, 1, 1), extra=bad_sheet)
    assert list(tmp_path.iterdir()) == []


def test_an_empty_table_and_many_columns(tmp_path):
    columns = [Column(f"K{n}", 8, lambda r, n=n: r + n, NUMBER) for n in range(30)]
    book = write(tmp_path / "e.xlsx", columns, [], name="Kosong 'x' 1")
    sheet = book["Kosong 'x' 1"]
    assert sheet.dimensions == "A1:AD1"
    assert sheet.auto_filter.ref == "A1:AD2"
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == [f"K{n}" for n in range(30)]
    assert book["Catatan"]["A3"].value == "tiga" and book["Catatan"]["A2"].value is None
    with zipfile.ZipFile(tmp_path / "e.xlsx") as archive:
        workbook = archive.read("xl/workbook.xml").decode()
    assert "'Kosong ''x'' 1'!$A$1:$AD$2</definedName>" in workbook
    assert [_letters(n) for n in (0, 25, 26, 51, 701, 702)] == ["A", "Z", "AA", "AZ", "ZZ", "AAA"]


def test_every_part_is_declared_and_well_formed(tmp_path):
    write(tmp_path / "p.xlsx", [Column("Teks", 30, lambda t: t)], TEXTS)
    with zipfile.ZipFile(tmp_path / "p.xlsx") as archive:
        names = archive.namelist()
        assert names[0] == "[Content_Types].xml"
        parts = {name: ElementTree.fromstring(archive.read(name)) for name in names}
    # the dimension as written (openpyxl recounts it; bench/xlsx_bench.py reads it)
    assert parts["xl/worksheets/sheet1.xml"].find(f"{MAIN}dimension").get("ref") == "A1:A9"
    assert parts["xl/worksheets/sheet2.xml"].find(f"{MAIN}dimension").get("ref") == "A1:A3"
    declared = {
        o.get("PartName").lstrip("/")
        for o in parts["[Content_Types].xml"]
        if o.tag.endswith("Override")
    }
    assert declared == {n for n in names if not n.endswith(".rels")} - {"[Content_Types].xml"}
    targets = {r.get("Target") for r in parts["xl/_rels/workbook.xml.rels"]}
    assert {f"xl/{t}" for t in targets} == {
        n for n in names if n.startswith("xl/") and n.count("/") >= 1 and "_rels" not in n
    } - {"xl/workbook.xml"}


@pytest.mark.parametrize("name", ["", "x" * 32, "a/b", "a[1]", "what?", "'quoted'", "data"])
def test_a_sheet_name_excel_refuses_is_refused(tmp_path, name):
    book = Workbook(str(tmp_path / "n.xlsx"), title="t", author="a", clean=clean)
    book.add_notes("Data", 10, ["x"])
    with pytest.raises(ValueError, match="sheet name"):
        book.add_table(name, [Column("T", 5, lambda t: t)], [])
    book.add_table("x" * 31, [Column("T", 5, lambda t: t)], [])  # 31 characters are fine
