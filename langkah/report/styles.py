"""The report's small set of named styles, its language and its document properties.

Every paragraph of the report has one of these styles (no direct formatting where a style fits):
Word's navigation pane and table of contents read the real Heading 1/2, and an office can
restyle the whole report by editing a style. The language is Indonesian (id-ID) throughout, and
the core properties describe this report, not python-docx's template.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, cast

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

if TYPE_CHECKING:
    from docx.document import Document
    from docx.styles.style import CharacterStyle, ParagraphStyle

LANGUAGE = "id-ID"
RED = RGBColor(0xC0, 0x00, 0x00)

# name -> style id python-docx derives (spaces removed); raw-XML rows refer to the ids.
KOP_PEMERINTAH = "Kop Pemerintah"
KOP_UNIT = "Kop Unit"
KOP_ALAMAT = "Kop Alamat"
JUDUL = "Judul Laporan"
PERINGATAN = "Peringatan"
KETERANGAN = "Keterangan Kecil"
ISIAN = "Isian"
TABEL = "Isi Tabel"
TABEL_KEPALA = "Kepala Tabel"
KESIMPULAN = "Kesimpulan"
TANDA_TANGAN = "Tanda Tangan"
LAMPIRAN = "Isi Lampiran"
STYLE_NAMES = (
    "Normal", "Heading 1", "Heading 2", KOP_PEMERINTAH, KOP_UNIT, KOP_ALAMAT, JUDUL, PERINGATAN,
    KETERANGAN, ISIAN, TABEL, TABEL_KEPALA, KESIMPULAN, TANDA_TANGAN, LAMPIRAN,
)  # fmt: skip


def style_id(name: str) -> str:
    return name.replace(" ", "")


def _fonts(style: ParagraphStyle | CharacterStyle, font: str) -> None:
    style.font.name = font
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), font)


def _paragraph_style(document: Document, name: str) -> ParagraphStyle:
    try:
        style = document.styles[name]
    except KeyError:
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = document.styles["Normal"]
        style.quick_style = True
    return cast("ParagraphStyle", style)


def _set(
    document: Document,
    name: str,
    size: float,
    bold: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = None,
    before: float = 0,
    after: float = 0,
    keep_next: bool = False,
    italic: bool = False,
    color: RGBColor | None = None,
) -> ParagraphStyle:
    style = _paragraph_style(document, name)
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = italic
    style.font.color.rgb = color or RGBColor(0, 0, 0)
    fmt = style.paragraph_format
    fmt.alignment = align
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.keep_with_next = keep_next
    fmt.line_spacing = 1.0
    return style


def setup_styles(document: Document, font: str, size: int) -> None:
    """Normal, Heading 1/2 and the report's own styles, all in `font` and in Indonesian."""
    normal = document.styles["Normal"]
    _fonts(normal, font)
    normal.font.size = Pt(size)
    fmt = normal.paragraph_format
    fmt.space_after = Pt(0)
    fmt.space_before = Pt(0)
    fmt.line_spacing = 1.0
    small, tiny = max(size - 2, 7), max(size - 3, 7)
    center = WD_ALIGN_PARAGRAPH.CENTER
    for name, heading_size, before in (("Heading 1", size, 10), ("Heading 2", size - 1, 6)):
        style = _set(document, name, heading_size, bold=True, before=before, after=4,
                     keep_next=True)  # fmt: skip
        _fonts(style, font)
        style.paragraph_format.keep_together = True
    _set(document, KOP_PEMERINTAH, 14, bold=True, align=center)
    _set(document, KOP_UNIT, 16, bold=True, align=center)
    _set(document, KOP_ALAMAT, 11, align=center)
    _set(document, JUDUL, size, bold=True, align=center, keep_next=True)
    _set(document, PERINGATAN, size, bold=True, align=center, keep_next=True, color=RED)
    _set(document, KETERANGAN, small, align=center)
    _set(document, ISIAN, size - 1)
    _set(document, TABEL, tiny)
    _set(document, TABEL_KEPALA, tiny, bold=True, align=center)
    _set(document, KESIMPULAN, size - 1, align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=4,
         keep_next=True)  # fmt: skip
    _set(document, TANDA_TANGAN, size - 1, align=center, keep_next=True)
    _set(document, LAMPIRAN, size - 1, align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=6)
    set_language(document)


def set_language(document: Document) -> None:
    """id-ID as the language of every run (document defaults, Normal) and of the theme fonts."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    targets = [document.styles["Normal"].element.get_or_add_rPr()]
    if defaults is not None:
        run_defaults = defaults.find(qn("w:rPrDefault"))
        if run_defaults is not None and run_defaults.find(qn("w:rPr")) is not None:
            targets.append(run_defaults.find(qn("w:rPr")))
    for r_pr in targets:
        lang = r_pr.find(qn("w:lang"))
        if lang is None:
            lang = r_pr.makeelement(qn("w:lang"), {})
            r_pr.append(lang)
        lang.set(qn("w:val"), LANGUAGE)
        lang.set(qn("w:eastAsia"), LANGUAGE)
    settings = document.settings.element
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), LANGUAGE)
    # The template's unused stylesWithEffects part carries en-US too: say id-ID there as well.
    for part in document.part.package.iter_parts():
        if str(part.partname).endswith("stylesWithEffects.xml"):
            blob = part.blob.replace(
                b'w:val="en-US" w:eastAsia="en-US"', b'w:val="id-ID" w:eastAsia="id-ID"'
            )
            part._blob = blob


def set_properties(
    document: Document, title: str, subject: str, author: str, now: dt.datetime, comments: str
) -> None:
    """The core properties of this report (never the template's python-docx / 2013 values)."""
    props = document.core_properties
    props.title = title[:250]
    props.subject = subject[:250]
    props.author = author[:250]
    props.last_modified_by = author[:250]
    props.comments = comments[:250]
    props.keywords = "SOP; laporan pelaksanaan; SAKIP"
    props.category = "Laporan Pelaksanaan SOP"
    props.language = LANGUAGE
    props.revision = 1
    moment = now.astimezone(dt.UTC).replace(tzinfo=None, microsecond=0)
    props.created = moment
    props.modified = moment
