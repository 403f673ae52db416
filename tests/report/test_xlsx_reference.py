"""The recap's own writer (langkah/report/xlsx_writer.py) against XlsxWriter, which wrote the
recap before it: the same export, once through each, read back with openpyxl, must have the
same sheets, cells (values, types, number formats, header style), widths, frozen rows,
autofilters and document properties. Floats may differ in their last digit: XlsxWriter writes
16 significant digits, the writer the shortest exact form."""

from __future__ import annotations

import shutil
import subprocess

import openpyxl
import pytest
import xlsxwriter

from langkah.report import xlsx_recap
from langkah.report.xlsx_writer import DATE, TEXT
from tests.report.recap_support import cli, seed, use_store

HEADER = {"bold": True, "bg_color": "#D9D9D9", "text_wrap": True, "valign": "top", "border": 1}


class XlsxWriterBook:
    """The writer's interface on XlsxWriter, written as the recap wrote its cells before."""

    def __init__(self, path, *, title, author, clean):
        self.book = xlsxwriter.Workbook(path, {"constant_memory": True})
        self.book.set_properties({"title": title, "author": author})
        self.clean = clean
        self.header = self.book.add_format(HEADER)
        self.formats = {}

    def _format(self, code):
        if code is not None and code not in self.formats:
            self.formats[code] = self.book.add_format({"num_format": code})
        return self.formats.get(code)

    def add_table(self, name, columns, rows):
        sheet = self.book.add_worksheet(name)
        for col, column in enumerate(columns):
            sheet.set_column(col, col, column.width)
            sheet.write_string(0, col, self.clean(column.title), self.header)
        sheet.freeze_panes(1, 0)
        for row, item in enumerate(rows, 1):
            for col, column in enumerate(columns):
                value = column.value(item)
                if value is None or value == "":
                    continue
                if column.kind == TEXT:
                    sheet.write_string(row, col, self.clean(value))
                elif column.kind == DATE:
                    sheet.write_datetime(row, col, value, self._format(column.number_format))
                else:
                    sheet.write_number(row, col, value, self._format(column.number_format))
        sheet.autofilter(0, 0, max(len(rows), 1), len(columns) - 1)

    def add_notes(self, name, width, lines):
        sheet = self.book.add_worksheet(name)
        sheet.set_column(0, 0, width)
        for row, line in enumerate(lines):
            if line:
                sheet.write_string(row, 0, self.clean(line))

    def close(self):
        self.book.close()


def _cell(cell):
    value = pytest.approx(cell.value, rel=1e-15) if isinstance(cell.value, float) else cell.value
    style = (cell.font.b, cell.fill.fgColor.rgb, cell.alignment.wrap_text,
             cell.alignment.vertical, cell.border.top.style)  # fmt: skip
    return value, cell.data_type, cell.number_format, style


def _widths(sheet):
    """Width per column number (XlsxWriter writes a run of equal columns as one <col>)."""
    dimensions = sheet.column_dimensions.values()
    return {n: d.width for d in dimensions for n in range(d.min, d.max + 1)}


@pytest.fixture
def pair(tmp_path, monkeypatch, capsys):
    """The same --stats export written by the writer, then by XlsxWriter."""
    use_store(seed(tmp_path / "data"), monkeypatch)
    ours, theirs = tmp_path / "ours.xlsx", tmp_path / "theirs.xlsx"
    cli(capsys, "export-xlsx", "--stats", "-o", str(ours))
    with monkeypatch.context() as patched:
        patched.setattr(xlsx_recap, "Workbook", XlsxWriterBook)
        cli(capsys, "export-xlsx", "--stats", "-o", str(theirs))
    return ours, theirs


def same_workbooks(ours, theirs, *, panes=True):
    a, b = openpyxl.load_workbook(ours), openpyxl.load_workbook(theirs)
    assert a.sheetnames == b.sheetnames == [
        "Siklus", "Langkah", "Keterangan", "Statistik", "Statistik langkah"
    ]  # fmt: skip
    for prop in ("title", "creator"):
        assert getattr(a.properties, prop) == getattr(b.properties, prop)
    cells = 0
    for name in a.sheetnames:
        x, y = a[name], b[name]
        assert (x.dimensions, x.auto_filter.ref) == (y.dimensions, y.auto_filter.ref), name
        assert not panes or x.freeze_panes == y.freeze_panes, name
        assert _widths(x) == _widths(y) and len(_widths(x)) == x.max_column, name
        for mine, reference in zip(x.iter_rows(), y.iter_rows(), strict=True):
            for p, q in zip(mine, reference, strict=True):
                assert _cell(q) == _cell(p), (name, p.coordinate)
                cells += p.value is not None
    assert cells > 500  # the comparison did see the cells


def test_the_workbook_equals_the_one_xlsxwriter_wrote(pair):
    ours, theirs = pair
    same_workbooks(ours, theirs)
    assert openpyxl.load_workbook(ours)["Langkah"].freeze_panes == "A2"


@pytest.mark.needs_libreoffice_calc
def test_libreoffice_reads_it_as_it_reads_xlsxwriters(pair, tmp_path):
    """Both workbooks opened and saved again by LibreOffice Calc come out the same (headless
    LibreOffice saves no frozen panes, of either)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice is not None
    out = tmp_path / "lo"
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), *map(str, pair)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    saved = [out / path.name for path in pair]
    assert all(path.exists() for path in saved), result.stderr
    same_workbooks(*saved, panes=False)
