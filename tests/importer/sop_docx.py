"""Building SOP-AP Word documents for the importer's tests, from a loaded definition.

python-docx writes the tables; the flowchart symbols are raw XML in the actor's cell, in one of
several layouts: floating DrawingML shapes in mc:AlternateContent with a VML fallback, grouped
shapes, VML only, inline pictures, or text markers.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.shared import Pt
from PIL import Image

from langkah.engine.definition import SopDefinition

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NSDECL = (
    f'xmlns:w="{W}" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:wpg="http://schemas.microsoft.com/office/word/2010/wordprocessingGroup" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
    'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"'
)
PRESET = {"terminator": "flowChartTerminator", "process": "flowChartProcess",
          "decision": "flowChartDecision"}  # fmt: skip
VML_TYPE = {"terminator": "116", "process": "109", "decision": "110"}
MARKER = {"terminator": "⬭", "process": "▭", "decision": "◇"}
MONTHS = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]
SECTION_TITLES = (
    ("legal_basis", "Dasar Hukum"), ("qualifications", "Kualifikasi Pelaksana"),
    ("related", "Keterkaitan"), ("equipment", "Peralatan/Perlengkapan"),
    ("warnings", "Peringatan"), ("records", "Pencatatan dan Pendataan"),
)  # fmt: skip


@dataclass(frozen=True)
class Layout:
    """How one fixture document is drawn."""

    symbols: str  # floating, group, vml, fallback, inline, text
    header_rows: int = 2
    merge_shared: bool = False  # one merged cell for a step's adjacent actors
    kop_in_table: bool = True  # kop inside the identity table (else paragraphs above it)
    time_first: bool = False  # Waktu before Kelengkapan in the Mutu Baku columns
    inputs_in_paragraphs: bool = False  # one paragraph per kelengkapan item (else "a, b, c")
    sections_below: bool = True  # section items in the cell below the heading (else same cell)
    sections_as_paragraphs: bool = False  # the sections as body paragraphs, no table
    column_numbers: bool = False  # a row "(1) (2) ..." under the header
    exits: bool = True  # the decision's exits written (arrow labels or Keterangan)
    anchored_in_activity: bool = False  # floating symbols anchored in the Kegiatan cell, moved
    # over their actor's column by their horizontal offset
    split_after: int = 0  # the flowchart continues in a second table after this many steps
    name: str = field(default="", compare=False)


LAYOUTS = (
    Layout("floating", 2, merge_shared=True, name="floating-2rows-merged"),
    Layout(
        "group",
        1,
        kop_in_table=False,
        time_first=True,
        sections_as_paragraphs=True,
        name="grouped-1row-sections-as-paragraphs",
    ),
    Layout("vml", 2, inputs_in_paragraphs=True, sections_below=False, name="vml-2rows"),
    Layout("fallback", 1, column_numbers=True, name="fallback-1row"),
    Layout("inline", 2, merge_shared=True, time_first=True, name="inline-2rows-merged"),
    Layout("text", 1, inputs_in_paragraphs=True, column_numbers=True, name="text-1row"),
    Layout("floating", 2, split_after=4, name="floating-continued-table"),
    Layout("floating", 1, anchored_in_activity=True, name="floating-anchored-in-kegiatan"),
)

_png: bytes | None = None
_ids = iter(range(1, 1_000_000))


def tiny_png() -> bytes:
    global _png
    if _png is None:
        buffer = io.BytesIO()
        Image.new("RGB", (8, 4), "white").save(buffer, "PNG")
        _png = buffer.getvalue()
    return _png


def indonesian(value: object) -> str:
    if isinstance(value, dt.date):
        return f"{value.day} {MONTHS[value.month - 1]} {value.year}"
    return "" if value is None else str(value)


def _esc(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _txbx(text: str) -> str:
    return f"<w:txbxContent><w:p><w:r><w:t>{_esc(text)}</w:t></w:r></w:p></w:txbxContent>"


def _wsp(preset: str, text: str = "", connector: bool = False, text_box: bool = False) -> str:
    nv = (
        "<wps:cNvCnPr/>"
        if connector
        else ('<wps:cNvSpPr txBox="1"/>' if text_box else "<wps:cNvSpPr/>")
    )
    box = f"<wps:txbx>{_txbx(text)}</wps:txbx>" if text else ""
    return (
        f'<wps:wsp>{nv}<wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="720000" '
        f'cy="360000"/></a:xfrm><a:prstGeom prst="{preset}"><a:avLst/></a:prstGeom>'
        f"</wps:spPr>{box}<wps:bodyPr/></wps:wsp>"
    )


def _anchor(graphic_uri: str, content: str, offset: int = 0) -> str:
    n = next(_ids)
    return (
        '<w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" '
        'relativeHeight="1" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">'
        '<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column">'
        f"<wp:posOffset>{offset}</wp:posOffset></wp:positionH>"
        '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0'
        '</wp:posOffset></wp:positionV><wp:extent cx="720000" cy="360000"/><wp:wrapNone/>'
        f'<wp:docPr id="{n}" name="Shape {n}"/><wp:cNvGraphicFramePr/><a:graphic>'
        f'<a:graphicData uri="{graphic_uri}">{content}</a:graphicData></a:graphic>'
        "</wp:anchor></w:drawing>"
    )


WPS_URI = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
WPG_URI = "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup"
CHART_URI = "http://schemas.openxmlformats.org/drawingml/2006/chart"


VML_PATH = {  # the shape types' definitions, as Word writes them before the first use
    "109": "m,l,21600r21600,l21600,xe",
    "110": "m10800,l,10800,10800,21600,21600,10800xe",
    "116": "m3475,qx,10800,3475,21600l18125,21600qx21600,10800,18125,qx,xe",
}


def _vml(symbol: str, text: str, roundrect: bool = False) -> str:
    box = f"<v:textbox>{_txbx(text)}</v:textbox>" if text else ""
    if symbol == "terminator" and roundrect:
        return (
            '<w:pict><v:roundrect arcsize="50%" style="width:56pt;height:28pt">'
            f"{box}</v:roundrect></w:pict>"
        )
    kind = VML_TYPE[symbol]
    return (
        f'<w:pict><v:shapetype id="_x0000_t{kind}" coordsize="21600,21600" o:spt="{kind}" '
        f'path="{VML_PATH[kind]}"/><v:shape type="#_x0000_t{kind}" '
        f'style="width:56pt;height:28pt">{box}</v:shape></w:pict>'
    )


def _alternate(requires: str, choice: str, fallback: str) -> str:
    return (
        f'<w:r {NSDECL}><mc:AlternateContent><mc:Choice Requires="{requires}">{choice}'
        f"</mc:Choice><mc:Fallback>{fallback}</mc:Fallback></mc:AlternateContent></w:r>"
    )


def symbol_runs(
    symbol: str, style: str, text: str = "", arrow: bool = True, offset: int = 0
) -> list[str]:
    """The runs (w:r XML) drawing one symbol (and an arrow out of it) in the given style."""
    arrow_wps = _wsp("straightConnector1", connector=True)
    if style == "floating":
        choice = _anchor(WPS_URI, _wsp(PRESET[symbol], text), offset)
        runs = [_alternate("wps", choice, _vml(symbol, text))]
        if arrow:
            runs.append(f"<w:r {NSDECL}>{_anchor(WPS_URI, arrow_wps)}</w:r>")
        return runs
    if style == "group":
        parts = _wsp(PRESET[symbol], text) + (arrow_wps if arrow else "")
        group = f"<wpg:wgp><wpg:cNvGrpSpPr/><wpg:grpSpPr/>{parts}</wpg:wgp>"
        return [f"<w:r {NSDECL}>{_anchor(WPG_URI, group)}</w:r>"]
    if style == "vml":
        line = '<w:pict><v:line from="0,0" to="0,20pt"/></w:pict>' if arrow else ""
        return [f"<w:r {NSDECL}>{_vml(symbol, text, roundrect=True)}{line}</w:r>"]
    if style == "fallback":  # a choice Langkah cannot read (a chart): the VML fallback counts
        chart = _anchor(CHART_URI, '<c:chart xmlns:r="urn:x" r:id="rIdX"/>')
        return [_alternate("wpc", chart, _vml(symbol, text))]
    raise ValueError(style)


def _label_runs(style: str, text: str) -> list[str]:
    """A text box beside an arrow (the label of a decision's exit)."""
    if style in ("floating", "group", "fallback"):
        return [f"<w:r {NSDECL}>{_anchor(WPS_URI, _wsp('rect', text, text_box=True))}</w:r>"]
    box = f"<v:textbox>{_txbx(text)}</v:textbox>"
    return [f'<w:r {NSDECL}><w:pict><v:shape type="#_x0000_t202">{box}</v:shape></w:pict></w:r>']


def _put(cell, runs: list[str]) -> None:
    paragraph = cell.paragraphs[0]._p
    for run in runs:
        paragraph.append(parse_xml(run))


def _lines(cell, lines: list[str]) -> None:
    cell.text = lines[0] if lines else ""
    for line in lines[1:]:
        cell.add_paragraph(line)


def build_docx(d: SopDefinition, layout: Layout, path: Path) -> Path:
    document = docx.Document()
    document.styles["Normal"].font.size = Pt(9)
    ident = d.identity
    kop = [ident.government, ident.unit]
    kop += [x for x in (ident.address, ident.sub_unit) if x]
    if not layout.kop_in_table:
        for line in kop:
            document.add_paragraph(line)
    signer: list[str] = []
    if ident.approved_by:
        a = ident.approved_by
        signer = [a.position, "", a.name, a.rank, f"NIP. {a.nip}" if a.nip else ""]
    rows = [
        ("Nomor SOP", [ident.number]),
        ("Tanggal Pembuatan", [indonesian(ident.created)]),
        ("Tanggal Revisi", [indonesian(ident.revised) or "-"]),
        ("Tanggal Efektif", [indonesian(ident.effective)]),
        ("Disahkan oleh", signer),
        ("Nama SOP", [ident.name]),
    ]
    offset = 1 if layout.kop_in_table else 0
    table = document.add_table(rows=len(rows), cols=2 + offset)
    for r, (label, value) in enumerate(rows):
        cells = table.rows[r].cells
        cells[offset].text = label
        _lines(cells[offset + 1], value)
    if layout.kop_in_table:
        left = table.cell(0, 0).merge(table.cell(len(rows) - 1, 0))
        _lines(left, kop)
    document.add_paragraph("")
    _sections(document, d, layout)
    document.add_paragraph("")
    if layout.split_after:
        _flowchart(document, d, layout, d.steps[: layout.split_after])
        document.add_page_break()
        _flowchart(document, d, layout, d.steps[layout.split_after :])
    else:
        _flowchart(document, d, layout, d.steps)
    document.save(str(path))
    return path


def _sections(document, d: SopDefinition, layout: Layout) -> None:
    if layout.sections_as_paragraphs:
        for key, title in SECTION_TITLES:
            document.add_paragraph(f"{title} :")
            for n, item in enumerate(getattr(d.sections, key), start=1):
                document.add_paragraph(f"{n}. {item}")
        return
    pairs = [SECTION_TITLES[i : i + 2] for i in (0, 2, 4)]
    per = 2 if layout.sections_below else 1
    table = document.add_table(rows=3 * per, cols=2)
    for p, pair in enumerate(pairs):
        for c, (key, title) in enumerate(pair):
            items = [f"{n}. {t}" for n, t in enumerate(getattr(d.sections, key), start=1)]
            if layout.sections_below:
                table.rows[p * 2].cells[c].text = f"{title}:"
                _lines(table.rows[p * 2 + 1].cells[c], items)
            else:
                _lines(table.rows[p].cells[c], [f"{title}:", *items])


def _flowchart(document, d: SopDefinition, layout: Layout, steps) -> None:
    actors = [a.id for a in d.actors]
    standard = ["time", "inputs", "output"] if layout.time_first else ["inputs", "time", "output"]
    waktu = f"Waktu ({d.time_unit})" if d.time_unit else "Waktu"
    titles = {"inputs": "Kelengkapan", "time": waktu, "output": "Output"}
    columns = ["number", "activity", *(f"actor:{a}" for a in actors), *standard, "remarks"]
    head = layout.header_rows
    extra = 1 if layout.column_numbers else 0
    table = document.add_table(rows=head + extra + len(steps), cols=len(columns))
    table.style = "Table Grid"
    first_actor, first_std = 2, 2 + len(actors)
    if head == 2:
        top, sub = table.rows[0].cells, table.rows[1].cells
        for col, name in ((0, "No"), (1, "Kegiatan"), (len(columns) - 1, "Keterangan")):
            top[col].merge(sub[col]).text = name
        group = top[first_actor].merge(top[first_std - 1])
        group.text = "Pelaksana"
        top[first_std].merge(top[first_std + 2]).text = "Mutu Baku"
        header = table.rows[1].cells
    else:
        header = table.rows[0].cells
        header[0].text, header[1].text, header[len(columns) - 1].text = (
            "No",
            "Kegiatan",
            "Keterangan",
        )
    for i, a in enumerate(d.actors):
        header[first_actor + i].text = a.title
    for i, key in enumerate(standard):
        header[first_std + i].text = titles[key]
    if layout.column_numbers:
        for c, cell in enumerate(table.rows[head].cells):
            cell.text = f"({c + 1})"
    for s, step in enumerate(steps):
        row = table.rows[head + extra + s]
        cells = row.cells
        cells[0].text = f"{step.number}."
        cells[1].text = step.activity
        values = {
            "time": [step.time],
            "output": [step.output],
            "inputs": [i.label for i in step.inputs]
            if layout.inputs_in_paragraphs
            else [", ".join(i.label for i in step.inputs)],
        }
        for i, key in enumerate(standard):
            _lines(cells[first_std + i], values[key])
        last = step is d.steps[-1]
        _step_symbols(table, head + extra + s, step, actors, layout, last, d)


def _step_symbols(table, r, step, actors, layout, last, d) -> None:
    cells = table.rows[r].cells
    remarks_cell = cells[len(cells) - 1]
    remarks: list[str] = [step.remarks] if step.remarks else []
    decision = step.decision
    exits: list[str] = []
    if decision is not None and layout.exits:
        numbers = [s.number for s in d.steps]
        following = numbers[numbers.index(step.number) + 1]
        exits = [
            f"{decision.yes_label}: lanjut ke langkah {decision.yes or following}",
            f"{decision.no_label}: kembali ke langkah {decision.no}",
        ]
    columns = [2 + actors.index(a) for a in step.actors]
    targets: list = []
    if (
        layout.merge_shared
        and len(columns) > 1
        and columns == list(range(min(columns), max(columns) + 1))
    ):
        targets = [cells[min(columns)].merge(cells[max(columns)])]
    else:
        targets = [cells[c] for c in sorted(columns)]
    in_shape = layout.symbols in ("floating", "group", "vml", "fallback")
    question = decision.question if decision is not None else ""
    for n, cell in enumerate(targets):
        text = question if n == 0 else ""
        if layout.anchored_in_activity:
            edges = [0]
            for column in table._tbl.tblGrid.iter(f"{{{W}}}gridCol"):
                edges.append(edges[-1] + int(column.get(f"{{{W}}}w")) * 635)
            c = 2 + actors.index(step.actors[n])
            offset = edges[c] - edges[1] + (edges[c + 1] - edges[c] - 720000) // 2
            _put(cells[1], symbol_runs(step.symbol.value, "floating", text, not last, offset))
        elif in_shape:
            _put(
                cell,
                symbol_runs(step.symbol.value, layout.symbols, text if in_shape else "", not last),
            )
        elif layout.symbols == "inline":
            cell.paragraphs[0].add_run().add_picture(io.BytesIO(tiny_png()), width=Pt(30))
        elif layout.symbols == "text":
            cell.text = MARKER[step.symbol.value]
    if decision is not None:
        if in_shape:
            _put(targets[0], [r for e in exits for r in _label_runs(layout.symbols, e)])
        else:
            remarks.append(" ".join([decision.question, "; ".join(exits)]).strip())
    _lines(remarks_cell, remarks)
