"""Lays the report's content out as a Word document with python-docx.

Portrait first section (kop, title, identity, roles, summary), then a landscape section for the
tables (execution, chart, monitoring), the conclusion and the signatures; long notes go to an
appendix. Tables are filled row by row. Every paragraph has a named style (langkah.report.styles);
what must stay together is marked so (headings keep with what follows, the conclusion keeps with
the signatures, table rows and the signature block do not split).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Mm, Pt

from langkah.formatting import holiday_warning
from langkah.messages import os_reason, say
from langkah.report import content, styles
from langkah.report.chart import add_chart, legend
from langkah.report.evaluation import add_evaluation_form
from langkah.report.flowchart import add_flowchart
from langkah.report.identity_page import add_identity_page
from langkah.report.options import PAPERS, ReportError, ReportOptions
from langkah.report.sanitize import clean
from langkah.report.styles import style_id
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


def set_style(paragraph: Paragraph, name: str) -> None:
    """Give a paragraph a style by its id (python-docx's lookup by name is slow)."""
    if name != "Normal":
        paragraph._p.style = style_id(name)


def only_first_paragraph(cell: _Cell) -> None:
    """After a merge, drop the empty paragraphs the merged cells brought along."""
    for extra in cell.paragraphs[1:]:
        extra._p.getparent().remove(extra._p)


class DocxWriter:
    def __init__(self, view: CycleView, options: ReportOptions):
        self.view = view
        self.options = options
        self.size = options.font_size
        self.tiny = max(options.font_size - 3, 7)
        self.doc = Document()
        self.marking = content.marking(view, options)

    # -- basics ------------------------------------------------------------------------------

    def setup(self) -> None:
        styles.setup_styles(self.doc, self.options.font, self.size)
        identity = self.view.definition.identity
        author = (self.options.author or "").strip() or identity.unit  # as the SOP writes it
        styles.set_properties(
            self.doc,
            title=clean(f"Laporan SOP {identity.name} — {identity.office.unit_label}"),
            subject=clean(f"Laporan pelaksanaan SOP, {self.view.period.label('id')}"),
            author=clean(author),
            now=self.view.now,
            comments=clean(f"Kode siklus {self.view.state.cycle_id}"),
        )
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
        """The running header (DRAFT mark + title) and "Halaman X dari Y" on every page; the
        later sections inherit them (linked to the previous)."""
        section.different_first_page_header_footer = False
        paragraph = section.header.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if self.marking.draft:
            run = paragraph.add_run("DRAFT  ")
            run.bold = True
            run.font.size = Pt(14)
            run.font.color.rgb = styles.RED
        run = paragraph.add_run(clean(content.header_text(self.view)))
        run.font.size = Pt(8)
        run.italic = True
        paragraph = section.footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for part in ("Halaman ", "PAGE", " dari ", "NUMPAGES"):
            if part in ("PAGE", "NUMPAGES"):
                add_field(paragraph, part)
            else:
                paragraph.add_run(part)
        for run in paragraph.runs:
            run.font.size = Pt(9)

    def para(self, text: str = "", style: str = "Normal", keep_next: bool | None = None,
             bold: bool = False) -> Paragraph:  # fmt: skip
        paragraph = self.doc.add_paragraph()
        set_style(paragraph, style)
        if text:
            run = paragraph.add_run(clean(text))
            if bold:
                run.bold = True
        if keep_next is not None:
            paragraph.paragraph_format.keep_with_next = keep_next
        return paragraph

    def heading(self, text: str, level: int = 1) -> Paragraph:
        """A real Heading 1/2 (Word's navigation pane, a table of contents); it keeps with what
        follows, so it is never the last line of a page."""
        return self.para(text, f"Heading {level}")

    def table(self, widths: list[float], grid: bool = True) -> Table:
        table: Table = self.doc.add_table(rows=0, cols=len(widths))
        if grid:
            table._tbl.tblPr.style = "TableGrid"  # by id: a lookup by name is slow
        else:
            no_borders(table)
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Cm(width)
        return table

    def row(self, table: Table, widths: list[float], texts: list[str], style: str,
            fill: str | None = None, align: str | None = None,
            aligns: list[str | None] | None = None, cant: bool = False,
            header: bool = False, keep_next: bool = False) -> _Row:  # fmt: skip
        """Append one row (written as XML: fast for long tables); texts are cleaned here."""
        cells = []
        sid = style_id(style)
        for index, (width, text) in enumerate(zip(widths, texts, strict=True)):
            text = clean(text)
            runs = run_xml(text) if text else ""
            where = aligns[index] if aligns else align
            paragraph = paragraph_xml(runs, where, keep_next=keep_next, style=sid)
            cells.append(cell_xml(_twips(width), paragraph, fill))
        return append_row(table, cells, cant_split=cant, header=header)

    # -- parts -------------------------------------------------------------------------------

    def kop(self, width: float) -> None:
        """The letterhead: the pemda logo at the left if there is one, the lines centred, then
        the double rule."""
        lines = content.kop_lines(self.view)
        names = [styles.KOP_PEMERINTAH, styles.KOP_UNIT, styles.KOP_ALAMAT]
        logo = self.options.logo
        if logo is None:
            last = None
            for index, line in enumerate(lines):
                last = self.para(line, names[min(index, 2)])
            if last is not None:
                bottom_rule(last)
        else:
            logo_width = 2.4
            widths = [logo_width + 0.4, width - logo_width - 0.4]
            table = self.table(widths, grid=False)
            add_row: Callable[[], _Row] = table.add_row
            row = add_row()
            cant_split(row)
            picture_cell, text_cell = row.cells
            picture_cell.width, text_cell.width = Cm(widths[0]), Cm(widths[1])
            picture_cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            text_cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            try:
                picture_cell.paragraphs[0].add_run().add_picture(str(logo), width=Cm(logo_width))
            except Exception as error:  # an unreadable or unknown image: say which file
                reason = (
                    os_reason(error)
                    if isinstance(error, OSError)
                    else say("report.not_an_image", detail=str(error) or type(error).__name__)
                )
                raise ReportError(
                    say("report.bad_logo", logo=logo, reason=reason), Path(logo)
                ) from None
            for index, line in enumerate(lines):
                paragraph = text_cell.paragraphs[0] if index == 0 else text_cell.add_paragraph()
                set_style(paragraph, names[min(index, 2)])
                paragraph.add_run(clean(line))
            bottom_rule(self.para(""))
        self.para("").paragraph_format.space_after = Pt(6)

    def title(self) -> None:
        for line in content.title_lines(self.view, self.options):
            self.para(line, styles.JUDUL)
        for line in self.marking.lines:
            self.para(line, styles.PERINGATAN)
        warning = holiday_warning(self.view.uncovered_years, self.view.holiday_last_year)
        if warning:
            self.para(warning, styles.PERINGATAN)
        notice = content.integrity_notice(self.view)
        if notice:
            self.para(notice, styles.PERINGATAN)
        code = content.verification_line(self.view)
        if code:
            self.para(code, styles.KETERANGAN)
        self.para("").paragraph_format.space_after = Pt(4)

    def label_table(self, rows: list[tuple[str, str]], width: float) -> None:
        widths = [5.0, 0.5, width - 5.5]
        table = self.table(widths, grid=False)
        for label, value in rows:
            self.row(table, widths, [label, ":", value], styles.ISIAN, cant=True)

    def header_rows(self, table: Table, widths: list[float], rows: list[list[str]]) -> list[_Row]:
        return [
            self.row(
                table,
                widths,
                texts,
                styles.TABEL_KEPALA,
                HEADER_FILL,
                "center",
                cant=True,
                header=True,
            )  # fmt: skip
            for texts in rows
        ]

    def roles(self, width: float) -> None:
        widths = [1.0, 4.4, 0.0, 4.3, 3.4]
        widths[2] = width - sum(widths)
        table = self.table(widths)
        self.header_rows(table, widths, [["No", "Peran", "Nama", "NIP", "Pangkat"]])
        for number, (role, name, number_nip, rank) in enumerate(content.role_rows(self.view), 1):
            self.row(table, widths, [str(number), role, name, number_nip, rank], styles.TABEL,
                     aligns=["center", None, None, None, None], cant=True)  # fmt: skip

    def execution(self, width: float) -> None:
        base = [1.3, 5.6, 3.0, 3.4, 2.3, 2.8, 2.9, 1.9, 3.4]
        factor = width / sum(base)
        widths = [w * factor for w in base]
        table = self.table(widths)
        center = "center"
        top = ["No", "Kegiatan", "Pelaksana", "Mutu Baku", "", "", "Waktu aktual", "Selisih",
               "Keterangan"]  # fmt: skip
        second = ["", "", "", "Kelengkapan", "Waktu standar", "Output", "", "", ""]
        first_row, second_row, _numbers = self.header_rows(
            table, widths, [top, second, [str(i) for i in range(1, 10)]]
        )
        # Merges on a three-row table are cheap; never index cells once data rows exist.
        a, b = first_row.cells, second_row.cells
        only_first_paragraph(a[3].merge(a[5]))
        for index in (0, 1, 2, 6, 7, 8):
            merged = a[index].merge(b[index])
            merged.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            only_first_paragraph(merged)
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
                styles.TABEL,
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
        center = "center"
        top = ["No", "Prosedur", "Penilaian terhadap penerapan", "", "Catatan hasil penilaian",
               "Tindakan yang harus diambil", "Paraf penilai"]  # fmt: skip
        second = ["", "", "Berjalan dengan baik", "Tidak berjalan dengan baik", "", "", ""]
        first_row, second_row = self.header_rows(table, widths, [top, second])
        a, b = first_row.cells, second_row.cells
        only_first_paragraph(a[2].merge(a[3]))
        for index in (0, 1, 4, 5, 6):
            merged = a[index].merge(b[index])
            merged.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            only_first_paragraph(merged)
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
                styles.TABEL,
                aligns=[center, None, center, center, None, None, None],
                cant=sum(len(text) for text in texts) < SHORT_ROW,
            )

    def conclusion(self) -> None:
        """The conclusion from the figures; it keeps with the signatures that follow, so the
        signature block never stands alone on a page."""
        self.heading("I. Kesimpulan")
        self.para(" ".join(content.conclusion(self.view)), styles.KESIMPULAN)
        self.para(
            "Demikian laporan ini dibuat sesuai dengan catatan pelaksanaan SOP.", styles.KESIMPULAN
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
            for index, (text, emphasis) in enumerate(lines):
                paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
                set_style(paragraph, styles.TANDA_TANGAN)
                if index == len(lines) - 1:  # the style keeps with next; the last line needn't
                    paragraph.paragraph_format.keep_with_next = False
                run = paragraph.add_run(clean(text))
                if emphasis:
                    run.bold = True
                    run.underline = True

    def appendix(self) -> None:
        """Long notes in full, on a page of their own after the signatures."""
        notes = content.appendix_notes(self.view)
        if not notes:
            return
        # the heading starts the page (a break in a paragraph of its own would make an empty
        # page when the signatures end their page)
        self.heading("Lampiran: Catatan Lengkap").paragraph_format.page_break_before = True
        for number, where, text in notes:
            self.heading(f"Catatan {number} — {where}", level=2)
            for line in text.splitlines() or [""]:
                self.para(line, styles.LAMPIRAN)

    # -- the whole document ------------------------------------------------------------------

    def build(self) -> DocxDocument:
        self.setup()
        portrait = self.doc.sections[0]
        width = self.usable_cm(portrait)
        self.kop(width)
        self.title()
        add_identity_page(self.doc, self.view, width, "A. Identitas SOP")
        self.heading("B. Pelaksana dan Penanda Tangan")
        self.roles(width)
        self.heading("C. Ringkasan Pelaksanaan")
        self.label_table(content.summary_rows(self.view), width)

        landscape = self.doc.add_section(WD_SECTION.NEW_PAGE)
        self.page(landscape, landscape=True)
        width = self.usable_cm(landscape)
        top, bottom = (int(m or 0) for m in (landscape.top_margin, landscape.bottom_margin))
        height = (int(landscape.page_height or 0) - top - bottom) / 360000  # EMU -> cm
        charted = add_flowchart(self.doc, self.view.definition, width, height, "D. Bagan Alir SOP")
        self.heading("E. Pelaksanaan Langkah SOP").paragraph_format.page_break_before = charted > 0
        self.execution(width)
        self.heading("F. Waktu Standar dan Waktu Aktual per Langkah")
        legend(self.para("", styles.TABEL, keep_next=True), self.tiny)
        add_chart(self.doc, content.chart_rows(self.view), width, self.tiny)
        self.heading("G. Monitoring Pelaksanaan SOP")
        self.monitoring(width)
        add_evaluation_form(self.doc, self.view, width, "H. Evaluasi Penerapan SOP")
        self.conclusion()
        self.signatures(width)
        self.appendix()
        return self.doc


def build_document(view: CycleView, options: ReportOptions | None = None) -> DocxDocument:
    """The report as a python-docx Document (not yet saved)."""
    return DocxWriter(view, options or ReportOptions()).build()
