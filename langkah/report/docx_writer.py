"""Lays the report's content out as a Word document with python-docx.

Portrait first section (kop, title, identity, roles, summary), then a landscape section for the
tables (execution, chart, monitoring) and the signatures. Tables are filled row by row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from langkah.formatting import holiday_warning
from langkah.report import content
from langkah.report.chart import add_chart, legend
from langkah.report.evaluation import add_evaluation_form
from langkah.report.flowchart import add_flowchart
from langkah.report.identity_page import add_identity_page
from langkah.report.options import PAPERS, ReportOptions
from langkah.report.sanitize import clean
from langkah.report.xml import (
    add_field,
    append_row,
    bottom_rule,
    cant_split,
    cell_xml,
    no_borders,
    paragraph_xml,
    run_xml,
)
from langkah.views import CycleView

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.enum.text import WD_PARAGRAPH_ALIGNMENT
    from docx.section import Section
    from docx.table import Table, _Cell, _Row
    from docx.text.paragraph import Paragraph

HEADER_FILL = "D9D9D9"
LATE_FILL = "F2DCDB"  # a light red that prints as a light grey
NOT_TAKEN_FILL = "F2F2F2"
SHORT_ROW = 1500  # characters: a row this short is kept on one page
MARGINS_CM = {"top": 2.0, "bottom": 2.0, "left": 2.5, "right": 2.0}
LANDSCAPE_MARGINS_CM = {"top": 2.0, "bottom": 1.8, "left": 2.0, "right": 1.5}


def _twips(cm: float) -> int:
    return int(round(cm / 2.54 * 1440))


def _only_first_paragraph(cell: _Cell) -> None:
    """After a merge, drop the empty paragraphs the merged cells brought along."""
    for extra in cell.paragraphs[1:]:
        extra._p.getparent().remove(extra._p)


class _Writer:
    def __init__(self, view: CycleView, options: ReportOptions):
        self.view = view
        self.options = options
        self.size = options.font_size
        self.small = max(options.font_size - 2, 7)
        self.tiny = max(options.font_size - 3, 7)
        self.doc = Document()
        self.marking = content.marking(view, options)

    # -- basics ------------------------------------------------------------------------------

    def setup(self) -> None:
        style = self.doc.styles["Normal"]
        style.font.name = self.options.font
        style.font.size = Pt(self.size)
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attribute), self.options.font)
        style.paragraph_format.space_after = Pt(0)
        style.paragraph_format.space_before = Pt(0)
        style.paragraph_format.line_spacing = 1.0
        identity = self.view.definition.identity
        props = self.doc.core_properties
        props.title = clean(f"Laporan SOP {identity.name} — {identity.office.unit_label}")[:250]
        props.subject = clean(self.view.period.label("id"))
        props.author = "Langkah"
        props.comments = clean(self.view.state.cycle_id)
        self.page(self.doc.sections[0], landscape=False)
        self.header_footer(self.doc.sections[0])

    def page(self, section: Section, landscape: bool) -> None:
        width, height = PAPERS[self.options.paper]
        margins = LANDSCAPE_MARGINS_CM if landscape else MARGINS_CM
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Mm(height), Mm(width)
        else:
            section.orientation = WD_ORIENT.PORTRAIT
            section.page_width, section.page_height = Mm(width), Mm(height)
        section.top_margin = Cm(margins["top"])
        section.bottom_margin = Cm(margins["bottom"])
        section.left_margin = Cm(margins["left"])
        section.right_margin = Cm(margins["right"])
        section.header_distance = Cm(1.0)
        section.footer_distance = Cm(1.0)

    def usable_cm(self, section: Section) -> float:
        lengths = (section.page_width, section.left_margin, section.right_margin)
        width, left, right = (int(length or 0) for length in lengths)  # EMU, set by `page`
        return (width - left - right) / 360000

    def header_footer(self, section: Section) -> None:
        """Running header (DRAFT mark + title) and "Halaman X dari Y"; the first page,
        under the kop, carries only the DRAFT mark."""
        section.different_first_page_header_footer = True
        for header, running in ((section.header, True), (section.first_page_header, False)):
            paragraph = header.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if self.marking.draft:
                run = paragraph.add_run("DRAFT  ")
                run.bold = True
                run.font.size = Pt(14)
                run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
            if running:
                run = paragraph.add_run(clean(content.header_text(self.view)))
                run.font.size = Pt(8)
                run.italic = True
        for footer in (section.footer, section.first_page_footer):
            paragraph = footer.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            for part in ("Halaman ", "PAGE", " dari ", "NUMPAGES"):
                if part in ("PAGE", "NUMPAGES"):
                    add_field(paragraph, part)
                else:
                    paragraph.add_run(part)
            for run in paragraph.runs:
                run.font.size = Pt(9)

    def para(self, text: str = "", bold: bool = False, size: float | None = None,
             align: WD_PARAGRAPH_ALIGNMENT | None = None, space_after: float = 0,
             italic: bool = False) -> Paragraph:  # fmt: skip
        paragraph = self.doc.add_paragraph()
        if text:
            run = paragraph.add_run(clean(text))
            run.bold = bold
            run.italic = italic
            if size:
                run.font.size = Pt(size)
        if align is not None:
            paragraph.alignment = align
        paragraph.paragraph_format.space_after = Pt(space_after)
        return paragraph

    def heading(self, text: str) -> None:
        paragraph = self.para(text, bold=True, space_after=4)
        paragraph.paragraph_format.space_before = Pt(10)
        paragraph.paragraph_format.keep_with_next = True

    def table(self, widths: list[float], grid: bool = True) -> Table:
        table: Table = self.doc.add_table(rows=0, cols=len(widths))
        if grid:
            table.style = "Table Grid"
        else:
            no_borders(table)
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Cm(width)
        return table

    def row(self, table: Table, widths: list[float], texts: list[str], size: float,
            bold: bool = False, fill: str | None = None, align: str | None = None,
            aligns: list[str | None] | None = None, cant: bool = False,
            header: bool = False) -> _Row:  # fmt: skip
        """Append one row (written as XML: fast for long tables); texts are cleaned here."""
        cells = []
        for index, (width, text) in enumerate(zip(widths, texts, strict=True)):
            text = clean(text)
            runs = run_xml(text, size, bold) if text else ""
            where = aligns[index] if aligns else align
            cells.append(cell_xml(_twips(width), paragraph_xml(runs, where), fill))
        return append_row(table, cells, cant_split=cant, header=header)

    # -- parts -------------------------------------------------------------------------------

    def kop(self) -> None:
        lines = content.kop_lines(self.view)
        sizes = [14, 16, 11]
        last = None
        for index, line in enumerate(lines):
            last = self.para(
                line,
                bold=index < 2,
                size=sizes[min(index, 2)],
                align=WD_ALIGN_PARAGRAPH.CENTER,
            )
        if last is not None:
            bottom_rule(last)
        self.para("", space_after=6)

    def title(self) -> None:
        for index, line in enumerate(content.title_lines(self.view, self.options)):
            self.para(line, bold=True, size=self.size + (1 if index == 0 else 0),
                      align=WD_ALIGN_PARAGRAPH.CENTER)  # fmt: skip
        for line in self.marking.lines:
            paragraph = self.para(line, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
            paragraph.runs[0].font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
        warning = holiday_warning(self.view.uncovered_years, self.view.holiday_last_year)
        if warning:
            paragraph = self.para(warning, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER)
            paragraph.runs[0].font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
        notice = content.integrity_notice(self.view)
        if notice:
            paragraph = self.para(notice, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
            paragraph.runs[0].font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
        code = content.verification_line(self.view)
        if code:
            self.para(code, size=self.small, align=WD_ALIGN_PARAGRAPH.CENTER)
        self.para("", space_after=4)

    def label_table(self, rows: list[tuple[str, str]], width: float) -> None:
        widths = [5.0, 0.5, width - 5.5]
        table = self.table(widths, grid=False)
        for label, value in rows:
            self.row(table, widths, [label, ":", value], self.size - 1)

    def roles(self, width: float) -> None:
        widths = [1.0, 3.6, 0.0, 4.3, 3.4]
        widths[2] = width - sum(widths)
        table = self.table(widths)
        self.row(table, widths, ["No", "Peran", "Nama", "NIP", "Pangkat"], self.small,
                 bold=True, fill=HEADER_FILL, align="center", header=True)  # fmt: skip
        for number, (role, name, number_nip, rank) in enumerate(content.role_rows(self.view), 1):
            self.row(table, widths, [str(number), role, name, number_nip, rank], self.small,
                     aligns=["center", None, None, None, None], cant=True)  # fmt: skip

    def execution(self, width: float) -> None:
        base = [1.3, 5.6, 3.0, 3.4, 1.9, 2.8, 2.9, 1.9, 3.4]
        factor = width / sum(base)
        widths = [w * factor for w in base]
        table = self.table(widths)
        size = self.tiny
        center = "center"
        top = ["No", "Kegiatan", "Pelaksana", "Mutu Baku", "", "", "Waktu aktual", "Selisih",
               "Keterangan"]  # fmt: skip
        second = ["", "", "", "Kelengkapan", "Waktu standar", "Output", "", "", ""]
        first_row = self.row(table, widths, top, size, True, HEADER_FILL, center,
                             cant=True, header=True)  # fmt: skip
        second_row = self.row(table, widths, second, size, True, HEADER_FILL, center,
                              cant=True, header=True)  # fmt: skip
        self.row(table, widths, [str(i) for i in range(1, 10)], size - 1, False, HEADER_FILL,
                 center, cant=True, header=True)  # fmt: skip
        # Merges on a three-row table are cheap; never index cells once data rows exist.
        a, b = first_row.cells, second_row.cells
        _only_first_paragraph(a[3].merge(a[5]))
        for index in (0, 1, 2, 6, 7, 8):
            merged = a[index].merge(b[index])
            merged.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            _only_first_paragraph(merged)
        for row_data in content.execution_rows(self.view):
            fill = None
            if row_data.state == "overdue":
                fill = LATE_FILL
            elif row_data.state == "not_taken":
                fill = NOT_TAKEN_FILL
            self.row(
                table,
                widths,
                [
                    row_data.no,
                    row_data.kegiatan,
                    row_data.pelaksana,
                    row_data.kelengkapan,
                    row_data.waktu_standar,
                    row_data.output,
                    row_data.waktu_aktual,
                    row_data.selisih,
                    row_data.keterangan,
                ],
                size,
                fill=fill,
                aligns=[center, None, None, None, center, None, None, center, None],
                cant=sum(len(text) for text in vars(row_data).values()) < SHORT_ROW,
            )

    def monitoring(self, width: float) -> None:
        rows = self.options.monitoring
        if rows is None:
            rows = content.monitoring_rows(self.view)
        base = [1.1, 7.0, 2.3, 2.3, 5.6, 5.4, 2.5]
        factor = width / sum(base)
        widths = [w * factor for w in base]
        table = self.table(widths)
        size = self.tiny
        center = "center"
        top = ["No", "Prosedur", "Penilaian terhadap penerapan", "", "Catatan hasil penilaian",
               "Tindakan yang harus diambil", "Paraf penilai"]  # fmt: skip
        second = ["", "", "Berjalan dengan baik", "Tidak berjalan dengan baik", "", "", ""]
        first_row = self.row(table, widths, top, size, True, HEADER_FILL, center,
                             cant=True, header=True)  # fmt: skip
        second_row = self.row(table, widths, second, size, True, HEADER_FILL, center,
                              cant=True, header=True)  # fmt: skip
        a, b = first_row.cells, second_row.cells
        _only_first_paragraph(a[2].merge(a[3]))
        for index in (0, 1, 4, 5, 6):
            merged = a[index].merge(b[index])
            merged.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            _only_first_paragraph(merged)
        for item in rows:
            good = "√" if item.berjalan_baik is True else ""
            bad = "√" if item.berjalan_baik is False else ""
            texts = [
                str(item.no),
                item.prosedur,
                good,
                bad,
                item.catatan or "",
                item.tindakan or "",
                item.paraf or "",
            ]
            self.row(
                table,
                widths,
                texts,
                size,
                aligns=[center, None, center, center, None, None, None],
                cant=sum(len(text) for text in texts) < SHORT_ROW,
            )

    def signatures(self, width: float) -> None:
        blocks = content.signatures(self.view, self.options)
        widths = [width / 2, width / 2]
        table = self.table(widths, grid=False)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        add_row: Callable[[], _Row] = table.add_row  # python-docx leaves it unannotated
        row = add_row()
        cant_split(row)
        for cell, cell_width, block in zip(
            row.cells, widths, (blocks.left, blocks.right), strict=True
        ):
            cell.width = Cm(cell_width)
            lines: list[tuple[str, bool]] = [(text, False) for text in block.above]
            lines += [("", False)] * 4
            lines.append((block.name, block.filled))
            if block.rank:
                lines.append((block.rank, False))
            lines.append((block.nip, False))
            first = True
            for text, emphasis in lines:
                paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
                first = False
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                paragraph.paragraph_format.keep_with_next = True
                run = paragraph.add_run(clean(text))
                if emphasis:
                    run.bold = True
                    run.underline = True

    # -- the whole document ------------------------------------------------------------------

    def build(self) -> DocxDocument:
        self.setup()
        portrait = self.doc.sections[0]
        width = self.usable_cm(portrait)
        self.kop()
        self.title()
        add_identity_page(self.doc, self.view, width)
        self.heading("B. Pelaksana")
        self.roles(width)
        self.heading("C. Ringkasan Pelaksanaan")
        self.label_table(content.summary_rows(self.view), width)

        landscape = self.doc.add_section(WD_SECTION.NEW_PAGE)
        landscape.different_first_page_header_footer = False
        self.page(landscape, landscape=True)
        width = self.usable_cm(landscape)
        top, bottom = (int(m or 0) for m in (landscape.top_margin, landscape.bottom_margin))
        height = (int(landscape.page_height or 0) - top - bottom) / 360000  # EMU -> cm
        add_flowchart(self.doc, self.view.definition, width, height)
        self.heading("D. Pelaksanaan Langkah SOP")
        self.execution(width)
        self.heading("E. Waktu Standar dan Waktu Aktual per Langkah")
        legend(self.para(space_after=4), self.tiny)
        add_chart(self.doc, content.chart_rows(self.view), width, self.tiny)
        self.heading("F. Monitoring Pelaksanaan SOP")
        self.monitoring(width)
        add_evaluation_form(self.doc, self.view, width)
        self.para("", space_after=6)
        self.signatures(width)
        return self.doc


def build_document(view: CycleView, options: ReportOptions | None = None) -> DocxDocument:
    """The report as a python-docx Document (not yet saved)."""
    return _Writer(view, options or ReportOptions()).build()
