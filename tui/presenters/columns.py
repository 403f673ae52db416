"""The overview's columns and how they share the terminal's width. Imports nothing: the first
screen reads it before the domain is loaded.

Columns are listed in priority order (left to right as well): a narrow terminal keeps the first
ones that fit, each at least its minimum width; the width left over is shared out, one cell at a
time, among the columns whose content is wider than they are, so that a wide terminal shows every
column whole and nothing is cut at a fixed width.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """One overview column: its string key (also its DataTable key) and its narrowest width."""

    key: str
    minimum: int


SPECS = (
    Column("ov.col.kecamatan", 10),
    Column("ov.col.status", 16),
    Column("ov.col.step", 14),
    Column("ov.col.holder", 12),
    Column("ov.col.period", 7),
    Column("ov.col.time", 12),
    Column("ov.col.sop", 10),
    Column("ov.col.returns", 3),
)
COLUMNS = tuple(spec.key for spec in SPECS)

CELL_PADDING = 1  # DataTable's cell padding, on each side of every column
SCROLLBAR = 2  # kept free on the right for the table's vertical scrollbar
ELLIPSIS = "…"
COMFORT = 24  # a column narrower than this (and than its content) is cramped
KEPT = 5  # kecamatan, status, step, holder, period: shown whenever they fit, cramped or not


def layout(width: int, natural: dict[str, int]) -> list[tuple[str, int]]:
    """(column key, content width) of the columns shown in a table `width` cells wide.

    `natural` is each column's widest content (header included). Columns are taken in priority
    order while their minimum (or their natural width, if smaller) fits; the first one that
    does not fit ends the list, so that a column is never shown while a more important one is
    hidden. The rest of the width is then shared evenly among the columns still narrower than
    their content. Then, while the last column would be cut and fewer columns would give the
    more important ones room, or while any column is cramped (narrower than its content and
    than COMFORT cells), it is left out: a few readable columns beat many cut ones. The
    first KEPT columns are never left out for that; the first column is always shown,
    clipped to the width if need be.
    """
    shown = _share(width, natural, len(SPECS))
    while len(shown) > KEPT:
        key, given = shown[-1]
        cramped = any(w < min(natural.get(k, 0), COMFORT) for k, w in shown)
        if given >= natural.get(key, 0) and not cramped:
            break  # the last column is whole and none is cramped: keep what fits
        fewer = _share(width, natural, len(shown) - 1)
        if fewer == shown[:-1]:
            break  # leaving it out would give the others nothing
        shown = fewer
    return shown


def _share(width: int, natural: dict[str, int], count: int) -> list[tuple[str, int]]:
    """The first `count` columns (at most) that fit, the spare width shared evenly."""
    room = max(width - SCROLLBAR, 1)
    chosen: list[tuple[str, int]] = []
    used = 0
    for spec in SPECS[:count]:
        want = max(natural.get(spec.key, spec.minimum), 1)
        start = min(spec.minimum, want)
        if used + start + 2 * CELL_PADDING > room:
            break
        chosen.append((spec.key, start))
        used += start + 2 * CELL_PADDING
    if not chosen:
        return [(SPECS[0].key, max(room - 2 * CELL_PADDING, 1))]
    widths = dict(chosen)
    spare = room - used
    while spare > 0:
        growing = [key for key, _ in chosen if widths[key] < natural.get(key, 0)]
        if not growing:
            break
        for key in growing:
            if spare == 0:
                break
            widths[key] += 1
            spare -= 1
    return [(key, widths[key]) for key, _ in chosen]


def fit(text: str, width: int) -> str:
    """`text` cut to `width` cells with an ellipsis when longer (one cell per character)."""
    if len(text) <= width:
        return text
    return text[: max(width - 1, 0)] + ELLIPSIS if width > 0 else ""
