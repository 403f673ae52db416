"""Reading a produced .docx back: body text in order, tables as rows of cell texts."""

from __future__ import annotations

from docx.document import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph


def table_rows(table: Table) -> list[list[str]]:
    """Cell texts per row, merged cells once (read from the XML: no quadratic cell lookups)."""
    rows = []
    for tr in table._tbl.tr_lst:
        cells = []
        for tc in tr.tc_lst:
            texts = [p_text(p) for p in tc.p_lst]
            cells.append("\n".join(texts))
        rows.append(cells)
    return rows


def p_text(p) -> str:
    return Paragraph(p, None).text


def structure(document: Document) -> list[str]:
    """One line per paragraph, one per table row ("| a | b |"), in body order."""
    lines = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            if item.text.strip():
                lines.append(item.text)
        else:
            lines.append("[table]")
            for row in table_rows(item):
                lines.append("| " + " | ".join(c.replace("\n", " / ") for c in row) + " |")
    return lines


def all_text(document: Document) -> str:
    """Every text of the body, headers included, joined by newlines."""
    parts = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            parts.append(item.text)
        else:
            for row in table_rows(item):
                parts.extend(row)
    for section in document.sections:
        for part in (section.header, section.first_page_header):
            parts.extend(p.text for p in part.paragraphs)
    return "\n".join(parts)


def header_texts(document: Document) -> list[str]:
    texts = []
    for section in document.sections:
        for part in (section.header, section.first_page_header):
            text = " ".join(p.text for p in part.paragraphs).strip()
            if not part.is_linked_to_previous and text:
                texts.append(text)
    return texts


def tables(document: Document) -> list[Table]:
    return list(document.tables)


def is_header_row(tr) -> bool:
    tr_pr = tr.trPr
    return tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None
