"""The few raw-XML touches python-docx has no API for: shading, borders, header rows, fields.

Children are inserted in schema order (Word rejects out-of-order properties; LibreOffice forgives).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement

if TYPE_CHECKING:
    from docx.table import Table, _Row
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

# Elements that must follow the one being inserted, per parent (ECMA-376 sequences).
_AFTER_PBDR = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
_AFTER_TBL_HEADER = ("w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del", "w:trPrChange")
_AFTER_CANT_SPLIT = ("w:trHeight", "w:tblHeader", *_AFTER_TBL_HEADER)
_AFTER_R_SHD = (
    "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
    "w:specVanish", "w:oMath",
)  # fmt: skip
_AFTER_TBL_BORDERS = (
    "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription",
)  # fmt: skip


def _element(tag: str, **attributes: str) -> BaseOxmlElement:
    element = cast(BaseOxmlElement, OxmlElement(tag))  # a "w:" tag is always a custom element
    for key, value in attributes.items():
        element.set(qn(f"w:{key}"), value)
    return element


def shade_run(run: Run, fill: str) -> None:
    run_pr = run._r.get_or_add_rPr()
    run_pr.insert_element_before(
        _element("w:shd", val="clear", color="auto", fill=fill), *_AFTER_R_SHD
    )


def bottom_rule(paragraph: Paragraph, style: str = "thickThinSmallGap", size: int = 24) -> None:
    """A bottom border under a paragraph; the default is the kop's thick-over-thin double rule."""
    p_pr = paragraph._p.get_or_add_pPr()
    borders = _element("w:pBdr")
    borders.append(_element("w:bottom", val=style, sz=str(size), space="1", color="000000"))
    p_pr.insert_element_before(borders, *_AFTER_PBDR)


def cant_split(row: _Row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.insert_element_before(_element("w:cantSplit", val="true"), *_AFTER_CANT_SPLIT)


def no_borders(table: Table) -> None:
    """Remove every border of a table (for layout tables such as the signature block)."""
    tbl_pr = table._tbl.tblPr
    borders = _element("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(_element(f"w:{side}", val="nil"))
    for old in tbl_pr.findall(qn("w:tblBorders")):
        tbl_pr.remove(old)
    tbl_pr.insert_element_before(borders, *_AFTER_TBL_BORDERS)


def add_field(paragraph: Paragraph, instruction: str, placeholder: str = "1") -> None:
    """A field (PAGE, NUMPAGES) as begin / instrText / separate / cached result / end."""

    def run_with(child: BaseOxmlElement) -> None:
        run = paragraph.add_run()
        run._r.append(child)

    run_with(_element("w:fldChar", fldCharType="begin"))
    instr = _element("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    run_with(_element("w:fldChar", fldCharType="separate"))
    paragraph.add_run(placeholder)
    run_with(_element("w:fldChar", fldCharType="end"))


# -- fast rows --------------------------------------------------------------------------------
# python-docx builds each run and property through its object layer (about 40 ms for a table
# row of nine cells); table bodies are written here as XML text and parsed once per row.

_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_ALIGN = {None: "", "left": "left", "center": "center", "right": "right", "both": "both"}


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def run_xml(
    text: str,
    size: float | None = None,
    bold: bool = False,
    underline: bool = False,
    fill: str | None = None,
    font: str | None = None,
) -> str:
    """One run; `text` must already be clean. Newlines become breaks, tabs become tabs."""
    props = ""
    if font:
        props += f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}"/>'
    if bold:
        props += "<w:b/><w:bCs/>"
    if size is not None:  # else the paragraph style's size
        half_points = int(round(size * 2))
        props += f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'
    if underline:
        props += '<w:u w:val="single"/>'
    if fill:
        props += f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>'
    body = []
    for index, line in enumerate(text.split("\n")):
        if index:
            body.append("<w:br/>")
        for part_index, part in enumerate(line.split("\t")):
            if part_index:
                body.append("<w:tab/>")
            if part:
                body.append(f'<w:t xml:space="preserve">{_escape(part)}</w:t>')
    properties = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f"<w:r>{properties}{''.join(body)}</w:r>"


def paragraph_xml(
    runs: str,
    align: str | None = None,
    before: int = 0,
    after: int = 0,
    keep_next: bool = False,
    style: str | None = None,
) -> str:
    props = f'<w:pStyle w:val="{style}"/>' if style else ""
    props += "<w:keepNext/>" if keep_next else ""
    if before or after:
        props += f'<w:spacing w:before="{before}" w:after="{after}"/>'
    if _ALIGN.get(align):
        props += f'<w:jc w:val="{_ALIGN[align]}"/>'
    return f"<w:p>{f'<w:pPr>{props}</w:pPr>' if props else ''}{runs}</w:p>"


def cell_xml(width_twips: int, paragraphs: str, fill: str | None = None) -> str:
    props = f'<w:tcW w:w="{width_twips}" w:type="dxa"/>'
    if fill:
        props += f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>'
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{paragraphs or '<w:p/>'}</w:tc>"


def append_row(
    table: Table, cells: list[str], cant_split: bool = False, header: bool = False
) -> _Row:
    """Append a row made of `cell_xml` strings; returns the python-docx row."""
    from docx.oxml import parse_xml
    from docx.table import _Row

    props = ""
    if cant_split:
        props += '<w:cantSplit w:val="true"/>'
    if header:
        props += '<w:tblHeader w:val="true"/>'
    tr = parse_xml(
        f"<w:tr {_W}>{f'<w:trPr>{props}</w:trPr>' if props else ''}{''.join(cells)}</w:tr>"
    )
    table._tbl.append(tr)
    return _Row(tr, table)
