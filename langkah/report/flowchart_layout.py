"""Lays the flowchart out on landscape pages: columns, wrapped texts, rows, return lanes.

Pure geometry in centimetres (text is measured with the font flowchart_draw prints with);
flowchart_draw paints it. Layout per page: a header (No | Kegiatan | one column per actor |
return lanes | Waktu | Output), one row per step, room above and below the rows for off-page
connectors where the flow continues on another page, and a legend strip.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from PIL import ImageFont

from langkah.engine.definition import Symbol
from langkah.report.flowchart_graph import Edge, FlowGraph

DPI = 200  # print resolution of the embedded image
TEXT_PT = 7.5
HEADER_PT = 7.5
SMALL_PT = 6.5
LANE_CM = 0.55
STRIP_CM = 0.85  # room above/below the rows for off-page connectors
LEGEND_CM = 0.75
MIN_ROW_CM = 1.0
DECISION_ROW_CM = 1.35  # room for the diamond and its wrapped answer labels
PAD_CM = 0.12
GRID = 150  # grey of the table lines
HEADER_FILL = 225
INK = 0


def px(cm: float) -> int:
    return round(cm / 2.54 * DPI)


def _pt_cm(points: float) -> float:
    return points / 72 * 2.54


@lru_cache(maxsize=8)
def font_at(points: float) -> ImageFont.FreeTypeFont:
    # Pillow's own scalable font (Aileron): the same glyphs on every machine.
    font = ImageFont.load_default(size=round(points / 72 * DPI))
    assert isinstance(font, ImageFont.FreeTypeFont)
    # Latin text needs no complex shaping: the basic layout is about twice as fast.
    return font.font_variant(layout_engine=ImageFont.Layout.BASIC)


@lru_cache(maxsize=4096)
def text_width_cm(text: str, points: float) -> float:
    return font_at(points).getlength(text) / DPI * 2.54


def wrap(text: str, width_cm: float, points: float) -> list[str]:
    """Words into lines no wider than `width_cm` (a longer word is cut at the width).
    A line's width is the sum of its words and spaces, each measured once."""
    lines: list[str] = []
    current = ""
    used = 0.0
    space = text_width_cm(" ", points)
    for word in text.split():
        width = text_width_cm(word, points)
        if current and used + space + width <= width_cm:
            current, used = f"{current} {word}", used + space + width
            continue
        if not current and width <= width_cm:
            current, used = word, width
            continue
        if current:
            lines.append(current)
        while text_width_cm(word, points) > width_cm and len(word) > 1:
            cut = len(word)
            while cut > 1 and text_width_cm(word[:cut], points) > width_cm:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        current, used = word, text_width_cm(word, points)
    if current:
        lines.append(current)
    return lines or [""]


def line_cm(points: float) -> float:
    return _pt_cm(points) * 1.25


@dataclass
class Columns:
    """Left edges and widths (cm) of every column of the chart."""

    no: float
    activity: float
    actor: float
    actors: int
    lanes: int
    time: float
    output: float

    def x_actor(self, index: int) -> float:
        return self.no + self.activity + index * self.actor

    @property
    def lanes_x(self) -> float:
        return self.x_actor(self.actors)

    def lane_center(self, lane: int) -> float:
        return self.lanes_x + (lane + 0.5) * LANE_CM

    @property
    def time_x(self) -> float:
        return self.lanes_x + self.lanes * LANE_CM

    @property
    def output_x(self) -> float:
        return self.time_x + self.time

    @property
    def width(self) -> float:
        return self.output_x + self.output


def columns_for(graph: FlowGraph, width_cm: float, lanes: int) -> Columns:
    no, time = 0.9, 2.0
    output = max(2.6, 0.12 * width_cm)
    activity = 0.27 * width_cm
    rest = width_cm - no - time - output - lanes * LANE_CM
    actors = len(graph.columns)
    # Keep each actor column at least 1.6 cm wide: the Kegiatan column gives way first.
    need = 1.6 * actors - (rest - activity)
    if need > 0:
        activity = max(4.5, activity - need)
    actor = (rest - activity) / actors
    return Columns(no, activity, actor, actors, lanes, time, output)


def assign_lanes(graph: FlowGraph) -> dict[Edge, int]:
    """A vertical lane for every arrow that does not go straight to the next step. Shorter
    spans take the inner lanes (nested loops then never cross); arrows whose spans do not
    overlap share a lane."""
    spans = []
    for edge in graph.edges:
        if graph.follows(edge):
            continue
        a, b = graph.index(edge.source), graph.index(edge.target)
        spans.append((min(a, b), max(a, b), edge))
    spans.sort(key=lambda item: (item[1] - item[0], item[0]))
    taken: list[list[tuple[int, int]]] = []
    lanes: dict[Edge, int] = {}
    for low, high, edge in spans:
        for lane, used in enumerate(taken):
            if all(high < a or low > b for a, b in used):
                used.append((low, high))
                lanes[edge] = lane
                break
        else:
            taken.append([(low, high)])
            lanes[edge] = len(taken) - 1
    return lanes


@dataclass
class Row:
    node: int  # index into graph.nodes
    top: float  # cm from the top of the page
    height: float
    activity: list[str]
    time: list[str]
    output: list[str]

    @property
    def middle(self) -> float:
        return self.top + self.height / 2


@dataclass
class Page:
    rows: list[Row] = field(default_factory=list)
    height: float = 0.0


@dataclass
class Layout:
    graph: FlowGraph
    columns: Columns
    lanes: dict[Edge, int]
    header: list[list[str]]  # wrapped titles of the actor columns
    header_height: float
    pages: list[Page]
    width: float
    header_pt: float = HEADER_PT
    _where: dict[int, tuple[int, Row]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for number, page in enumerate(self.pages):
            for row in page.rows:
                self._where[row.node] = (number, row)

    def page_of(self, node: int) -> int:
        """The page (0-based) a node's row is on."""
        return self._where[node][0]

    def row_of(self, node: int) -> Row:
        return self._where[node][1]


def layout(graph: FlowGraph, width_cm: float, height_cm: float) -> Layout:
    """Columns, wrapped texts and rows, split over pages no taller than `height_cm`."""
    lanes = assign_lanes(graph)
    lane_count = max(lanes.values(), default=-1) + 1
    columns = columns_for(graph, width_cm, lane_count)
    line = line_cm(TEXT_PT)
    room = columns.actor - 2 * PAD_CM
    # Actor titles break between words only: a smaller size (down to 5.5 pt) when a word is wider.
    widest = max(text_width_cm(word, HEADER_PT) for t in graph.columns for word in t.split())
    header_pt = max(5.5, min(HEADER_PT, HEADER_PT * room / widest))
    header = [wrap(title, room, header_pt) for title in graph.columns]
    band = line_cm(HEADER_PT) + 2 * PAD_CM
    header_height = band + max(len(lines) for lines in header) * line_cm(header_pt) + 2 * PAD_CM
    rows = []
    for index, node in enumerate(graph.nodes):
        activity = wrap(node.activity, columns.activity - 2 * PAD_CM, TEXT_PT)
        time = wrap(node.time, columns.time - 2 * PAD_CM, TEXT_PT)
        output = wrap(node.output, columns.output - 2 * PAD_CM, TEXT_PT)
        tallest = max(len(activity), len(time), len(output))
        least = DECISION_ROW_CM if node.symbol == Symbol.DECISION else MIN_ROW_CM
        height = max(least, tallest * line + 2 * PAD_CM)
        rows.append(Row(index, 0.0, height, activity, time, output))
    pages: list[Page] = []
    remaining = rows
    while remaining:
        top = header_height + (STRIP_CM if pages else 0.0)
        room = height_cm - LEGEND_CM - top
        fits_all = sum(r.height for r in remaining) <= room
        if not fits_all:
            room -= STRIP_CM
        page = Page()
        y = top
        while remaining and (not page.rows or y + remaining[0].height <= top + room):
            row = remaining.pop(0)
            row.top = y
            y += row.height
            page.rows.append(row)
        page.height = y + (STRIP_CM if remaining else 0.0) + LEGEND_CM
        pages.append(page)
    return Layout(graph, columns, lanes, header, header_height, pages, columns.width, header_pt)
