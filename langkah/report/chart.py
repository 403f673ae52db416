"""The standard-versus-actual chart: a table whose bars are shaded runs of fixed-width spaces.

Native Word content (no image library): it prints sharply, stays editable, and reads in grey.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from langkah.report.content import ChartRow
from langkah.report.sanitize import clean
from langkah.report.xml import append_row, cell_xml, paragraph_xml, run_xml, shade_run

if TYPE_CHECKING:
    from docx.document import Document
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

STANDARD_FILL = "A6A6A6"  # grey
ACTUAL_FILL = "2F5597"  # dark blue
OVERDUE_FILL = "C00000"  # dark red (prints darker than the grey bar)
HEADER_FILL = "D9D9D9"
BAR_FONT = "Arial"
BAR_SIZE = 7.0  # points; a space in Arial is 0.278 em wide
SPACE = " "  # plain spaces: one solid shaded box (no-break spaces render in segments)


def _bar_font(run: Run) -> None:
    run.font.size = Pt(BAR_SIZE)
    fonts = run._r.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), BAR_FONT)


def _bar(minutes: float | None, scale: float, fill: str, max_chars: int, label: str,
         size: float) -> str:  # fmt: skip
    """A paragraph: a shaded run of spaces, then its value (which also keeps LibreOffice from
    treating the spaces as trailing white space and leaving them unpainted)."""
    runs = ""
    if minutes is not None and minutes > 0 and scale > 0:
        chars = max(1, round(minutes / scale * max_chars))
        runs += run_xml(SPACE * chars, BAR_SIZE, fill=fill, font=BAR_FONT)
    runs += run_xml(clean(f" {label}"), size)
    return paragraph_xml(runs, before=20, after=20)


def legend(paragraph: Paragraph, size: float) -> None:
    for fill, text in (
        (STANDARD_FILL, " Waktu standar   "),
        (ACTUAL_FILL, " Waktu aktual (tepat waktu)   "),
        (OVERDUE_FILL, " Waktu aktual (terlambat)"),
    ):
        run = paragraph.add_run(SPACE * 8)
        _bar_font(run)
        shade_run(run, fill)
        paragraph.add_run(text)  # the paragraph's style gives the size


def _twips(cm: float) -> int:
    return int(round(cm / 2.54 * 1440))


def add_chart(document: Document, rows: list[ChartRow], width_cm: float, size: float) -> None:
    """Append the chart table: No | Langkah | bars (standard over actual) with their values."""
    widths = [1.0, width_cm * 0.32, 0.0]
    widths[2] = width_cm - widths[0] - widths[1]
    bar_points = (widths[2] - 4.0) / 2.54 * 72 - 12  # less the value text and cell margins
    max_chars = max(10, int(bar_points / (0.278 * BAR_SIZE)))
    scale = max([r.standard_minutes or 0.0 for r in rows] + [r.actual_minutes or 0.0 for r in rows])
    table = document.add_table(rows=0, cols=3)
    table._tbl.tblPr.style = "TableGrid"  # by id: a lookup by name is slow
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    twips = [_twips(w) for w in widths]
    titles = ("No", "Langkah", "Waktu standar (atas) dan waktu aktual (bawah)")
    append_row(
        table,
        [
            cell_xml(w, paragraph_xml(run_xml(t, size, bold=True), "center"), HEADER_FILL)
            for w, t in zip(twips, titles, strict=True)
        ],
        cant_split=True,
        header=True,
    )
    for row in rows:
        label = row.label if len(row.label) <= 90 else row.label[:87] + "..."
        standard_label = row.standard_text
        if row.standard_minutes is None and row.standard_text != "-":
            standard_label += " (batas tanggal)"
        elif row.standard_minutes is None:
            standard_label = "tanpa waktu standar"
        fill = OVERDUE_FILL if row.overdue else ACTUAL_FILL
        bars = _bar(row.standard_minutes, scale, STANDARD_FILL, max_chars, standard_label,
                    size - 1) + _bar(row.actual_minutes, scale, fill, max_chars,
                                     row.actual_text, size - 1)  # fmt: skip
        append_row(
            table,
            [
                cell_xml(twips[0], paragraph_xml(run_xml(str(row.no), size), "center")),
                cell_xml(twips[1], paragraph_xml(run_xml(clean(label), size))),
                cell_xml(twips[2], bars),
            ],
            cant_split=True,
        )
