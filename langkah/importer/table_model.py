"""The flowchart table: its header (one or two rows; "Pelaksana" and "Mutu Baku" merged over
their sub-columns), the role of each column found by its header text, and each step row.

Columns are grid columns; a merged cell is one `w:tc` repeated under every column it covers, so
cells are told apart by identity (`is`), never by position.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field, replace
from typing import Any

from langkah.importer.docx_reading import all_tables, grid_rows
from langkah.importer.errors import ImportFailure
from langkah.importer.ns import own_paragraphs, qn
from langkah.importer.shapes import Mark, marks_in

_ROLE_PATTERNS = (
    ("number", re.compile(r"^(no|nomor|no urut)$")),
    ("activity", re.compile(r"^(uraian )?(kegiatan|aktivitas|prosedur)( prosedur)?$")),
    ("inputs", re.compile(r"^(kelengkapan|persyaratan)(\s*/\s*(kelengkapan|persyaratan))?$")),
    ("time", re.compile(r"^waktu\b")),
    ("output", re.compile(r"^(output|keluaran|hasil)(\s*/\s*(output|keluaran|hasil))?$")),
    ("remarks", re.compile(r"^(keterangan|ket)$")),
)
_GROUPS = {"pelaksana": "actors", "mutu baku": "standard"}
_NUMBER = re.compile(r"^\(?(\d{1,4})[.)]?\)?$")


def normal(text: str) -> str:
    """Header text compared: lowercase, one space, no trailing ':' or '.'."""
    return " ".join(text.lower().replace("\u00a0", " ").split()).strip(" :.")


def _role(header: str) -> str | None:
    plain = normal(re.sub(r"\(.*?\)", "", header))
    for role, pattern in _ROLE_PATTERNS:
        if pattern.search(plain):
            return role
    return None


def _cell_text(tc: Any) -> str:
    return " ".join(t for t in own_paragraphs(tc) if t)


@dataclass
class ActorColumn:
    title: str
    columns: list[int]  # grid columns under this actor's header cell


@dataclass
class StepRow:
    """One row of the flowchart table, as read."""

    row: int  # 1-based row of the table, for messages
    number_text: str
    activity: str
    actor_marks: dict[int, list[Mark]]  # actor index -> marks in its cell(s)
    merged_actors: list[list[int]]  # actor indexes sharing one merged cell
    labels: list[str]  # texts of labels (text boxes, arrow texts) anywhere in the row
    inputs: list[str]  # paragraphs of the kelengkapan cell
    time: str
    output: str
    remarks: list[str]
    merged_from_above: list[str] = field(default_factory=list)  # roles whose cell spans rows


@dataclass
class FlowTable:
    actors: list[ActorColumn]
    time_header: str
    roles: dict[str, list[int]]  # role -> grid columns
    header_rows: int
    rows: list[StepRow]
    notes: list[str]  # how the header was read, for the draft's comments
    table_index: int = 0  # among all_tables(document)


def _header_row(grid: list[list[Any]]) -> int | None:
    for h, row in enumerate(grid[:6]):
        roles = {_role(_cell_text(tc)) for tc in row}
        texts = {normal(_cell_text(tc)) for tc in row}
        if "activity" in roles and ("pelaksana" in texts or "time" in roles):
            return h
    return None


def find_flow_table(document: Any) -> FlowTable:
    """The first table whose header names the kegiatan and the pelaksana (or waktu), with the
    tables after it that repeat the same header (a flowchart continued on the next page)."""
    flow: FlowTable | None = None
    for index, table in enumerate(all_tables(document)):
        grid = grid_rows(table)
        h = _header_row(grid)
        if h is None:
            continue
        if flow is None:
            flow = _read(grid, h, column_edges(table))
            flow.table_index = index
            continue
        try:
            more = _read(grid, h, column_edges(table))
        except ImportFailure:
            continue
        if [a.title for a in more.actors] == [a.title for a in flow.actors]:
            flow.rows += more.rows
            flow.notes.append(f"lanjutan di tabel ke-{index + 1} (judul yang sama)")
    if flow is not None:
        return flow
    raise ImportFailure(
        "tidak ada tabel diagram alir (flowchart) yang dikenali: dicari tabel dengan baris "
        "judul berisi 'Kegiatan' dan 'Pelaksana' (atau 'Waktu')"
    )


def column_edges(table: Any) -> list[int]:
    """The left edges of the grid columns and the table's right edge, in EMU (from w:tblGrid;
    empty when the grid has no widths)."""
    widths = []
    for column in table._tbl.iter(qn("w:gridCol")):
        try:
            widths.append(int(column.get(qn("w:w"), "0")) * 635)  # twips -> EMU
        except ValueError:
            return []
    if not widths or not all(widths):
        return []
    return [0, *itertools.accumulate(widths)]


def _read(grid: list[list[Any]], h: int, edges: list[int] | None = None) -> FlowTable:
    edges = edges or []
    top = grid[h]
    texts = [normal(_cell_text(tc)) for tc in top]
    two_rows = any(t in _GROUPS for t in texts) and h + 1 < len(grid)
    sub = grid[h + 1] if two_rows else top
    roles: dict[str, list[int]] = {}
    actors: list[ActorColumn] = []
    time_header = ""
    notes: list[str] = []
    previous_tc: Any = None
    for col, tc in enumerate(sub):
        group = texts[col] if two_rows else ""
        own = tc is not top[col] or not two_rows
        title = _cell_text(tc) if own else _cell_text(top[col])
        if not title and _GROUPS.get(group) != "actors":  # "No" above an empty, unmerged cell
            title = _cell_text(top[col])
        role = _role(title)
        if _GROUPS.get(group) == "actors" and own:
            role = None  # everything under "Pelaksana" is an actor
        if role is None and (_GROUPS.get(group) == "actors" or not two_rows):
            if tc is previous_tc and actors:
                actors[-1].columns.append(col)
            elif title:
                actors.append(ActorColumn(title, [col]))
            previous_tc = tc
            continue
        previous_tc = tc
        if role is not None:
            roles.setdefault(role, []).append(col)
            if role == "time":
                time_header = title
    if "activity" not in roles:
        raise ImportFailure("tabel diagram alir tanpa kolom 'Kegiatan'")
    if not actors:
        raise ImportFailure(
            "tabel diagram alir tanpa kolom pelaksana: judul kolom tidak menyebut satu pun "
            "pelaksana (di bawah 'Pelaksana', atau kolom selain No, Kegiatan, Kelengkapan, Waktu, "
            "Output, Keterangan)"
        )
    header_rows = 2 if two_rows else 1
    if two_rows:
        notes.append("judul tabel dua baris ('Pelaksana'/'Mutu Baku' di atas sub-kolomnya)")
    rows = _step_rows(grid, h + header_rows, roles, actors, edges)
    if not rows:
        raise ImportFailure("tabel diagram alir tidak berisi satu pun baris kegiatan")
    return FlowTable(actors, time_header, roles, header_rows, rows, notes)


def _first(row: list[Any], cols: list[int] | None) -> Any:
    return row[cols[0]] if cols else None


def _row_marks(
    row: list[Any],
    above: list[Any] | None,
    actors: list[ActorColumn],
    edges: list[int],
    step: StepRow,
) -> None:
    """The symbols of a row, by actor. A floating shape counts in the column where its centre
    stands (`edges`: the grid columns' left edges in EMU), which may not be its anchor cell."""
    seen: list[Any] = []
    actor_of = {c: i for i, a in enumerate(actors) for c in a.columns}
    for tc in row:
        if any(tc is s for s in seen):
            continue
        seen.append(tc)
        first = next(c for c, cell in enumerate(row) if cell is tc)
        marks = marks_in(tc)
        step.labels += [m.text for m in marks if m.kind == "label" and m.text]
        covered = sorted(
            {actor_of[c] for c, cell in enumerate(row) if cell is tc and c in actor_of}
        )
        placed: list[Mark] = []
        for mark in (m for m in marks if m.kind == "symbol"):
            column = _column_at(edges, first, mark.centre)
            if column is None or row[column] is tc:
                placed.append(mark)
            elif column in actor_of:
                moved = replace(mark, source=f"{mark.source} (ditambatkan di sel lain)")
                step.actor_marks.setdefault(actor_of[column], []).append(moved)
        if not covered or not placed:
            continue
        if above is not None and any(above[c] is tc for c in actors[covered[0]].columns):
            continue  # an actor cell merged down from the row above belongs to that row
        for i in covered:
            step.actor_marks.setdefault(i, []).extend(placed)
        if len(covered) > 1:
            step.merged_actors.append(covered)


def _column_at(edges: list[int], first: int, centre: int | None) -> int | None:
    """The grid column under a shape's centre (`centre` from the left edge of column `first`)."""
    if centre is None or len(edges) < 2 or first >= len(edges) - 1:
        return None
    x = edges[first] + centre
    column = bisect.bisect_right(edges, x) - 1
    return column if 0 <= column < len(edges) - 1 else None


def _step_rows(
    grid: list[list[Any]],
    start: int,
    roles: dict[str, list[int]],
    actors: list[ActorColumn],
    edges: list[int],
) -> list[StepRow]:
    rows: list[StepRow] = []
    above: list[Any] | None = None
    for index in range(start, len(grid)):
        row = grid[index]
        activity_tc = _first(row, roles.get("activity"))
        activity = _cell_text(activity_tc) if activity_tc is not None else ""
        if not activity or _NUMBER.match(activity):  # empty, or the column-number row (1) (2)
            above = row
            continue
        step = StepRow(
            row=index + 1,
            number_text=_cell_text(_first(row, roles.get("number"))) if "number" in roles else "",
            activity=activity,
            actor_marks={},
            merged_actors=[],
            labels=[],
            inputs=[],
            time="",
            output="",
            remarks=[],
        )
        for role in ("inputs", "time", "output", "remarks"):
            tc = _first(row, roles.get(role))
            if tc is None:
                continue
            if above is not None and tc is above[roles[role][0]]:
                step.merged_from_above.append(role)
            paragraphs = [t for t in own_paragraphs(tc) if t]
            if role in ("inputs", "remarks"):
                setattr(step, role, paragraphs)
            else:
                setattr(step, role, " ".join(paragraphs))
        _row_marks(row, above, actors, edges, step)
        rows.append(step)
        above = row
    return rows
