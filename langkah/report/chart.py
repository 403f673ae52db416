"""The standard-versus-actual chart: a table whose bars are shaded runs of fixed-width spaces.

Native Word content (no image library): it prints sharply, stays editable, and reads in grey.
"""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from langkah.report.content import ChartRow
from langkah.report.sanitize import clean
from langkah.report.xml import cant_split, repeat_header, shade_cell, shade_run

STANDARD_FILL = "A6A6A6"  # grey
ACTUAL_FILL = "2F5597"  # dark blue
OVERDUE_FILL = "C00000"  # dark red (prints darker than the grey bar)
HEADER_FILL = "D9D9D9"
BAR_FONT = "Arial"
BAR_SIZE = 7.0  # points; a no-break space in Arial is 0.278 em wide
NBSP = "\u00a0"


def _bar(paragraph, minutes: float | None, scale: float, fill: str, max_chars: int,
         label: str, size: float) -> None:  # fmt: skip
    """A shaded run of no-break spaces, then its value (which also keeps LibreOffice from
    treating the spaces as trailing white space and leaving them unpainted)."""
    if minutes is not None and minutes > 0 and scale > 0:
        chars = max(1, round(minutes / scale * max_chars))
        run = paragraph.add_run(NBSP * chars)
        run.font.name = BAR_FONT
        run.font.size = Pt(BAR_SIZE)
        shade_run(run, fill)
    paragraph.add_run(clean(f" {label}")).font.size = Pt(size)


def legend(paragraph, size: float) -> None:
    for fill, text in (
        (STANDARD_FILL, " Waktu standar   "),
        (ACTUAL_FILL, " Waktu aktual (tepat waktu)   "),
        (OVERDUE_FILL, " Waktu aktual (terlambat)"),
    ):
        run = paragraph.add_run(NBSP * 6)
        run.font.size = Pt(size)
        shade_run(run, fill)
        paragraph.add_run(text).font.size = Pt(size)


def add_chart(document, rows: list[ChartRow], width_cm: float, size: float) -> None:
    """Append the chart table: No | Langkah | bars (standard over actual) with their values."""
    widths = [1.0, width_cm * 0.32, 0.0]
    widths[2] = width_cm - widths[0] - widths[1]
    bar_points = (widths[2] - 4.0) / 2.54 * 72 - 12  # less the value text and cell margins
    max_chars = max(10, int(bar_points / (0.278 * BAR_SIZE)))
    scale = max([r.standard_minutes or 0.0 for r in rows] + [r.actual_minutes or 0.0 for r in rows])
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    header = table.rows[0]
    repeat_header(header)
    for cell, text, width in zip(
        header.cells,
        ("No", "Langkah", "Waktu standar (atas) dan waktu aktual (bawah)"),
        widths,
        strict=True,
    ):
        cell.width = Cm(width)
        shade_cell(cell, HEADER_FILL)
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(text)
        run.bold = True
        run.font.size = Pt(size)
    for row_data in rows:
        row = table.add_row()
        cant_split(row)
        cells = row.cells
        for cell, width in zip(cells, widths, strict=True):
            cell.width = Cm(width)
        no = cells[0].paragraphs[0]
        no.alignment = WD_ALIGN_PARAGRAPH.CENTER
        no.add_run(str(row_data.no)).font.size = Pt(size)
        label = row_data.label if len(row_data.label) <= 90 else row_data.label[:87] + "..."
        cells[1].paragraphs[0].add_run(clean(label)).font.size = Pt(size)
        standard_p = cells[2].paragraphs[0]
        standard_label = row_data.standard_text
        if row_data.standard_minutes is None and row_data.standard_text != "-":
            standard_label += " (batas tanggal)"
        elif row_data.standard_minutes is None:
            standard_label = "tanpa waktu standar"
        _bar(standard_p, row_data.standard_minutes, scale, STANDARD_FILL, max_chars,
             standard_label, size - 1)  # fmt: skip
        actual_p = cells[2].add_paragraph()
        fill = OVERDUE_FILL if row_data.overdue else ACTUAL_FILL
        _bar(actual_p, row_data.actual_minutes, scale, fill, max_chars, row_data.actual_text,
             size - 1)  # fmt: skip
        for paragraph in (standard_p, actual_p):
            paragraph.paragraph_format.space_after = Pt(1)
            paragraph.paragraph_format.space_before = Pt(1)
