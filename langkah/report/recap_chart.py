"""The recap's chart: on-time % per period, a line per kecamatan, drawn as a PNG with Pillow.

Pillow, as for the cycle report's flowchart (langkah/report/flowchart_draw.py says why), with
its own scalable font at print resolution. Each line has its own colour, marker and dash, so it
still reads on a grey printer. A period without judged steps has no point (the line breaks
there): it is not drawn as 0. The numbers are in a table beside the chart in the report.
"""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

from langkah.display import visible
from langkah.report.flowchart_layout import DPI, font_at, px
from langkah.report.recap_content import Series, period_label

INK = (0, 0, 0)
GRID = (200, 200, 200)
COLOURS = [
    (47, 85, 151),
    (192, 0, 0),
    (84, 130, 53),
    (191, 144, 0),
    (112, 48, 160),
    (0, 0, 0),
    (127, 127, 127),
    (0, 112, 192),
]
MARKERS = ("circle", "square", "triangle", "diamond")
DASHES = (None, (14, 8), (4, 6), (18, 6, 4, 6))
TEXT_PT = 8.0
LEGEND_ROW_CM = 0.5


def _dashed(
    draw: ImageDraw.ImageDraw,
    a: tuple[float, float],
    b: tuple[float, float],
    colour: tuple[int, int, int],
    width: int,
    dash: tuple[int, ...] | None,
) -> None:
    if dash is None:
        draw.line([a, b], fill=colour, width=width)
        return
    (x0, y0), (x1, y1) = a, b
    length = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
    if length == 0:
        return
    position, index, on = 0.0, 0, True
    while position < length:
        step = dash[index % len(dash)] * width / 2
        end = min(length, position + step)
        if on:
            t0, t1 = position / length, end / length
            draw.line(
                [
                    (x0 + (x1 - x0) * t0, y0 + (y1 - y0) * t0),
                    (x0 + (x1 - x0) * t1, y0 + (y1 - y0) * t1),
                ],
                fill=colour,
                width=width,
            )
        position, index, on = end, index + 1, not on


def _marker(
    draw: ImageDraw.ImageDraw, kind: str, x: float, y: float, r: float, colour: tuple[int, int, int]
) -> None:
    if kind == "circle":
        draw.ellipse([x - r, y - r, x + r, y + r], fill=colour)
    elif kind == "square":
        draw.rectangle([x - r, y - r, x + r, y + r], fill=colour)
    elif kind == "triangle":
        draw.polygon(
            [(x, y - r * 1.2), (x - r * 1.1, y + r * 0.8), (x + r * 1.1, y + r * 0.8)], fill=colour
        )
    else:
        draw.polygon(
            [(x, y - r * 1.3), (x + r * 1.1, y), (x, y + r * 1.3), (x - r * 1.1, y)], fill=colour
        )


def style_of(index: int) -> tuple[tuple[int, int, int], str, tuple[int, ...] | None]:
    return (
        COLOURS[index % len(COLOURS)],
        MARKERS[index % len(MARKERS)],
        DASHES[(index // len(MARKERS) + index) % len(DASHES)],
    )


def chart_height_cm(series: list[Series], plot_cm: float = 6.5) -> float:
    return plot_cm + 1.6 + LEGEND_ROW_CM * len(series)


def render_chart(periods: list[str], series: list[Series], width_cm: float) -> tuple[bytes, float]:
    """The PNG and its height in cm (for `width_cm`); axes 0-100 %, a point per judged period."""
    height_cm = chart_height_cm(series)
    image = Image.new("RGB", (px(width_cm), px(height_cm)), "white")
    draw = ImageDraw.Draw(image)
    font = font_at(TEXT_PT)
    left, right, top = px(1.6), px(width_cm - 0.5), px(0.4)
    bottom = px(0.4 + 6.5)
    line = max(2, round(DPI / 100))
    for level in (0, 25, 50, 75, 100):
        y = bottom - (bottom - top) * level / 100
        draw.line([(left, y), (right, y)], fill=GRID if level else INK, width=1 if level else line)
        label = f"{level}%"
        draw.text(
            (left - px(0.15) - font.getlength(label), y), label, fill=INK, font=font, anchor="lm"
        )
    draw.line([(left, top), (left, bottom)], fill=INK, width=line)
    count = max(1, len(periods))
    slot = (right - left) / count
    xs = [left + slot * (i + 0.5) for i in range(len(periods))]
    for x, period in zip(xs, periods, strict=True):
        draw.line([(x, bottom), (x, bottom + px(0.12))], fill=INK, width=line)
        text = visible(period_label(period), one_line=True)
        while len(text) > 3 and font.getlength(text) > slot * 0.95:
            text = text[:-2] + "…"
        draw.text((x, bottom + px(0.2)), text, fill=INK, font=font, anchor="mt")
    radius = px(0.12)
    for index, s in enumerate(series):
        colour, marker, dash = style_of(index)
        points = [
            (xs[i], bottom - (bottom - top) * v / 100) if v is not None else None
            for i, v in enumerate(s.values)
        ]
        for a, b in zip(points, points[1:], strict=False):
            if a is not None and b is not None:
                _dashed(draw, a, b, colour, line * 3, dash)
        for p in points:
            if p is not None:
                _marker(draw, marker, p[0], p[1], radius, colour)
    y = bottom + px(1.0)
    for index, s in enumerate(series):
        colour, marker, dash = style_of(index)
        mid = y + px(LEGEND_ROW_CM / 2)
        _dashed(draw, (left, mid), (left + px(1.2), mid), colour, line * 3, dash)
        _marker(draw, marker, left + px(0.6), mid, radius, colour)
        draw.text(
            (left + px(1.4), mid), visible(s.label, one_line=True), fill=INK, font=font, anchor="lm"
        )
        y += px(LEGEND_ROW_CM)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(DPI, DPI))
    return buffer.getvalue(), height_cm
