"""Lays the flowchart out on landscape pages and draws each page as a PNG with Pillow.

Why an image, and why Pillow: the SOP-AP chart needs symbols placed in actor columns and
arrows routed between them, which python-docx has no API for (DrawingML shapes by hand would
be a second layout engine that Word and LibreOffice place differently). Pillow is the
maintained imaging library of Python: it imports in a few tens of milliseconds and draws a
page in about 0.06 s, so even a 200-step report stays inside its time budget (matplotlib would
add about half a second of import alone). It ships its own scalable font, so the chart looks
the same on every machine. Pages are drawn at print resolution (200 dpi: drawing at twice that
and reducing looked the same on paper and cost 2.5 times as long) and embedded at their exact
size in centimetres.

Layout per page: a header (No | Kegiatan | one column per actor | return lanes | Waktu |
Output), one row per step, off-page connectors (pentagons with a letter) where the flow
continues on another page, and a legend of the symbols.
"""

from __future__ import annotations

import io
import string
from dataclasses import dataclass, field
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

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


def _px(cm: float) -> int:
    return round(cm / 2.54 * DPI)


def _pt_cm(points: float) -> float:
    return points / 72 * 2.54


@lru_cache(maxsize=8)
def _font(points: float) -> ImageFont.FreeTypeFont:
    # Pillow's own scalable font (Aileron): the same glyphs on every machine.
    font = ImageFont.load_default(size=round(points / 72 * DPI))
    assert isinstance(font, ImageFont.FreeTypeFont)
    # Latin text needs no complex shaping: the basic layout is about twice as fast.
    return font.font_variant(layout_engine=ImageFont.Layout.BASIC)


@lru_cache(maxsize=4096)
def text_width_cm(text: str, points: float) -> float:
    return _font(points).getlength(text) / DPI * 2.54


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


def _line_cm(points: float) -> float:
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
    line = _line_cm(TEXT_PT)
    room = columns.actor - 2 * PAD_CM
    # Actor titles break between words only: a smaller size (down to 5.5 pt) when a word is wider.
    widest = max(text_width_cm(word, HEADER_PT) for t in graph.columns for word in t.split())
    header_pt = max(5.5, min(HEADER_PT, HEADER_PT * room / widest))
    header = [wrap(title, room, header_pt) for title in graph.columns]
    band = _line_cm(HEADER_PT) + 2 * PAD_CM
    header_height = band + max(len(lines) for lines in header) * _line_cm(header_pt) + 2 * PAD_CM
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


# -- drawing ------------------------------------------------------------------------------------

SHAPE_H = 0.55
DIAMOND_H = 0.8


def _shape_size(symbol: Symbol, column_cm: float) -> tuple[float, float]:
    if symbol == Symbol.DECISION:
        return min(column_cm * 0.8, 1.7), DIAMOND_H
    return min(column_cm * 0.72, 1.5), SHAPE_H


class _Painter:
    """Draws one page of a layout; coordinates in cm, converted at the edge."""

    def __init__(self, plan: Layout, number: int, height: float | None = None):
        self.plan = plan
        self.number = number
        self.page = plan.pages[number]
        height = self.page.height if height is None else height
        self.image = Image.new("L", (_px(plan.width), _px(height)), 255)
        self.draw = ImageDraw.Draw(self.image)
        self.cols = plan.columns

    # primitives
    def line(
        self, points: list[tuple[float, float]], width: float = 0.045, fill: int = INK
    ) -> None:
        self.draw.line([(_px(x), _px(y)) for x, y in points], fill=fill, width=_px(width),
                       joint="curve")  # fmt: skip

    def arrow(self, points: list[tuple[float, float]]) -> None:
        self.line(points)
        (x0, y0), (x1, y1) = points[-2], points[-1]
        size = 0.2
        dx, dy = x1 - x0, y1 - y0
        length = max((dx * dx + dy * dy) ** 0.5, 1e-6)
        ux, uy = dx / length, dy / length
        left = (x1 - ux * size - uy * size * 0.5, y1 - uy * size + ux * size * 0.5)
        right = (x1 - ux * size + uy * size * 0.5, y1 - uy * size - ux * size * 0.5)
        self.draw.polygon([(_px(x), _px(y)) for x, y in (left, (x1, y1), right)], fill=INK)

    def text(self, x: float, y: float, text: str, points: float = TEXT_PT,
             anchor: str = "la", fill: int = INK) -> None:  # fmt: skip
        self.draw.text((_px(x), _px(y)), text, font=_font(points), fill=fill, anchor=anchor)

    def lines(self, x: float, top: float, lines: list[str], center: bool = False,
              points: float = TEXT_PT) -> None:  # fmt: skip
        step = _line_cm(points)
        for index, text in enumerate(lines):
            y = top + index * step
            self.text(x, y, text, points, "ma" if center else "la")

    # shapes
    def shape(self, symbol: Symbol, cx: float, cy: float, label: str) -> None:
        w, h = _shape_size(symbol, self.cols.actor)
        box = [_px(cx - w / 2), _px(cy - h / 2), _px(cx + w / 2), _px(cy + h / 2)]
        outline = _px(0.045)
        if symbol == Symbol.TERMINATOR:
            self.draw.rounded_rectangle(box, radius=_px(h / 2), fill=255, outline=INK,
                                        width=outline)  # fmt: skip
        elif symbol == Symbol.DECISION:
            points = [(cx, cy - h / 2), (cx + w / 2, cy), (cx, cy + h / 2), (cx - w / 2, cy)]
            self.draw.polygon([(_px(x), _px(y)) for x, y in points], fill=255, outline=INK,
                              width=outline)  # fmt: skip
        else:
            self.draw.rectangle(box, fill=255, outline=INK, width=outline)
        self.text(cx, cy, label, TEXT_PT, "mm")

    def connector(self, cx: float, top: float, letter: str) -> None:
        """The off-page connector (a pentagon pointing down) with its letter."""
        w, h = 0.5, 0.5
        points = [(cx - w / 2, top), (cx + w / 2, top), (cx + w / 2, top + h * 0.6),
                  (cx, top + h), (cx - w / 2, top + h * 0.6)]  # fmt: skip
        self.draw.polygon([(_px(x), _px(y)) for x, y in points], fill=255, outline=INK,
                          width=_px(0.035))  # fmt: skip
        self.text(cx, top + h * 0.35, letter, SMALL_PT, "mm")

    # geometry of nodes
    def center_x(self, column: int) -> float:
        return self.cols.x_actor(column) + self.cols.actor / 2

    def half_height(self, node: int) -> float:
        symbol = self.plan.graph.nodes[node].symbol
        return _shape_size(symbol, self.cols.actor)[1] / 2

    def half_width(self, node: int) -> float:
        symbol = self.plan.graph.nodes[node].symbol
        return _shape_size(symbol, self.cols.actor)[0] / 2

    # the page
    def _edges(self) -> list[float]:
        cols = self.cols
        edges = [0.0, cols.no, cols.no + cols.activity]
        edges += [cols.x_actor(i) for i in range(1, cols.actors)]
        edges += [cols.lanes_x, cols.time_x, cols.output_x, cols.width]
        return [min(x, cols.width - 0.01) for x in sorted(set(edges))]

    def grid(self) -> None:
        """The lines of the page's rows (the header is pasted in from `header`)."""
        cols = self.cols
        first = self.page.rows[0].top
        bottom = self.page.rows[-1].top + self.page.rows[-1].height
        for x in self._edges():
            if not cols.lanes_x < x < cols.time_x - 0.001:  # the lanes have no inner lines
                self.line([(x, first), (x, bottom)], 0.03, GRID)
        for row in self.page.rows:
            y = row.top + row.height
            self.line([(0, row.top), (cols.width - 0.01, row.top)], 0.03, GRID)
            self.line([(0, y), (cols.width - 0.01, y)], 0.03, GRID)

    def header(self) -> None:
        """The column headings (drawn once, pasted on every page)."""
        cols, plan = self.cols, self.plan
        band = _line_cm(HEADER_PT) + 2 * PAD_CM
        self.draw.rectangle([0, 0, _px(cols.width), _px(plan.header_height)], fill=HEADER_FILL)
        band_edges = {cols.no + cols.activity, cols.time_x}
        for x in self._edges():
            inside_band = cols.no + cols.activity < x < cols.lanes_x + 0.001 or (
                cols.time_x < x < cols.width - 0.02
            )
            top = band if inside_band and x not in band_edges else 0.0
            self.line([(x, top), (x, plan.header_height)], 0.03, GRID)
        for y in (0.0, plan.header_height - 0.01):
            self.line([(0, y), (cols.width - 0.01, y)], 0.03, GRID)
        self.line([(cols.no + cols.activity, band), (cols.lanes_x, band)], 0.03, GRID)
        self.line([(cols.time_x, band), (cols.width - 0.01, band)], 0.03, GRID)
        self.text(cols.no / 2, plan.header_height / 2, "No", HEADER_PT, "mm")
        self.text(cols.no + cols.activity / 2, plan.header_height / 2, "Kegiatan", HEADER_PT,
                  "mm")  # fmt: skip
        self.text((cols.no + cols.activity + cols.time_x) / 2, band / 2, "Pelaksana", HEADER_PT,
                  "mm")  # fmt: skip
        self.text((cols.time_x + cols.width) / 2, band / 2, "Mutu Baku", HEADER_PT, "mm")
        for index, title in enumerate(plan.header):
            self.lines(self.center_x(index), band + PAD_CM, title, center=True,
                       points=plan.header_pt)  # fmt: skip
        self.text(cols.time_x + cols.time / 2, band + PAD_CM, "Waktu", HEADER_PT, "ma")
        self.text(cols.output_x + cols.output / 2, band + PAD_CM, "Output", HEADER_PT, "ma")

    def row_texts(self) -> None:
        cols = self.cols
        for row in self.page.rows:
            node = self.plan.graph.nodes[row.node]
            self.text(cols.no / 2, row.top + PAD_CM, str(node.step), TEXT_PT, "ma")
            self.lines(cols.no + PAD_CM, row.top + PAD_CM, row.activity)
            self.lines(cols.time_x + cols.time / 2, row.top + PAD_CM, row.time, center=True)
            self.lines(cols.output_x + PAD_CM, row.top + PAD_CM, row.output)

    def legend(self) -> None:
        """The symbols' legend (drawn once on a strip, pasted at the foot of every page)."""
        y = LEGEND_CM / 2
        x = 0.2
        items = [
            (Symbol.TERMINATOR, "Mulai / selesai"),
            (Symbol.PROCESS, "Proses"),
            (Symbol.DECISION, "Keputusan"),
        ]
        for symbol, label in items:
            w, _ = _shape_size(symbol, 1.2)
            small = 0.55
            box = [_px(x), _px(y - small / 4), _px(x + w * 0.6), _px(y + small / 4)]
            if symbol == Symbol.TERMINATOR:
                self.draw.rounded_rectangle(
                    box, radius=_px(small / 4), outline=INK, width=_px(0.03)
                )
            elif symbol == Symbol.PROCESS:
                self.draw.rectangle(box, outline=INK, width=_px(0.03))
            else:
                cx, half = x + w * 0.3, w * 0.3
                points = [(cx, y - small / 3), (cx + half, y), (cx, y + small / 3), (cx - half, y)]
                self.draw.polygon([(_px(a), _px(b)) for a, b in points], outline=INK,
                                  width=_px(0.03))  # fmt: skip
            x += w * 0.6 + 0.15
            self.text(x, y, label, SMALL_PT, "lm")
            x += text_width_cm(label, SMALL_PT) + 0.6
        self.connector(x + 0.25, y - 0.25, "A")
        x += 0.65
        label = "Penghubung ke/dari halaman lain"
        self.text(x, y, label, SMALL_PT, "lm")
        x += text_width_cm(label, SMALL_PT) + 0.6
        self.arrow([(x, y), (x + 0.8, y)])
        self.text(x + 1.0, y, "Arah alur (label: jawaban keputusan)", SMALL_PT, "lm")

    def page_number(self) -> None:
        total = len(self.plan.pages)
        if total > 1:
            y = self.page.height - LEGEND_CM / 2
            self.text(self.cols.width - 0.1, y, f"Bagan {self.number + 1} dari {total}",
                      SMALL_PT, "rm")  # fmt: skip

    def nodes(self) -> None:
        graph = self.plan.graph
        for row in self.page.rows:
            node = graph.nodes[row.node]
            xs = [self.center_x(c) for c in node.columns]
            if len(xs) > 1:  # a step shared by several actors: its symbols joined by a line
                self.line([(xs[0], row.middle), (xs[-1], row.middle)], 0.035)
            for x in xs:
                self.shape(node.symbol, x, row.middle, str(node.step))


def _letters() -> list[str]:
    single = list(string.ascii_uppercase)
    return single + [a + b for a in single for b in single]


def _closest(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, int]:
    return min(((x, y) for x in a for y in b), key=lambda pair: (abs(pair[0] - pair[1]), pair))


def _route(painters: list[_Painter], plan: Layout) -> None:
    graph = plan.graph
    letters = iter(_letters())
    for edge in graph.edges:
        s, t = graph.index(edge.source), graph.index(edge.target)
        s_page, t_page = plan.page_of(s), plan.page_of(t)
        src, dst = plan.row_of(s), plan.row_of(t)
        src_node, dst_node = graph.nodes[s], graph.nodes[t]
        ps, pt = painters[s_page], painters[t_page]
        if graph.follows(edge):
            a, b = _closest(src_node.columns, dst_node.columns)
            xa, xb = ps.center_x(a), pt.center_x(b)
            start = (xa, src.middle + ps.half_height(s))
            if s_page == t_page:
                gap = src.top + src.height
                end = (xb, dst.middle - pt.half_height(t))
                path = [start, (xa, gap), (xb, gap), end] if a != b else [start, end]
                ps.arrow(path)
            else:
                letter = next(letters)
                bottom = ps.page.rows[-1].top + ps.page.rows[-1].height
                ps.arrow([start, (xa, bottom + 0.15)])
                ps.connector(xa, bottom + 0.15, letter)
                top = plan.header_height + 0.1
                pt.connector(xb, top, letter)
                pt.arrow([(xb, top + 0.5), (xb, dst.middle - pt.half_height(t))])
            if edge.label:
                ps.text(xa + 0.08, start[1] + 0.05, edge.label, SMALL_PT, "la")
            continue
        lane = plan.columns.lane_center(plan.lanes[edge])
        a = max(src_node.columns)
        b = max(dst_node.columns)
        exit_point = (ps.center_x(a) + ps.half_width(s), src.middle)
        entry = (pt.center_x(b) + pt.half_width(t), dst.middle)
        if edge.label:  # under the exit line, wrapped to the room left before the lane
            room = max(0.7, lane - exit_point[0] - 0.1)
            ps.lines(exit_point[0] + 0.06, src.middle + 0.04, wrap(edge.label, room, SMALL_PT),
                     points=SMALL_PT)  # fmt: skip
        if s_page == t_page:
            ps.arrow([exit_point, (lane, src.middle), (lane, dst.middle), entry])
            continue
        letter = next(letters)
        upward = t_page < s_page
        if upward:
            edge_y = plan.header_height + 0.1
            ps.line([exit_point, (lane, src.middle), (lane, edge_y + 0.5)])
            ps.connector(lane, edge_y, letter)
            bottom = pt.page.rows[-1].top + pt.page.rows[-1].height + 0.15
            pt.connector(lane, bottom, letter)
            pt.arrow([(lane, bottom), (lane, dst.middle), entry])
        else:
            bottom = ps.page.rows[-1].top + ps.page.rows[-1].height + 0.15
            ps.arrow([exit_point, (lane, src.middle), (lane, bottom)])
            ps.connector(lane, bottom, letter)
            top = plan.header_height + 0.1
            pt.connector(lane, top, letter)
            pt.arrow([(lane, top + 0.5), (lane, dst.middle), entry])


def render_pages(plan: Layout) -> list[bytes]:
    """Every page of the layout as PNG bytes (DPI dots per inch)."""
    header = _Painter(plan, 0, plan.header_height)
    header.header()
    legend = _Painter(plan, 0, LEGEND_CM)
    legend.legend()
    painters = [_Painter(plan, number) for number in range(len(plan.pages))]
    for painter in painters:
        painter.image.paste(header.image, (0, 0))
        painter.image.paste(legend.image, (0, painter.image.height - legend.image.height))
        painter.page_number()
        painter.grid()
        painter.row_texts()
    _route(painters, plan)
    for painter in painters:
        painter.nodes()
    pages = []
    for painter in painters:
        buffer = io.BytesIO()
        # level 1: a third of the time of the default for a few per cent more bytes
        painter.image.save(buffer, format="PNG", dpi=(DPI, DPI), compress_level=1)
        pages.append(buffer.getvalue())
    return pages
