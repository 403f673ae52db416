"""Table rows for the identity page and the evaluation form, written as XML in one go.

python-docx's object layer costs tens of milliseconds per row; these rows are parsed once each
(langkah.report.xml.append_row). Every paragraph names a style of the report's set by its id
(langkah.report.styles); runs carry no direct formatting. Texts must already be clean
(langkah.report.sanitize.clean).
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from langkah.report.styles import style_id
from langkah.report.xml import append_row, cell_xml

if TYPE_CHECKING:
    from docx.document import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

TWIPS_PER_CM = 1440 / 2.54


def paragraph(text: str, style: str, *, center: bool = False, hanging_cm: float = 0.0,
              after_pt: float = 0.0, keep_next: bool = False) -> str:  # fmt: skip
    """One paragraph of one run in the named `style` (set by id); newlines in `text` become
    line breaks."""
    props = f'<w:pStyle w:val="{style_id(style)}"/>'
    props += "<w:keepNext/>" if keep_next else ""
    if after_pt:
        props += f'<w:spacing w:before="0" w:after="{round(after_pt * 20)}"/>'
    if hanging_cm:
        twips = round(hanging_cm * TWIPS_PER_CM)
        props += f'<w:ind w:left="{twips}" w:hanging="{twips}"/>'
    if center:
        props += '<w:jc w:val="center"/>'
    body = "<w:br/>".join(
        f'<w:t xml:space="preserve">{escape(line)}</w:t>' for line in text.split("\n")
    )
    return f"<w:p><w:pPr>{props}</w:pPr><w:r>{body}</w:r></w:p>"


def cell(width_cm: float, paragraphs: list[str], fill: str | None = None) -> str:
    return cell_xml(round(width_cm * TWIPS_PER_CM), "".join(paragraphs), fill)


def add_row(table: Table, cells: list[str], header: bool = False) -> None:
    """Append a row that never splits across pages (a header row repeats on each page)."""
    append_row(table, cells, cant_split=True, header=header)


def styled_paragraph(document: Document, text: str, style: str) -> Paragraph:
    """A body paragraph in the named `style`, set by id (python-docx's lookup by name is slow)."""
    paragraph = document.add_paragraph(text)
    if style != "Normal":
        paragraph._p.style = style_id(style)
    return paragraph


def grid_table(document: Document, widths_cm: list[float]) -> Table:
    """An empty bordered table with its column grid (LibreOffice reads it); style set by id."""
    from docx.shared import Cm

    table: Table = document.add_table(rows=0, cols=len(widths_cm))
    table._tbl.tblPr.style = "TableGrid"
    table.autofit = False
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
    return table
