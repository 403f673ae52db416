"""The Rekapitulasi report through LibreOffice (PDF, read page by page with pdftotext): every
page carries the running header, its number and content; no heading ends a page; nothing is
cut (every group, every step row, the widest table's last column, the chart and its table)."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import subprocess

import pytest

from bench.synth import write_cycle
from langkah.store.tinydb_store import TinyDBStore
from tests.analytics.support import MENTEBAH, Log, run, wib
from tests.cli_support import _run
from tests.report.recap_support import seed, use_store

pytestmark = pytest.mark.needs_libreoffice

CASES = {
    "all-a4": ("--paper", "A4"),
    "all-f4": ("--paper", "F4"),
    "kalipare": ("--sop", "kalipare"),
}
HEADING = re.compile(r"^\s*[A-E]\. [A-Z]")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice is not None and shutil.which("pdftotext") and shutil.which("pdfimages")
    root = tmp_path_factory.mktemp("recap-render")
    data = seed(root / "data")
    write_cycle(TinyDBStore(data), run(Log(MENTEBAH, "mentebah-1", "2026-T3", wib(1, 8)),
                                       [(1, 9, 0)]))  # fmt: skip
    out = root / "out"
    out.mkdir()
    results = {}
    with pytest.MonkeyPatch.context() as patch:
        use_store(data, patch)
        for name, args in CASES.items():
            for fmt in ("docx", "json"):
                buffer = io.StringIO()
                with contextlib.redirect_stdout(buffer):
                    target = ("--docx", str(out / f"{name}.docx")) if fmt == "docx" else ("--json",)
                    assert _run(("stats", *args, *target)) == 0
                if fmt == "json":
                    import json

                    results[name] = json.loads(buffer.getvalue())
    documents = sorted(str(p) for p in out.glob("*.docx"))
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={(root / 'lo').as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(out), *documents],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    pages, images = {}, {}
    for name in CASES:
        pdf = out / f"{name}.pdf"
        assert pdf.exists(), result.stderr
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout  # fmt: skip
        pages[name] = [p for p in text.split("\f") if p.strip()]
        listed = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True,
                                text=True, check=True).stdout  # fmt: skip
        images[name] = [line.split() for line in listed.splitlines()[2:] if line.strip()]
    return pages, images, results


def squeeze(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("name", CASES)
def test_every_page_has_header_number_and_content(rendered, name):
    pages, _, _ = rendered
    count = len(pages[name])
    assert count >= 3
    for number, page in enumerate(pages[name], 1):
        assert "Rekapitulasi Pelaksanaan SOP" in page, f"page {number}: no running header"
        assert f"Halaman {number} dari {count}" in squeeze(page), f"page {number} unnumbered"
        lines = [line for line in page.splitlines() if line.strip()]
        body = [line for line in lines[1:] if not line.strip().startswith("Halaman ")]
        assert len(body) >= 3, f"page {number} has almost nothing on it"
        assert not HEADING.match(body[-1]), f"page {number} ends with a heading {body[-1]!r}"


@pytest.mark.parametrize("name", CASES)
def test_nothing_is_cut(rendered, name):
    pages, images, results = rendered
    text = squeeze(" ".join(pages[name]))
    result = results[name]
    assert "Rasio" in text and "standar" in text  # the last column
    for g in result["groups"] + result["totals"]:
        assert g["kecamatan"] in text
        if g["lead_time_ratio"] is not None:  # the last column's figure
            assert f"{g['lead_time_ratio']:g}".replace(".", ",") in text
    start = next(i for i, p in enumerate(pages[name]) if "D. Per Langkah" in p)
    step_text = "\n".join(pages[name][start:]).split("D. Per Langkah", 1)[1]
    step_text = step_text.split("E. Persentase", 1)[0]  # the step table, over its pages
    step_row = re.compile(r"^\s*(\d+)\s+(-|\.|\d+(,\d+)?%)")
    rows = [m.group(1) for line in step_text.splitlines() if (m := step_row.match(line))]
    assert [int(r) for r in rows] == [row["step"] for row in result["step_table"]["rows"]]
    assert "Gambar: persentase langkah tepat waktu per periode" in text
    (image,) = images[name]  # the one chart, whole: its size as drawn
    assert int(image[3]) > 1000 and int(image[4]) > 500
    chart_page = next(p for p in pages[name] if "E. Persentase" in p)
    assert "Periode" in chart_page and "Triwulan III Tahun" in squeeze(chart_page)
