"""The few raw-XML touches python-docx has no API for: shading, borders, header rows, fields.

Children are inserted in schema order (Word rejects out-of-order properties; LibreOffice forgives).
"""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

# Elements that must follow the one being inserted, per parent (ECMA-376 sequences).
_AFTER_PBDR = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
_AFTER_TC_SHD = ("w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark")
_AFTER_TC_BORDERS = ("w:shd", *_AFTER_TC_SHD)
_AFTER_TBL_HEADER = ("w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del", "w:trPrChange")
_AFTER_CANT_SPLIT = ("w:trHeight", "w:tblHeader", *_AFTER_TBL_HEADER)
_AFTER_R_SHD = (
    "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
    "w:specVanish", "w:oMath",
)  # fmt: skip
_AFTER_TBL_BORDERS = (
    "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription",
)  # fmt: skip


def _element(tag: str, **attributes: str):
    element = OxmlElement(tag)
    for key, value in attributes.items():
        element.set(qn(f"w:{key}"), value)
    return element


def shade_cell(cell, fill: str) -> None:
    """Fill a table cell with a colour (hex "D9D9D9")."""
    tc_pr = cell._tc.get_or_add_tcPr()
    for old in tc_pr.findall(qn("w:shd")):
        tc_pr.remove(old)
    tc_pr.insert_element_before(
        _element("w:shd", val="clear", color="auto", fill=fill), *_AFTER_TC_SHD
    )


def shade_run(run, fill: str) -> None:
    run_pr = run._r.get_or_add_rPr()
    run_pr.insert_element_before(
        _element("w:shd", val="clear", color="auto", fill=fill), *_AFTER_R_SHD
    )


def bottom_rule(paragraph, style: str = "thickThinSmallGap", size: int = 24) -> None:
    """A bottom border under a paragraph; the default is the kop's thick-over-thin double rule."""
    p_pr = paragraph._p.get_or_add_pPr()
    borders = _element("w:pBdr")
    borders.append(_element("w:bottom", val=style, sz=str(size), space="1", color="000000"))
    p_pr.insert_element_before(borders, *_AFTER_PBDR)


def repeat_header(row) -> None:
    """Mark a table row as a header row, repeated at the top of every page."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.insert_element_before(_element("w:tblHeader", val="true"), *_AFTER_TBL_HEADER)


def cant_split(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.insert_element_before(_element("w:cantSplit", val="true"), *_AFTER_CANT_SPLIT)


def no_borders(table) -> None:
    """Remove every border of a table (for layout tables such as the signature block)."""
    tbl_pr = table._tbl.tblPr
    borders = _element("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(_element(f"w:{side}", val="nil"))
    for old in tbl_pr.findall(qn("w:tblBorders")):
        tbl_pr.remove(old)
    tbl_pr.insert_element_before(borders, *_AFTER_TBL_BORDERS)


def add_field(paragraph, instruction: str, placeholder: str = "1") -> None:
    """A field (PAGE, NUMPAGES) as begin / instrText / separate / cached result / end."""

    def run_with(child) -> None:
        run = paragraph.add_run()
        run._r.append(child)

    run_with(_element("w:fldChar", fldCharType="begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    run_with(_element("w:fldChar", fldCharType="separate"))
    paragraph.add_run(placeholder)
    run_with(_element("w:fldChar", fldCharType="end"))


def set_cell_margins(table, left_twips: int = 70, right_twips: int = 70) -> None:
    tbl_pr = table._tbl.tblPr
    margins = _element("w:tblCellMar")
    margins.append(_element("w:left", w=str(left_twips), type="dxa"))
    margins.append(_element("w:right", w=str(right_twips), type="dxa"))
    tbl_pr.insert_element_before(
        margins, "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange"
    )
