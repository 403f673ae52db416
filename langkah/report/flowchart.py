"""The SOP-AP flowchart section of the report: one picture per chart page, under a heading.

The chart comes from the definition (flowchart_graph), is laid out to the landscape page's
usable width and height and drawn with Pillow (flowchart_draw, which says why).
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from docx.shared import Cm

from langkah.engine.definition import SopDefinition
from langkah.report import styles
from langkah.report.flowchart_draw import render_pages
from langkah.report.flowchart_graph import flow_graph
from langkah.report.flowchart_layout import Layout, layout
from langkah.report.plain_cells import styled_paragraph
from langkah.report.sanitize import clean

if TYPE_CHECKING:
    from docx.document import Document

TITLE = "Bagan Alir SOP"
HEADING_CM = 1.75  # the heading above each picture (~1 cm) and the caption below (~0.4 cm)


def flowchart_layout(definition: SopDefinition, width_cm: float, height_cm: float) -> Layout:
    """The chart of `definition` for a page area of `width_cm` x `height_cm`."""
    return layout(flow_graph(definition), width_cm, height_cm - HEADING_CM)


def caption(plan: Layout, number: int, name: str) -> str:
    """The line under a chart page: which steps it shows (the picture itself has no text layer,
    so this line also tells a reader or a search what the page holds)."""
    steps = [plan.graph.nodes[row.node].step for row in plan.pages[number].rows]
    shown = f"langkah {steps[0]}" if len(steps) == 1 else f"langkah {steps[0]}–{steps[-1]}"
    total = len(plan.pages)
    part = f", bagian {number + 1} dari {total}" if total > 1 else ""
    return f"Bagan alir SOP {name}: {shown}{part}."


def add_flowchart(
    document: Document,
    definition: SopDefinition,
    width_cm: float,
    height_cm: float,
    title: str = TITLE,
) -> int:
    """Append the flowchart (starting on the current page; each further chart page on a new
    page) and return how many pages it took; what follows should start a new page
    (page-break-before: a break in a paragraph of its own makes an empty page when the chart
    fills its page). `height_cm` is the usable height of the page.
    Each page is its heading, the picture and a caption, kept together (keep-with-next), in
    the report's styles set by id."""
    plan = flowchart_layout(definition, width_cm, height_cm)
    pages = render_pages(plan)
    for number, (png, page) in enumerate(zip(pages, plan.pages, strict=True)):
        text = clean(title if number == 0 else f"{title} (lanjutan)")
        heading = styled_paragraph(document, text, "Heading 1" if number == 0 else "Heading 2")
        if number:
            heading.paragraph_format.page_break_before = True
        heading.paragraph_format.keep_with_next = True
        picture = document.add_paragraph()
        picture.paragraph_format.keep_with_next = True
        picture.add_run().add_picture(io.BytesIO(png), width=Cm(plan.width), height=Cm(page.height))
        styled_paragraph(
            document, clean(caption(plan, number, definition.identity.name)), styles.KETERANGAN
        )
    return len(pages)
