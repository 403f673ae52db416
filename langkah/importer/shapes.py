"""Finding the flowchart symbols (and the labels beside the arrows) in one table cell.

A symbol is a DrawingML shape (`wps:wsp` with a flowchart preset), a VML shape (`v:shape` of a
flowchart type, `v:roundrect`, ...), a shape inside a group or canvas, a picture, or a text
marker (▭, ◇, ⬭, ✓ ...). `mc:AlternateContent` is read through its `mc:Choice`, and through its
`mc:Fallback` when the choice holds nothing Langkah knows. Connectors and arrows are not symbols;
text boxes are labels (their text may say where a decision's exit leads).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

from lxml import etree

from langkah.importer.ns import box_text, own_paragraphs, qn, xpath
from langkah.importer.words import route

Kind = Literal["symbol", "label"]

# DrawingML preset geometries (a:prstGeom/@prst)
_DRAWINGML = {
    "flowChartTerminator": "terminator",
    "flowChartAlternateProcess": "terminator",
    "roundRect": "terminator",
    "ellipse": "terminator",
    "flowChartProcess": "process",
    "flowChartPredefinedProcess": "process",
    "flowChartDocument": "process",
    "rect": "process",
    "flowChartDecision": "decision",
    "diamond": "decision",
}
# VML shape types (v:shape/@type "#_x0000_tNNN" or @o:spt), the same shapes
_VML_TYPES = {
    "116": "terminator",
    "176": "terminator",
    "2": "terminator",
    "3": "terminator",
    "109": "process",
    "112": "process",
    "114": "process",
    "1": "process",
    "110": "decision",
    "4": "decision",
}
EXIT_WORDS = re.compile(
    r"^\s*(ya|tidak|setuju|sesuai|lengkap|benar|salah|ok|diterima|ditolak|disetujui|belum)"
    r"(\s+(setuju|sesuai|lengkap|disetujui|benar|diterima))?\s*[.:]?\s*$",
    re.IGNORECASE,
)
_VML_GENERIC = {"1", "2", "3", "4"}  # rect, roundrect, oval, diamond
_VML_ELEMENTS = {"roundrect": "terminator", "oval": "terminator", "rect": "process"}
_VML_LINES = {"line", "polyline", "curve", "arc"}
_VML_TEXTBOX_TYPE = "202"
_PICTURE_WORDS = {
    "terminator": ("terminator", "mulai", "selesai", "kapsul"),
    "decision": ("decision", "keputusan", "belah ketupat", "diamond"),
    "process": ("process", "proses", "kegiatan"),
}
# Text markers: the whole cell text (or its first character, before a question)
MARKERS = {
    "⬭": "terminator",
    "⬬": "terminator",
    "◯": "terminator",
    "○": "terminator",
    "⊂⊃": "terminator",
    "▭": "process",
    "□": "process",
    "■": "process",
    "▯": "process",
    "▢": "process",
    "◇": "decision",
    "◆": "decision",
    "◊": "decision",
    "⬦": "decision",
    "♢": "decision",
    "♦": "decision",
}
_TICKS = {"✓", "✔", "√", "v", "V", "x", "X", "●", "•"}

_DOC_PR = xpath("./wp:docPr")


@dataclass(frozen=True)
class Mark:
    """What one cell holds that matters to the flowchart: a symbol or a label text."""

    kind: Kind
    symbol: str | None  # terminator, process, decision; None when the mark does not say
    source: str  # how it was recognised, for the draft's comment
    text: str = ""  # the text inside the shape or after the marker
    # a floating shape's centre, in EMU from the left edge of the cell it is anchored in (None:
    # inline, or placed relative to the page or margin)
    centre: int | None = None
    generic: bool = False  # a plain rectangle, oval or diamond rather than a flowchart preset


def marks_in(cell: etree._Element) -> list[Mark]:
    """The symbols and labels of a cell (`w:tc`), in document order."""
    marks: list[Mark] = []
    _walk(cell, marks)
    marks = _settle_generic(marks)
    if not any(m.kind == "symbol" for m in marks):
        marker = text_marker(" ".join(t for t in own_paragraphs(cell) if t))
        if marker is not None:
            marks.append(marker)
    return marks


def _settle_generic(marks: list[Mark]) -> list[Mark]:
    """A plain shape (rect, oval, diamond) is a symbol only when it is not a label: one holding
    an exit ("tidak: kembali ke langkah 7") or an exit's word ("Ya", "Tidak") is a label (word
    processors drop the text-box flag of such boxes), and beside a flowchart preset it is one."""
    strong = any(m.kind == "symbol" and not m.generic for m in marks)
    settled = []
    for mark in marks:
        if mark.kind == "symbol" and mark.generic:
            labelish = bool(mark.text) and bool(route(mark.text) or EXIT_WORDS.match(mark.text))
            if strong or labelish:
                if mark.text:
                    settled.append(Mark("label", None, "kotak teks", mark.text))
                continue
        settled.append(mark)
    return settled


def text_marker(text: str) -> Mark | None:
    """A symbol written as text: '▭', '◇ Apakah ...?', '✓'."""
    text = text.strip()
    if not text:
        return None
    for marker, symbol in MARKERS.items():
        if text.startswith(marker):
            return Mark("symbol", symbol, f"penanda teks '{marker}'", text[len(marker) :].strip())
    if text in _TICKS:
        return Mark("symbol", None, f"penanda teks '{text}'")
    return None


def _walk(element: etree._Element, marks: list[Mark]) -> None:
    for child in element:
        tag = child.tag
        if tag == qn("mc:AlternateContent"):
            _alternate(child, marks)
        elif tag == qn("w:drawing"):
            for holder in child:  # wp:inline or wp:anchor
                _drawing(holder, marks)
        elif tag == qn("w:pict"):
            _vml_children(child, marks)
        elif tag == qn("w:txbxContent"):
            continue  # text inside a shape is read with its shape
        else:
            _walk(child, marks)


def _alternate(element: etree._Element, marks: list[Mark]) -> None:
    """Markup compatibility: the first mc:Choice, else the mc:Fallback."""
    for branch in element:
        if branch.tag in (qn("mc:Choice"), qn("mc:Fallback")):
            found: list[Mark] = []
            _walk(branch, found)
            if found:
                marks.extend(found)
                return


def _drawing(holder: etree._Element, marks: list[Mark]) -> None:
    found: list[Mark] = []
    _drawing_marks(holder, found)
    centre = _anchor_centre(holder)
    marks.extend(replace(m, centre=centre) if centre is not None else m for m in found)


_POS_OFFSET = xpath(
    "./wp:positionH[@relativeFrom='column' or @relativeFrom='character']/wp:posOffset"
)
_EXTENT = xpath("./wp:extent")


def _anchor_centre(holder: etree._Element) -> int | None:
    """A floating shape placed relative to its column: its centre from the column's left edge."""
    if holder.tag != qn("wp:anchor"):
        return None
    offset = _POS_OFFSET(holder)
    extent = _EXTENT(holder)
    try:
        left = int(offset[0].text)
        width = int(extent[0].get("cx", "0")) if extent else 0
    except (IndexError, TypeError, ValueError):
        return None
    return left + width // 2


def _drawing_marks(holder: etree._Element, marks: list[Mark]) -> None:
    doc_pr = _DOC_PR(holder)
    names = ""
    if doc_pr:
        pr = doc_pr[0]
        names = " ".join(pr.get(k, "") for k in ("name", "descr", "title")).lower()
    for data in holder.iter(qn("a:graphicData")):
        for content in data:
            _drawing_content(content, names, marks)


def _drawing_content(content: etree._Element, names: str, marks: list[Mark]) -> None:
    tag = content.tag
    if tag == qn("wps:wsp"):
        _wps(content, marks)
    elif tag in (qn("wpg:wgp"), qn("wpg:grpSp"), qn("wpc:wpc")):
        for part in content:
            _drawing_content(part, names, marks)
    elif tag == qn("pic:pic"):
        marks.append(_picture(names))
    elif tag == qn("mc:AlternateContent"):
        found: list[Mark] = []
        _alternate(content, found)
        marks.extend(found)


def _wps(shape: etree._Element, marks: list[Mark]) -> None:
    text = box_text(shape)
    if shape.find(qn("wps:cNvCnPr")) is not None:  # a connector
        if text:
            marks.append(Mark("label", None, "teks panah", text))
        return
    nv = shape.find(qn("wps:cNvSpPr"))
    geometry = next(shape.iter(qn("a:prstGeom")), None)
    preset = geometry.get("prst", "") if geometry is not None else ""
    symbol = _DRAWINGML.get(preset)
    if symbol is None or (nv is not None and nv.get("txBox") in ("1", "true")):
        if text:  # a text box or an arrow with a label
            marks.append(Mark("label", None, "kotak teks", text))
        return
    generic = not preset.startswith("flowChart")
    marks.append(Mark("symbol", symbol, f"bentuk DrawingML {preset}", text, generic=generic))


def _picture(names: str) -> Mark:
    for symbol, words in _PICTURE_WORDS.items():
        if any(word in names for word in words):
            return Mark("symbol", symbol, "gambar (namanya menyebut simbolnya)")
    return Mark("symbol", None, "gambar")


def _vml_children(element: etree._Element, marks: list[Mark]) -> None:
    for child in element:
        if not isinstance(child.tag, str) or not child.tag.startswith("{urn:schemas-microsoft"):
            continue
        local = etree.QName(child).localname
        if local == "group":
            _vml_children(child, marks)
        elif local in ("shapetype",) or local in _VML_LINES:
            text = box_text(child)
            if text and local in _VML_LINES:
                marks.append(Mark("label", None, "teks panah", text))
        else:
            mark = _vml_shape(child, local)
            if mark is not None:
                marks.append(mark)


_STYLE_LENGTH = re.compile(r"(margin-left|width)\s*:\s*(-?[\d.]+)(pt|in|cm|mm|px)?", re.IGNORECASE)
_EMU = {"pt": 12700, "in": 914400, "cm": 360000, "mm": 36000, "px": 9525, "": 12700}


def _vml_centre(shape: etree._Element) -> int | None:
    """An absolutely placed VML shape's centre from its column's left edge, in EMU."""
    style = shape.get("style", "")
    if "position:absolute" not in style.replace(" ", "") or re.search(
        r"mso-position-horizontal-relative\s*:\s*(page|margin)", style
    ):
        return None
    values = {
        k.lower(): float(v) * _EMU[(u or "").lower()] for k, v, u in _STYLE_LENGTH.findall(style)
    }
    if "margin-left" not in values:
        return None
    return int(values["margin-left"] + values.get("width", 0) / 2)


def _vml_shape(shape: etree._Element, local: str) -> Mark | None:
    mark = _vml_mark(shape, local)
    centre = _vml_centre(shape)
    return replace(mark, centre=centre) if mark is not None and centre is not None else mark


def _vml_mark(shape: etree._Element, local: str) -> Mark | None:
    text = box_text(shape)
    if local == "shape":
        kind = (shape.get("type") or "").rsplit("_t", 1)[-1] or shape.get(qn("o:spt"), "")
        kind = kind or shape.get(qn("o:spt"), "")
        if shape.find(qn("v:imagedata")) is not None:
            return Mark("symbol", None, "gambar (VML)")
        symbol = _VML_TYPES.get(kind)
        if symbol is None:
            return Mark("label", None, "kotak teks", text) if text else None
        generic = kind in _VML_GENERIC
        return Mark("symbol", symbol, f"bentuk VML tipe {kind}", text, generic=generic)
    symbol = _VML_ELEMENTS.get(local)
    if symbol is None:
        return None
    return Mark("symbol", symbol, f"bentuk VML v:{local}", text, generic=True)
