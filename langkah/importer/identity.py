"""The identity block (kop lines and the label/value table beside them) and the six text
sections (Dasar Hukum ... Pencatatan dan Pendataan), read from the document's text cells."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from langkah.importer.docx_reading import all_tables, grid_rows
from langkah.importer.ns import own_paragraphs, qn, text_of
from langkah.importer.table_model import normal

LABELS = (
    ("number", re.compile(r"^(nomor|no)\.? ?sop$")),
    ("created", re.compile(r"^(tanggal|tgl)\.? ?pembuatan$")),
    ("revised", re.compile(r"^(tanggal|tgl)\.? ?revisi$")),
    ("effective", re.compile(r"^(tanggal|tgl)\.? ?efektif$")),
    ("approved_by", re.compile(r"^disahkan oleh$")),
    ("name", re.compile(r"^(nama|judul) ?sop$")),
)
SECTIONS = (
    ("legal_basis", re.compile(r"^dasar hukum$")),
    ("qualifications", re.compile(r"^kualifikasi pelaksana$")),
    ("related", re.compile(r"^keterkaitan$")),
    ("equipment", re.compile(r"^peralatan( ?(/|dan) ?perlengkapan)?$")),
    ("warnings", re.compile(r"^peringatan$")),
    ("records", re.compile(r"^pencatatan( dan pendataan)?$")),
)
_UNIT = re.compile(
    r"^(KANTOR\s+)?(KECAMATAN|KELURAHAN|DESA|DINAS|BADAN|SEKRETARIAT|BAGIAN|PUSKESMAS|UPT|"
    r"KANTOR|INSPEKTORAT|RUMAH SAKIT|SATUAN)\b",
    re.IGNORECASE,
)
_SUB_UNIT = re.compile(r"^(SUB ?BAGIAN|SUBBAG|SEKSI|BIDANG|SUB ?BIDANG|UNIT)\b", re.IGNORECASE)
_ADDRESS = re.compile(r"^(JL\.?|JALAN|ALAMAT)\b|TELP|KODE POS", re.IGNORECASE)
_NUMBERING = re.compile(r"^\s*(\d{1,3}[.)]|[a-zA-Z][.)]|[-•▪●·*–])\s+")


@dataclass
class TextCell:
    """The paragraphs of one cell (or one body paragraph), with where it stands."""

    paragraphs: list[str]
    table: int = -1
    row: int = -1
    col: int = -1


@dataclass
class IdentityBlock:
    kop: list[str] = field(default_factory=list)  # the kop lines, in order
    values: dict[str, list[str]] = field(default_factory=dict)  # label key -> paragraphs
    sections: dict[str, list[str]] = field(default_factory=dict)


def text_cells(document: Any) -> list[TextCell]:
    """Body paragraphs and table cells (each merged cell once), in document order."""
    cells: list[TextCell] = []
    body = document.element.body
    tables = list(all_tables(document))
    table_of = {id(t._tbl): (i, t) for i, t in enumerate(tables)}
    for child in body:
        if child.tag == qn("w:p"):
            text = text_of(child)
            if text:
                cells.append(TextCell([text]))
        elif child.tag == qn("w:tbl") and id(child) in table_of:
            _table_cells(tables, table_of[id(child)][0], cells)
    return cells


def _table_cells(tables: list[Any], index: int, cells: list[TextCell]) -> None:
    seen: dict[int, Any] = {}
    for r, row in enumerate(grid_rows(tables[index])):
        for c, tc in enumerate(row):
            if id(tc) in seen:
                continue
            seen[id(tc)] = tc
            cells.append(TextCell(own_paragraphs(tc), index, r, c))


def read_identity(cells: list[TextCell], stop_table: int | None) -> IdentityBlock:
    """The kop, the identity values and the sections, from the cells before the flowchart
    table (`stop_table`, the index in all_tables order)."""
    block = IdentityBlock()
    before = []
    for cell in cells:  # in document order: stop where the flowchart table starts
        if stop_table is not None and cell.table >= stop_table:
            break
        before.append(cell)
    by_place = {(c.table, c.row, c.col): c for c in before if c.table >= 0}
    used: set[int] = set()
    for i, cell in enumerate(before):
        lines = [p for p in cell.paragraphs if p]
        if i in used or not lines:
            continue
        key = _label(lines[0])
        if key:
            value, taken = _value_after(before, i, lines)
            used.update(taken)
            block.values.setdefault(key, value)
            continue
        if cell.table < 0 and section_key(lines[0]) and len(lines) == 1:
            used.update(_body_section(before, i, block))
            continue
        if _section_cell(cell, by_place, block) or lines == [":"]:
            continue
        block.kop.extend(lines)
    return block


def _body_section(cells: list[TextCell], i: int, block: IdentityBlock) -> set[int]:
    """A section heading written as a body paragraph: its items are the body paragraphs after
    it, up to the next heading, label or table."""
    key = section_key(cells[i].paragraphs[0]) or ""
    taken: set[int] = set()
    items: list[str] = []
    for j in range(i + 1, len(cells)):
        cell = cells[j]
        text = cell.paragraphs[0] if cell.paragraphs else ""
        if cell.table >= 0 or section_key(text) or _label(text):
            break
        taken.add(j)
        items.append(text)
    block.sections.setdefault(key, [])
    block.sections[key] += clean_items(items)
    return taken


def _label(text: str) -> str | None:
    plain = normal(text.split(":")[0])
    for key, pattern in LABELS:
        if pattern.match(plain):
            return key
    return None


def _value_after(cells: list[TextCell], i: int, lines: list[str]) -> tuple[list[str], set[int]]:
    """A label's value (after its ':' in the same cell, else the next cells of its row, ':'
    cells skipped) and the indexes of the cells it took."""
    first = lines[0]
    if ":" in first and first.split(":", 1)[1].strip():
        return [first.split(":", 1)[1].strip(), *lines[1:]], set()
    label = cells[i]
    if label.table < 0:
        return lines[1:], set()
    taken: set[int] = set()
    for j in range(i + 1, min(i + 4, len(cells))):
        cell = cells[j]
        if cell.table != label.table or cell.row != label.row:
            break
        taken.add(j)
        texts = [p for p in cell.paragraphs if p]
        if texts == [":"]:
            continue
        if texts and texts[0].startswith(":"):
            texts = [t for t in [texts[0][1:].strip(), *texts[1:]] if t]
        return texts, taken
    return [], taken


def section_key(text: str) -> str | None:
    plain = normal(text)
    for key, pattern in SECTIONS:
        if pattern.match(plain):
            return key
    return None


def _section_cell(cell: TextCell, by_place: dict[Any, TextCell], block: IdentityBlock) -> bool:
    """Read the sections a cell heads; items follow in the cell, else in the cell below."""
    paragraphs = cell.paragraphs
    found = False
    i = 0
    while i < len(paragraphs):
        key = section_key(paragraphs[i]) if paragraphs[i] else None
        if key is None:
            i += 1
            continue
        found = True
        j = i + 1
        items: list[str] = []
        while j < len(paragraphs) and not (paragraphs[j] and section_key(paragraphs[j])):
            items.append(paragraphs[j])
            j += 1
        if not any(items):
            below = by_place.get((cell.table, cell.row + 1, cell.col))
            if below is not None and not any(section_key(p) for p in below.paragraphs if p):
                items = below.paragraphs
                below.paragraphs = []  # read once
        block.sections.setdefault(key, [])
        block.sections[key] += clean_items(items)
        i = j
    return found


def clean_items(paragraphs: list[str]) -> list[str]:
    """List items without their numbering ('1.', 'a)', '-', '•'); empty and '-' items dropped."""
    items = []
    for text in paragraphs:
        item = _NUMBERING.sub("", text).strip()
        if item and item not in ("-", "–"):
            items.append(item)
    return items


def kop_parts(kop: list[str]) -> dict[str, str]:
    """government, unit, address, sub_unit from the kop lines."""
    parts: dict[str, str] = {}
    for line in kop:
        upper = line.strip()
        if "government" not in parts and re.match(r"^PEMERINTAH\b", upper, re.IGNORECASE):
            parts["government"] = upper
        elif "unit" not in parts and _UNIT.match(upper) and not _SUB_UNIT.match(upper):
            parts["unit"] = upper
        elif "sub_unit" not in parts and _SUB_UNIT.match(upper):
            parts["sub_unit"] = upper
        elif "address" not in parts and "unit" in parts and _ADDRESS.search(upper):
            parts["address"] = upper
    return parts
