"""Table rows for the identity page and the evaluation form, written as XML in one go.

python-docx's object layer costs tens of milliseconds per row; these rows are parsed once each
(langkah.report.xml.append_row). Runs carry no font size: the text takes the document's styles.
Texts must already be clean (langkah.report.sanitize.clean).
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from langkah.report.xml import append_row, cell_xml

if TYPE_CHECKING:
    from docx.table import Table

TWIPS_PER_CM = 1440 / 2.54


def paragraph(text: str, *, bold: bool = False, center: bool = False, hanging_cm: float = 0.0,
              after_pt: float = 0.0, keep_next: bool = False) -> str:  # fmt: skip
    """One paragraph of one run; newlines in `text` become line breaks."""
    props = "<w:keepNext/>" if keep_next else ""
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
    run = f"<w:r>{'<w:rPr><w:b/><w:bCs/></w:rPr>' if bold else ''}{body}</w:r>"
    return f"<w:p>{f'<w:pPr>{props}</w:pPr>' if props else ''}{run}</w:p>"


def cell(width_cm: float, paragraphs: list[str], fill: str | None = None) -> str:
    return cell_xml(round(width_cm * TWIPS_PER_CM), "".join(paragraphs), fill)


def add_row(table: Table, cells: list[str], header: bool = False) -> None:
    """Append a row that never splits across pages (a header row repeats on each page)."""
    append_row(table, cells, cant_split=True, header=header)
