"""The SOP-AP flowchart section of the report: one picture per chart page, under a heading.

The chart comes from the definition (flowchart_graph), is laid out to the landscape page's
usable width and height and drawn with Pillow (flowchart_draw, which says why).
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from docx.enum.text import WD_BREAK
from docx.shared import Cm

from langkah.engine.definition import SopDefinition
from langkah.report.flowchart_draw import render_pages
from langkah.report.flowchart_graph import flow_graph
from langkah.report.flowchart_layout import Layout, layout

if TYPE_CHECKING:
    from docx.document import Document

TITLE = "Bagan Alir SOP"
HEADING_CM = 1.6  # the heading line above each picture, with its spacing


def flowchart_layout(definition: SopDefinition, width_cm: float, height_cm: float) -> Layout:
    """The chart of `definition` for a page area of `width_cm` x `height_cm`."""
    return layout(flow_graph(definition), width_cm, height_cm - HEADING_CM)


def add_flowchart(
    document: Document,
    definition: SopDefinition,
    width_cm: float,
    height_cm: float,
    title: str = TITLE,
) -> int:
    """Append the flowchart (starting on the current page; each further chart page on a new
    page) and return how many pages it took. `height_cm` is the usable height of the page."""
    plan = flowchart_layout(definition, width_cm, height_cm)
    pages = render_pages(plan)
    for number, (png, page) in enumerate(zip(pages, plan.pages, strict=True)):
        heading = document.add_paragraph(
            title if number == 0 else f"{title} (lanjutan)", style="Heading 1"
        )
        if number:
            heading.style = document.styles["Heading 2"]
            heading.paragraph_format.page_break_before = True
        heading.paragraph_format.keep_with_next = True
        picture = document.add_paragraph()
        picture.add_run().add_picture(io.BytesIO(png), width=Cm(plan.width), height=Cm(page.height))
    if pages:
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    return len(pages)
