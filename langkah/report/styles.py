"""The report's small set of named styles, its language and its document properties.

Every paragraph of the report has one of these styles (no direct formatting where a style fits):
Word's navigation pane and table of contents read the real Heading 1/2, and an office can
restyle the whole report by editing a style. The language is Indonesian (id-ID) throughout, and
the core properties describe this report, not python-docx's template.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from docx.oxml.ns import qn
from docx.shared import RGBColor

if TYPE_CHECKING:
    from docx.document import Document

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
ISIAN_LABEL = "Isian Label"
TABEL = "Isi Tabel"
TABEL_KEPALA = "Kepala Tabel"
KESIMPULAN = "Kesimpulan"
TANDA_TANGAN = "Tanda Tangan"
LAMPIRAN = "Isi Lampiran"
STYLE_NAMES = (
    "Normal", "Heading 1", "Heading 2", KOP_PEMERINTAH, KOP_UNIT, KOP_ALAMAT, JUDUL, PERINGATAN,
    KETERANGAN, ISIAN, ISIAN_LABEL, TABEL, TABEL_KEPALA, KESIMPULAN, TANDA_TANGAN, LAMPIRAN,
)  # fmt: skip


def style_id(name: str) -> str:
    return name.replace(" ", "")


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_ALIGN = {None: "", "center": "center", "both": "both", "right": "right"}


def _style_xml(
    name: str,
    font: str,
    size: float,
    bold: bool = False,
    align: str | None = None,
    before: float = 0,
    after: float = 0,
    keep_next: bool = False,
    italic: bool = False,
    color: str = "000000",
    outline: int | None = None,
) -> str:
    """One paragraph style as XML (written directly: python-docx's style lookups by name take
    about 10 ms each on its template, most of a small report's time)."""
    sid = style_id(name)
    xml_name = name.lower() if name.startswith("Heading") else name
    default = ' w:default="1"' if name == "Normal" else ""
    based = "" if name == "Normal" else '<w:basedOn w:val="Normal"/><w:next w:val="Normal"/>'
    ppr = "<w:keepNext/><w:keepLines/>" if keep_next else ""
    ppr += (
        f'<w:spacing w:before="{int(before * 20)}" w:after="{int(after * 20)}" '
        'w:line="240" w:lineRule="auto"/>'
    )
    if _ALIGN.get(align):
        ppr += f'<w:jc w:val="{_ALIGN[align]}"/>'
    if outline is not None:
        ppr += f'<w:outlineLvl w:val="{outline}"/>'
    half = int(round(size * 2))
    rpr = f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}"/>'
    rpr += "<w:b/><w:bCs/>" if bold else '<w:b w:val="0"/><w:bCs w:val="0"/>'
    rpr += "<w:i/><w:iCs/>" if italic else ""
    rpr += f'<w:color w:val="{color}"/><w:sz w:val="{half}"/><w:szCs w:val="{half}"/>'
    rpr += f'<w:lang w:val="{LANGUAGE}" w:eastAsia="{LANGUAGE}"/>'
    return (
        f'<w:style {_W} w:type="paragraph" w:styleId="{sid}"{default}>'
        f'<w:name w:val="{xml_name}"/>{based}<w:qFormat/>'
        f"<w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>"
    )


def setup_styles(document: Document, font: str, size: int) -> None:
    """Normal, Heading 1/2 and the report's own styles, all in `font` and in Indonesian."""
    from docx.oxml import parse_xml

    font = font.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    small, tiny = max(size - 2, 7), max(size - 3, 7)
    red = str(RED)
    definitions = [
        _style_xml("Normal", font, size),
        _style_xml("Heading 1", font, size, bold=True, before=10, after=4, keep_next=True,
                   outline=0),
        _style_xml("Heading 2", font, size - 1, bold=True, before=6, after=4, keep_next=True,
                   outline=1),
        _style_xml(KOP_PEMERINTAH, font, 14, bold=True, align="center"),
        _style_xml(KOP_UNIT, font, 16, bold=True, align="center"),
        _style_xml(KOP_ALAMAT, font, 11, align="center"),
        _style_xml(JUDUL, font, size, bold=True, align="center", keep_next=True),
        _style_xml(PERINGATAN, font, size, bold=True, align="center", keep_next=True,
                   color=red),
        _style_xml(KETERANGAN, font, small, align="center"),
        _style_xml(ISIAN, font, size - 1),
        _style_xml(ISIAN_LABEL, font, size - 1, bold=True),
        _style_xml(TABEL, font, tiny),
        _style_xml(TABEL_KEPALA, font, tiny, bold=True, align="center"),
        _style_xml(KESIMPULAN, font, size - 1, align="both", after=4, keep_next=True),
        _style_xml(TANDA_TANGAN, font, size - 1, align="center", keep_next=True),
        _style_xml(LAMPIRAN, font, small, align="both", after=6),  # 5,000 characters: 1 page
    ]  # fmt: skip
    root = document.styles.element
    existing = {element.get(qn("w:styleId")): element for element in root.findall(qn("w:style"))}
    for text in definitions:
        element = parse_xml(text)
        old = existing.get(element.get(qn("w:styleId")))
        if old is not None:
            old.addprevious(element)
            root.remove(old)
        else:
            root.append(element)
    set_language(document)


def set_language(document: Document) -> None:
    """id-ID as the language of every run (document defaults, Normal) and of the theme fonts."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    targets = []
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
