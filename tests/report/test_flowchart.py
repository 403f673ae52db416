"""The SOP-AP flowchart: graph from the definition, layout over pages, pictures in the docx."""

from __future__ import annotations

import io

import docx
import pytest
from docx.oxml.ns import qn
from PIL import Image

from langkah.catalog import Catalog
from langkah.engine.definition import Symbol
from langkah.report.flowchart import TITLE, flowchart_layout
from langkah.report.flowchart_draw import render_pages
from langkah.report.flowchart_graph import NO_ACTOR, Edge, flow_graph
from langkah.report.flowchart_layout import DPI, assign_lanes, wrap
from tests.report import scenarios
from tests.report.flow_support import wide_sop

A4_LANDSCAPE = (26.2, 17.2)  # usable cm of the report's landscape A4 section
F4_LANDSCAPE = (29.5, 17.7)


@pytest.fixture(scope="module")
def catalog():
    return Catalog.load(None)


def test_dawarblandong_graph(catalog):
    graph = flow_graph(catalog.get("dawarblandong").definition)
    assert graph.columns == ("Camat", "Sekcam", "Tim SAKIP", "Seluruh ASN", NO_ACTOR)
    symbols = {node.step: node.symbol for node in graph.nodes}
    assert symbols[1] == symbols[11] == Symbol.TERMINATOR
    assert symbols[9] == Symbol.DECISION
    assert [s for s, v in symbols.items() if v == Symbol.PROCESS] == [2, 3, 4, 5, 6, 7, 8, 10]
    # step 2 is shared by the Sekcam and the Tim SAKIP; step 11 names no actor
    assert graph.nodes[1].columns == (1, 2)
    assert graph.nodes[10].columns == (4,)
    # the return loop of the decision: "tidak setuju" from step 9 back to step 7
    back = [e for e in graph.edges if graph.goes_back(e)]
    assert back == [Edge(9, 7, "tidak setuju")]
    assert Edge(9, 10, "setuju") in graph.edges
    assert len(graph.edges) == 11  # 1->2 ... 10->11, plus the loop; the end has no exit


def test_mentebah_and_kalipare_graphs(catalog):
    mentebah = flow_graph(catalog.get("mentebah").definition)
    assert [e for e in mentebah.edges if mentebah.goes_back(e)] == [Edge(7, 6, "tidak setuju")]
    assert NO_ACTOR not in mentebah.columns
    kalipare = flow_graph(catalog.get("kalipare").definition)
    assert not [e for e in kalipare.edges if kalipare.goes_back(e)]
    assert kalipare.columns == ("Sekretaris", "Tim Akuntabilitas Kinerja", "Kasubag Evapor")


@pytest.mark.parametrize("sop", ["dawarblandong", "kalipare", "mentebah"])
def test_bundled_sops_fit_one_landscape_page(catalog, sop):
    plan = flowchart_layout(catalog.get(sop).definition, *A4_LANDSCAPE)
    assert len(plan.pages) == 1


def test_twenty_steps_eight_actors_split_over_pages_with_connectors():
    definition = wide_sop()
    plan = flowchart_layout(definition, *F4_LANDSCAPE)
    assert 2 <= len(plan.pages) <= 3
    placed = [row.node for page in plan.pages for row in page.rows]
    assert placed == list(range(20))
    for page in plan.pages:
        assert page.height <= F4_LANDSCAPE[1] - 1.6 + 1e-6
    # nested loops: the shorter (9 -> 4) takes the inner lane, the longer (18 -> 2) the outer
    assert plan.lanes == {Edge(9, 4, "tidak setuju"): 0, Edge(18, 2, "tidak setuju"): 1}
    # actor titles break between words, never inside one
    for title, lines in zip(plan.graph.columns, plan.header, strict=True):
        assert " ".join(lines) == title
    assert plan.columns.actor >= 1.6


def test_lanes_are_shared_by_loops_that_do_not_overlap():
    graph = flow_graph(wide_sop(returns={5: 2, 12: 8}))
    assert sorted(assign_lanes(graph).values()) == [0, 0]


def test_wrap_keeps_words_and_width():
    lines = wrap("Kasubbag Program dan Keuangan memeriksa data kinerja", 2.0, 7.5)
    assert " ".join(lines) == "Kasubbag Program dan Keuangan memeriksa data kinerja"
    assert len(lines) > 1


def test_pages_render_as_png_at_print_resolution(catalog):
    plan = flowchart_layout(catalog.get("dawarblandong").definition, *A4_LANDSCAPE)
    (png,) = render_pages(plan)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert round(image.info["dpi"][0]) == DPI
    assert abs(image.width / DPI * 2.54 - plan.width) < 0.05
    # not blank: the grid, symbols and text put ink on the page
    assert image.convert("L").getextrema()[0] == 0


def test_report_has_the_flowchart_picture_on_the_landscape_section(app, clock, tmp_path):
    from langkah.report import export_report

    view = scenarios.dawarblandong(app, clock)
    document = docx.Document(str(export_report(view, tmp_path / "r.docx")))
    body = document.element.body
    headings = [p for p in document.paragraphs if p.text == f"D. {TITLE}"]  # lettered A-I
    assert len(headings) == 1 and headings[0].style.name == "Heading 1"
    assert headings[0].paragraph_format.keep_with_next
    pictures = body.xpath(".//w:drawing//pic:pic")
    assert len(pictures) == 1
    extent = body.xpath(".//w:drawing/wp:inline/wp:extent")[0]
    width_cm = int(extent.get("cx")) / 360000
    section = document.sections[1]
    usable = (section.page_width - section.left_margin - section.right_margin) / 360000
    assert abs(width_cm - usable) < 0.05
    # the flowchart comes before the execution table, after the identity page
    texts = [p.text for p in document.paragraphs]
    assert (
        texts.index("A. Identitas SOP")
        < texts.index(f"D. {TITLE}")
        < texts.index("E. Pelaksanaan Langkah SOP")
    )
    blip = body.xpath(".//a:blip")[0]
    part = document.part.related_parts[blip.get(qn("r:embed"))]
    assert part.content_type == "image/png"
