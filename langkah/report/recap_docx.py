"""The "Rekapitulasi" Word report of `langkah stats --docx` (docs/report.md).

Laid out as the cycle report is: a portrait first page (kop, title, the selection, what the
figures mean), then a landscape section for the tables and the chart; the same named styles
(langkah.report.styles), paper sizes, running header and "Halaman X dari Y", Indonesian dates
and core properties. Written beside its target and renamed into place, as the cycle report is.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from langkah.analytics import Stats
from langkah.report import save_durably, styles, writable_target
from langkah.report.docx_writer import DocxWriter, only_first_paragraph, set_style
from langkah.report.options import ReportOptions
from langkah.report.recap_chart import render_chart
from langkah.report.recap_content import (
    DEFINITIONS,
    GROUP_HEADERS,
    GROUP_SUBHEADERS,
    STEP_SUBHEADERS,
    RecapMeta,
    Series,
    chart_series,
    chart_table_rows,
    column_label,
    group_rows,
    header_text,
    kop_lines,
    step_table_chunks,
    summary_rows,
    title_lines,
)
from langkah.report.sanitize import clean
from langkah.report.xml import add_field, bottom_rule, cant_split

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.table import Table, _Row

VARIANTS_PER_TABLE = 4
CHART_CAPTION = (
    "Gambar: persentase langkah tepat waktu per periode, satu garis per kecamatan. Periode "
    "tanpa langkah yang dinilai tidak bertitik (bukan 0%). Angkanya:"
)
GROUP_WIDTHS = [0.9, 3.4, 2.2, 1.4, 1.5, 1.3, 1.7, 1.9, 1.6, 2.6, 2.6, 1.8, 1.8, 1.7]


class _RecapWriter(DocxWriter):
    """The cycle report's writer (page setup, paragraphs, rows) with the recap's parts."""

    def __init__(self, stats: Stats, meta: RecapMeta, options: ReportOptions):
        self.stats = stats
        self.meta = meta
        self.options = options
        self.size = options.font_size
        self.tiny = max(options.font_size - 3, 7)
        self.doc = Document()

    def setup(self) -> None:
        styles.setup_styles(self.doc, self.options.font, self.size)
        author = (self.options.author or "").strip()
        if not author:  # the office the figures are about; never the login name
            author = self.meta.units[0] if len(self.meta.units) == 1 else ""
            author = author or (
                self.meta.governments[0] if len(self.meta.governments) == 1 else "Langkah"
            )
        styles.set_properties(
            self.doc,
            title=clean(header_text(self.meta)),
            subject=clean("Rekapitulasi pelaksanaan SOP (SAKIP)"),
            author=clean(author),
            now=self.meta.now,
            comments=clean(f"{self.stats.cycles} siklus; langkah stats --docx"),
        )
        self.doc.core_properties.category = "Rekapitulasi Pelaksanaan SOP"
        self.doc.core_properties.keywords = "SOP; rekapitulasi; SAKIP"
        section = self.doc.sections[0]
        self.page(section, landscape=False)
        section.different_first_page_header_footer = False
        paragraph = section.header.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = paragraph.add_run(clean(header_text(self.meta)))
        run.font.size = Pt(8)
        run.italic = True
        paragraph = section.footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for part in ("Halaman ", "PAGE", " dari ", "NUMPAGES"):
            if part in ("PAGE", "NUMPAGES"):
                add_field(paragraph, part)
            else:
                paragraph.add_run(part)
        for each in paragraph.runs:
            each.font.size = Pt(9)

    def recap_kop(self) -> None:
        lines = kop_lines(self.meta)
        names = [styles.KOP_PEMERINTAH, styles.KOP_UNIT, styles.KOP_ALAMAT]
        last = None
        for index, line in enumerate(lines):
            last = self.para(line, names[min(index, 2)])
        if last is not None:
            bottom_rule(last)
            self.para("").paragraph_format.space_after = Pt(6)

    def group_table(self, width: float) -> None:
        factor = width / sum(GROUP_WIDTHS)
        widths = [w * factor for w in GROUP_WIDTHS]
        table = self.table(widths)
        first_row, second_row = self.header_rows(
            table, widths, [list(GROUP_HEADERS), list(GROUP_SUBHEADERS)]
        )
        a, b = first_row.cells, second_row.cells
        only_first_paragraph(a[3].merge(a[6]))
        for index in (0, 1, 2, *range(7, len(GROUP_HEADERS))):
            merged = a[index].merge(b[index])
            merged.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            only_first_paragraph(merged)
        center = "center"
        aligns: list[str | None] = [center, None, None] + [center] * 11
        aligns[9] = None
        for texts in group_rows(self.stats):
            fill = "F2F2F2" if texts[0] == "Σ" else None
            self.row(table, widths, texts, styles.TABEL, fill=fill, aligns=aligns, cant=True)

    def step_tables(self, width: float) -> None:
        for part, rows in step_table_chunks(self.stats, VARIANTS_PER_TABLE):
            step_cm = 1.8
            sub = (width - step_cm) / (3 * VARIANTS_PER_TABLE)
            widths = [step_cm] + [sub] * (3 * len(part))
            table = self.table(widths)
            top = ["Langkah"]
            for i in part:
                top += [column_label(self.stats, i), "", ""]
            second = [""] + list(STEP_SUBHEADERS) * len(part)
            first_row, second_row = self.header_rows(table, widths, [top, second])
            a, b = first_row.cells, second_row.cells
            merged = a[0].merge(b[0])
            merged.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            only_first_paragraph(merged)
            for k in range(len(part)):
                only_first_paragraph(a[1 + 3 * k].merge(a[3 + 3 * k]))
            for texts in rows:
                self.row(table, widths, texts, styles.TABEL, align="center", cant=True)
            self.para("").paragraph_format.space_after = Pt(4)

    def chart(self, width: float) -> None:
        """The chart, and beside it (below it when there are many lines) its numbers."""
        periods, series = chart_series(self.stats)
        if not periods:
            return
        beside = len(series) <= 3
        picture_cm = min(width * (0.52 if beside else 0.62), 17.0)
        png, height = render_chart(periods, series, picture_cm)
        caption = clean(CHART_CAPTION)
        if not beside:
            paragraph = self.para("", keep_next=True)
            paragraph.add_run().add_picture(
                io.BytesIO(png), width=Cm(picture_cm), height=Cm(height)
            )
            self.para(caption, styles.KETERANGAN, keep_next=True)
            first = 3.0
            widths = [first] + [min(4.0, (width - first) / len(series))] * len(series)
            self.chart_numbers(self.table(widths), widths, periods, series)
            return
        widths = [picture_cm + 0.4, width - picture_cm - 0.4]
        layout = self.table(widths, grid=False)
        add_row: Callable[[], _Row] = layout.add_row
        row = add_row()
        cant_split(row)
        left, right = row.cells
        left.width, right.width = Cm(widths[0]), Cm(widths[1])
        left.paragraphs[0].add_run().add_picture(
            io.BytesIO(png), width=Cm(picture_cm), height=Cm(height)
        )
        set_style(right.paragraphs[0], styles.KETERANGAN)
        right.paragraphs[0].add_run(caption)
        inner = [min(3.0, widths[1] * 0.3)]
        inner += [(widths[1] - 0.4 - inner[0]) / len(series)] * len(series)
        table: Table = right.add_table(rows=0, cols=len(inner))
        table._tbl.tblPr.style = "TableGrid"
        table.autofit = False
        for column, each in zip(table.columns, inner, strict=True):
            column.width = Cm(each)
        self.chart_numbers(table, inner, periods, series)

    def chart_numbers(
        self, table: Table, widths: list[float], periods: list[str], series: list[Series]
    ) -> None:
        self.header_rows(table, widths, [["Periode", *(s.label for s in series)]])
        for texts in chart_table_rows(periods, series):
            self.row(table, widths, texts, styles.TABEL, align="center", cant=True)

    def build(self) -> DocxDocument:
        self.setup()
        portrait = self.doc.sections[0]
        width = self.usable_cm(portrait)
        self.recap_kop()
        for line in title_lines(self.meta):
            self.para(line, styles.JUDUL)
        self.para("").paragraph_format.space_after = Pt(4)
        self.heading("A. Data yang Direkapitulasi")
        self.label_table(summary_rows(self.stats, self.meta), width)
        self.heading("B. Arti Angka")
        self.para(DEFINITIONS, styles.KESIMPULAN)

        landscape = self.doc.add_section(WD_SECTION.NEW_PAGE)
        self.page(landscape, landscape=True)
        width = self.usable_cm(landscape)
        self.heading("C. Rekapitulasi per SOP, Kecamatan dan Periode")
        self.para(
            "Σ = seluruh periode terpilih untuk SOP itu. Waktu dalam menit kerja.",
            styles.KETERANGAN,
            keep_next=True,
        )
        self.group_table(width)
        self.heading("D. Per Langkah, Antarkecamatan (Seluruh Periode Terpilih)")
        self.para(
            "Tepat waktu % (jumlah langkah dinilai); median dan P90 keterlambatan dalam menit "
            "kerja; \u201c.\u201d = langkah itu tidak ada pada SOP kecamatan tersebut.",
            styles.KETERANGAN,
            keep_next=True,
        )
        self.step_tables(width)
        heading = self.heading("E. Persentase Langkah Tepat Waktu per Periode")
        heading.paragraph_format.page_break_before = True
        self.chart(width)
        return self.doc


def build_recap(
    stats: Stats, meta: RecapMeta, options: ReportOptions | None = None
) -> DocxDocument:
    if stats.empty:
        raise ValueError("a recap needs at least one cycle")
    return _RecapWriter(stats, meta, options or ReportOptions()).build()


def export_recap_docx(
    stats: Stats,
    meta: RecapMeta,
    path: Path,
    options: ReportOptions | None = None,
    *,
    replace: bool = False,
) -> Path:
    """Write the recap to `path` (its folder must exist; an existing file only with
    `replace`); ReportError names the path and the cause, and leaves an old file as it was."""
    path = Path(path).expanduser()
    target = writable_target(path, replace, create_folder=False)
    buffer = io.BytesIO()
    build_recap(stats, meta, options).save(buffer)
    return save_durably(buffer, path, target, replace, False, "the recap")
