"""The SOP's identity page: every identity field and the six text sections, word for word.

`identity_page(definition)` builds the content (pure data, no python-docx); `add_identity_page`
lays it out as a field table and the 2 x 3 table of sections the PermenPAN-RB 35/2012 format
uses (Dasar Hukum | Kualifikasi Pelaksana, Keterkaitan | Peralatan/Perlengkapan,
Peringatan | Pencatatan dan Pendataan). A field or section the SOP leaves empty prints "-".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from langkah.engine.definition import SopDefinition
from langkah.formatting import long_date
from langkah.report import plain_cells as plain
from langkah.report import styles
from langkah.report.content import nip_text
from langkah.report.sanitize import clean
from langkah.views import CycleView

if TYPE_CHECKING:
    from docx.document import Document

TITLE = "Identitas SOP"
EMPTY = "-"

# (field of Sections, heading as the SOP format writes it)
SECTION_TITLES: tuple[tuple[str, str], ...] = (
    ("legal_basis", "Dasar Hukum"),
    ("qualifications", "Kualifikasi Pelaksana"),
    ("related", "Keterkaitan"),
    ("equipment", "Peralatan/Perlengkapan"),
    ("warnings", "Peringatan"),
    ("records", "Pencatatan dan Pendataan"),
)


@dataclass(frozen=True)
class TextSection:
    """One of the six text sections: its heading and its items as written in the SOP."""

    title: str
    items: tuple[str, ...]

    def lines(self) -> list[str]:
        """The items as printed: numbered when there are several, "-" when there are none."""
        if not self.items:
            return [EMPTY]
        if len(self.items) == 1:
            return [self.items[0]]
        return [f"{number}. {item}" for number, item in enumerate(self.items, 1)]


@dataclass(frozen=True)
class IdentityPage:
    """What the identity page holds: labelled fields, then the six sections in SOP order."""

    fields: tuple[tuple[str, str], ...]
    sections: tuple[TextSection, ...]


def _date(day: dt.date | int | str | None) -> str:
    """An identity date in words, or what the SOP wrote instead (a revision number, or a
    placeholder such as "…… 2022")."""
    if isinstance(day, dt.date):
        return long_date(day)
    return EMPTY if day is None or not str(day).strip() else str(day).strip()


def approver_text(definition: SopDefinition) -> str:
    """ "Disahkan oleh": jabatan, name, pangkat and NIP on their own lines ("-" if none)."""
    signer = definition.identity.approved_by
    if signer is None:
        return EMPTY
    lines = [signer.position]
    lines += [x for x in (signer.name, signer.rank) if x]
    if signer.nip:
        lines.append(nip_text(signer.nip))  # "NIP. 19700626 199003 1 006", never broken
    return "\n".join(lines)


def identity_page(definition: SopDefinition) -> IdentityPage:
    """Every identity field of the definition (in the order of the SOP's identity block) and
    the six text sections, texts exactly as the definition holds them."""
    identity = definition.identity
    fields = (
        ("Pemerintah", identity.government),
        ("Unit Kerja", identity.unit),
        ("Alamat", identity.address or EMPTY),
        ("Sub Unit Kerja", identity.sub_unit or EMPTY),
        ("Nomor SOP", identity.number or EMPTY),
        ("Tanggal Pembuatan", _date(identity.created)),
        ("Tanggal Revisi", _date(identity.revised)),
        ("Tanggal Efektif", _date(identity.effective)),
        ("Disahkan oleh", approver_text(definition)),
        ("Nama SOP", identity.name),
    )
    sections = tuple(
        TextSection(title, tuple(getattr(definition.sections, name)))
        for name, title in SECTION_TITLES
    )
    return IdentityPage(fields, sections)


def cycle_fields(view: CycleView) -> tuple[tuple[str, str], ...]:
    """The two lines that tie the SOP to this report: the period and the cycle's code."""
    return (
        ("Periode pelaksanaan", view.period.label("id")),
        ("Kode siklus", f"{view.state.cycle_id} (definisi {view.state.definition_version})"),
    )


# -- docx ---------------------------------------------------------------------------------------

LABEL_CM = 5.0
HANGING_CM = 0.6  # numbered items hang under their number


def _section_cell(section: TextSection, width_cm: float) -> str:
    lines = section.lines()
    hanging = HANGING_CM if len(lines) > 1 else 0.0
    paragraphs = [plain.paragraph(clean(section.title.upper()), styles.ISIAN_LABEL)]
    paragraphs += [
        plain.paragraph(clean(line), styles.ISIAN, hanging_cm=hanging, after_pt=2) for line in lines
    ]
    return plain.cell(width_cm, paragraphs)


def add_identity_page(
    document: Document, view: CycleView, width_cm: float, title: str = TITLE
) -> None:
    """Append the identity page (heading, field table, sections table) at the end of the body:
    the SOP's identity, then the period and code of the cycle this report is about. Every
    paragraph takes a style of the report's set (by id); rows never split across pages."""
    page = identity_page(view.definition)
    heading = plain.styled_paragraph(document, clean(title), "Heading 1")
    heading.paragraph_format.keep_with_next = True
    widths = [LABEL_CM, width_cm - LABEL_CM]
    fields = plain.grid_table(document, widths)
    for label, value in page.fields + cycle_fields(view):
        values = [plain.paragraph(clean(line), styles.ISIAN) for line in value.split("\n")]
        label_cell = plain.cell(widths[0], [plain.paragraph(clean(label), styles.ISIAN_LABEL)])
        plain.add_row(fields, [label_cell, plain.cell(widths[1], values)])
    document.add_paragraph()
    half = width_cm / 2
    sections = plain.grid_table(document, [half, half])
    for left, right in zip(page.sections[0::2], page.sections[1::2], strict=True):
        plain.add_row(sections, [_section_cell(left, half), _section_cell(right, half)])
