"""The XML namespaces of WordprocessingML, DrawingML, VML and markup compatibility."""

from __future__ import annotations

from lxml import etree

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "wpg": "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup",
    "wpc": "http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
}


def qn(name: str) -> str:
    """'w:p' -> '{namespace}p'."""
    prefix, _, local = name.partition(":")
    return f"{{{NS[prefix]}}}{local}"


def xpath(expression: str) -> etree.XPath:
    return etree.XPath(expression, namespaces=NS)


# The text of a paragraph or cell without the text inside shapes (text boxes are read apart).
OWN_TEXT = xpath(".//w:t[not(ancestor::w:txbxContent)] | .//w:tab[not(ancestor::w:txbxContent)]")
OWN_PARAGRAPHS = xpath(".//w:p[not(ancestor::w:txbxContent)]")
BOX_PARAGRAPHS = xpath(".//w:txbxContent//w:p")
PARAGRAPH_TEXT = xpath(".//w:t | .//w:tab")


def text_of(paragraph: etree._Element, runs: etree.XPath = OWN_TEXT) -> str:
    """A paragraph's text (tabs as spaces), without what sits in text boxes."""
    parts = [" " if node.tag == qn("w:tab") else (node.text or "") for node in runs(paragraph)]
    return " ".join("".join(parts).split())


def own_paragraphs(element: etree._Element) -> list[str]:
    """The texts of the paragraphs of a cell (not of its shapes), empty ones included."""
    return [text_of(p) for p in OWN_PARAGRAPHS(element)]


def box_text(shape: etree._Element) -> str:
    """The text written inside a shape (its text box), paragraphs joined by spaces."""
    texts = [text_of(p, PARAGRAPH_TEXT) for p in BOX_PARAGRAPHS(shape)]
    return " ".join(t for t in texts if t)
