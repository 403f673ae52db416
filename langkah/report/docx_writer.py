"""Lays the report's content out as a Word document with python-docx.

Portrait first section (kop, title, identity, roles, summary), then a landscape section for the
tables (execution, chart, monitoring) and the signatures. Tables are filled row by row.
"""

from __future__ import annotations

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from langkah.report import content
from langkah.report.chart import add_chart, legend
from langkah.report.options import PAPERS, ReportOptions
from langkah.report.sanitize import clean
from langkah.report.xml import (
    add_field,
    bottom_rule,
    cant_split,
    no_borders,
    repeat_header,
    shade_cell,
)
from langkah.service import CycleView

HEADER_FILL = "D9D9D9"
LATE_FILL = "F2DCDB"  # a light red that prints as a light grey
NOT_TAKEN_FILL = "F2F2F2"
MARGINS_CM = {"top": 2.0, "bottom": 2.0, "left": 2.5, "right": 2.0}
LANDSCAPE_MARGINS_CM = {"top": 2.0, "bottom": 1.8, "left": 2.0, "right": 1.5}


def _only_first_paragraph(cell) -> None:
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
        props.title = clean(f"Laporan SOP {identity.name} — Kecamatan {identity.kecamatan}")[:250]
        props.subject = clean(self.view.period.label("id"))
        props.author = "Langkah"
        props.comments = clean(self.view.state.cycle_id)
        self.page(self.doc.sections[0], landscape=False)
        self.header_footer(self.doc.sections[0])

    def page(self, section, landscape: bool) -> None:
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

    def usable_cm(self, section) -> float:
        return (section.page_width - section.left_margin - section.right_margin) / 360000

    def header_footer(self, section) -> None:
        header = section.header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if self.marking.draft:
            run = header.add_run("DRAFT  ")
            run.bold = True
            run.font.size = Pt(14)
            run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
        run = header.add_run(clean(content.header_text(self.view, self.options)))
        run.font.size = Pt(8)
        run.italic = True
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for part in ("Halaman ", "PAGE", " dari ", "NUMPAGES"):
            if part in ("PAGE", "NUMPAGES"):
                add_field(footer, part)
            else:
                footer.add_run(part)
        for run in footer.runs:
            run.font.size = Pt(9)

    def para(self, text: str = "", bold: bool = False, size: float | None = None,
             align=None, space_after: float = 0, italic: bool = False):  # fmt: skip
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

    @staticmethod
    def write(cell, text: str, size: float, bold: bool = False, align=None) -> None:
        paragraph = cell.paragraphs[0]
        run = paragraph.add_run(clean(text))
        run.font.size = Pt(size)
        run.bold = bold
        if align is not None:
            paragraph.alignment = align

    def table(self, widths: list[float], grid: bool = True):
        table = self.doc.add_table(rows=0, cols=len(widths))
        if grid:
            table.style = "Table Grid"
        else:
            no_borders(table)
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Cm(width)
        return table

    def row(self, table, widths: list[float], texts: list[str], size: float,
            bold: bool = False, fill: str | None = None, align=None):  # fmt: skip
        row = table.add_row()
        for cell, width, text in zip(row.cells, widths, texts, strict=True):
            cell.width = Cm(width)
            self.write(cell, text, size, bold, align)
            if fill:
                shade_cell(cell, fill)
        return row

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
        bottom_rule(last)
        self.para("", space_after=6)

    def title(self) -> None:
        for index, line in enumerate(content.title_lines(self.view, self.options)):
            self.para(line, bold=True, size=self.size + (1 if index == 0 else 0),
                      align=WD_ALIGN_PARAGRAPH.CENTER)  # fmt: skip
        for line in self.marking.lines:
            paragraph = self.para(line, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
            paragraph.runs[0].font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
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
        header = self.row(table, widths, ["No", "Peran", "Nama", "NIP", "Pangkat"], self.small,
                          bold=True, fill=HEADER_FILL, align=WD_ALIGN_PARAGRAPH.CENTER)  # fmt: skip
        repeat_header(header)
        for number, (role, name, number_nip, rank) in enumerate(content.role_rows(self.view), 1):
            self.row(table, widths, [str(number), role, name, number_nip, rank], self.small)

    def execution(self, width: float) -> None:
        base = [1.3, 5.6, 3.0, 3.4, 1.9, 2.8, 2.9, 1.9, 3.4]
        factor = width / sum(base)
        widths = [w * factor for w in base]
        table = self.table(widths)
        size = self.tiny
        center = WD_ALIGN_PARAGRAPH.CENTER
        top = ["No", "Kegiatan", "Pelaksana", "Mutu Baku", "", "", "Waktu aktual", "Selisih",
               "Keterangan"]  # fmt: skip
        second = ["", "", "", "Kelengkapan", "Waktu standar", "Output", "", "", ""]
        first_row = self.row(table, widths, top, size, True, HEADER_FILL, center)
        second_row = self.row(table, widths, second, size, True, HEADER_FILL, center)
        numbers = self.row(table, widths, [str(i) for i in range(1, 10)], size - 1, False,
                           HEADER_FILL, center)  # fmt: skip
        for row in (first_row, second_row, numbers):
            repeat_header(row)
            cant_split(row)
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
            row = self.row(
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
            )
            cells = row.cells
            cells[0].paragraphs[0].alignment = center
            cells[4].paragraphs[0].alignment = center
            cells[7].paragraphs[0].alignment = center

    def monitoring(self, width: float) -> None:
        rows = self.options.monitoring
        if rows is None:
            rows = content.monitoring_rows(self.view)
        base = [1.1, 7.0, 2.3, 2.3, 5.6, 5.4, 2.5]
        factor = width / sum(base)
        widths = [w * factor for w in base]
        table = self.table(widths)
        size = self.tiny
        center = WD_ALIGN_PARAGRAPH.CENTER
        top = ["No", "Prosedur", "Penilaian terhadap penerapan", "", "Catatan hasil penilaian",
               "Tindakan yang harus diambil", "Paraf penilai"]  # fmt: skip
        second = ["", "", "Berjalan dengan baik", "Tidak berjalan dengan baik", "", "", ""]
        first_row = self.row(table, widths, top, size, True, HEADER_FILL, center)
        second_row = self.row(table, widths, second, size, True, HEADER_FILL, center)
        for row in (first_row, second_row):
            repeat_header(row)
            cant_split(row)
        a, b = first_row.cells, second_row.cells
        _only_first_paragraph(a[2].merge(a[3]))
        for index in (0, 1, 4, 5, 6):
            merged = a[index].merge(b[index])
            merged.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            _only_first_paragraph(merged)
        for item in rows:
            good = "√" if item.berjalan_baik is True else ""
            bad = "√" if item.berjalan_baik is False else ""
            row = self.row(
                table,
                widths,
                [
                    str(item.no),
                    item.prosedur,
                    good,
                    bad,
                    item.catatan or "",
                    item.tindakan or "",
                    item.paraf or "",
                ],  # fmt: skip
                size,
            )
            cells = row.cells
            for index in (0, 2, 3):
                cells[index].paragraphs[0].alignment = center

    def signatures(self, width: float) -> None:
        blocks = content.signatures(self.view, self.options)
        widths = [width / 2, width / 2]
        table = self.table(widths, grid=False)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        row = table.add_row()
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

    def build(self):
        self.setup()
        portrait = self.doc.sections[0]
        width = self.usable_cm(portrait)
        self.kop()
        self.title()
        self.heading("A. Identitas SOP")
        self.label_table(content.identity_rows(self.view), width)
        self.heading("B. Pelaksana")
        self.roles(width)
        self.heading("C. Ringkasan Pelaksanaan")
        self.label_table(content.summary_rows(self.view), width)

        landscape = self.doc.add_section(WD_SECTION.NEW_PAGE)
        self.page(landscape, landscape=True)
        width = self.usable_cm(landscape)
        self.heading("D. Pelaksanaan Langkah SOP")
        self.execution(width)
        self.heading("E. Waktu Standar dan Waktu Aktual per Langkah")
        legend(self.para(space_after=4), self.tiny)
        add_chart(self.doc, content.chart_rows(self.view), width, self.tiny)
        self.heading("F. Monitoring Pelaksanaan SOP")
        self.monitoring(width)
        self.para("", space_after=6)
        self.signatures(width)
        return self.doc


def build_document(view: CycleView, options: ReportOptions | None = None):
    """The report as a python-docx Document (not yet saved)."""
    return _Writer(view, options or ReportOptions()).build()
