"""The render suite: reports of every bundled SOP, in every cycle state, with short and long
notes, converted to PDF by LibreOffice and read page by page (pdftotext).

Asserts what a reader of the printed report needs: every page carries the running header and
"Halaman X dari Y"; the signature block shares its page with the conclusion (never alone); no
heading ends a page; nothing is cut (every step, the whole long note, the conclusion); a long
note does not swell the report. All documents go through one LibreOffice run (module fixture).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from langkah.engine.cycle import Person
from langkah.report import ReportOptions, content, export_report
from tests.report import scenarios

pytestmark = pytest.mark.needs_libreoffice

SOPS = ("dawarblandong", "kalipare", "mentebah")
STATES = ("finished", "running", "cancelled")
NOTES = ("short", "long")
LONG_NOTE = " ".join(f"kalimat{n} dari notulen rapat yang panjang sekali." for n in range(110))
HEADING = re.compile(r"^\s*([A-I]\. [A-Z]|Lampiran: )")  # sections A-I


def build(root: Path, sop: str, state: str, notes: str):
    clock = scenarios.SteppingClock()
    app = scenarios.open_app(root / f"{sop}-{state}-{notes}", root / "defs", clock)
    signers = {}
    if state == "finished":
        signers = {
            "kepala": Person(name="Drs. KEPALA UNIT, M.Si.", nip="197006261990031006"),
            "penanggung_jawab": Person(name="PETUGAS PENANGGUNG JAWAB", nip="NI PPPK 1234"),
        }
    run = scenarios.Runner(app, clock, sop, signers)
    note = LONG_NOTE if notes == "long" else "Rapat diundur satu jam."
    limit = {"finished": 99, "running": 3, "cancelled": 2}[state]
    taken = 0
    while run.view.current_step is not None and taken < limit:
        step = run.view.current_step
        answer = True if step.decision is not None else None
        run.step(45 if taken != 1 else 600, answer=answer, note=note if taken == 1 else "")
        taken += 1
    view = run.view
    if state == "running":
        run.spend(2000)  # the current step runs past its standard
        view = run.current()
    elif state == "cancelled":
        clock.now += dt.timedelta(minutes=30)
        view = app.cancel(run.cycle_id, "Data seksi belum lengkap")
    return app.open_cycle(view.state.cycle_id)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice is not None
    assert shutil.which("pdftotext"), "pdftotext is needed (apt-get install poppler-utils)"
    root = tmp_path_factory.mktemp("render")
    out = root / "out"
    out.mkdir()
    views = {}
    for sop in SOPS:
        for state in STATES:
            for notes in NOTES:
                key = (sop, state, notes)
                view = build(root / "data", *key)
                views[key] = view
                export_report(view, out / f"{sop}-{state}-{notes}.docx", ReportOptions())
    profile = root / "lo-profile"
    documents = sorted(str(p) for p in out.glob("*.docx"))
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to",
         "pdf", "--outdir", str(out), *documents],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    pages = {}
    for key in views:
        pdf = out / ("-".join(key) + ".pdf")
        assert pdf.exists(), f"LibreOffice wrote no {pdf.name}: {result.stderr}"
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        pages[key] = [p for p in text.split("\f") if p.strip()]
    return views, pages


CASES = [(sop, state, notes) for sop in SOPS for state in STATES for notes in NOTES]


def squeeze(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("key", CASES, ids=["-".join(c) for c in CASES])
def test_every_page_has_the_header_and_its_number(rendered, key):
    _views, pages = rendered
    count = len(pages[key])
    for number, page in enumerate(pages[key], 1):
        assert "Laporan SOP" in page, f"page {number} has no running header"
        assert f"Halaman {number} dari {count}" in squeeze(page), f"page {number} unnumbered"


@pytest.mark.parametrize("key", CASES, ids=["-".join(c) for c in CASES])
def test_the_signature_page_holds_the_conclusion(rendered, key):
    _views, pages = rendered
    holding = [p for p in pages[key] if "Mengetahui," in p]
    assert len(holding) == 1
    page = squeeze(holding[0])
    assert "Demikian laporan ini dibuat" in page
    assert "I. Kesimpulan" in page or page.index("Demikian") > 200


@pytest.mark.parametrize("key", CASES, ids=["-".join(c) for c in CASES])
def test_no_heading_ends_a_page(rendered, key):
    _views, pages = rendered
    for number, page in enumerate(pages[key], 1):
        lines = [line for line in page.splitlines() if line.strip()]
        body = [line for line in lines if not line.strip().startswith("Halaman ")]
        assert body, f"page {number} is empty"
        assert not HEADING.match(body[-1]), f"page {number} ends with heading {body[-1]!r}"


@pytest.mark.parametrize("key", CASES, ids=["-".join(c) for c in CASES])
def test_nothing_is_cut(rendered, key):
    views, pages = rendered
    view = views[key]
    text = squeeze(" ".join(pages[key])).replace("- ", "-")
    for step in view.definition.steps:
        opening = " ".join(step.activity.split()[:3])
        assert opening in text, f"step {step.number} ({opening}) is missing"
    if key[2] == "long":
        assert "kalimat109 dari notulen rapat yang panjang sekali." in text
        assert "Lampiran: Catatan Lengkap" in text
    last = content.conclusion(view)[-1]
    assert squeeze(last)[-40:] in text
    if key[1] == "finished":
        assert "Drs. KEPALA UNIT, M.Si." in text and "19700626 199003 1 006" in text
        assert "NI PPPK 1234" in text
    else:
        assert "(nama terang)" in text or "Drs." not in text


@pytest.mark.parametrize(("sop", "state"), [(s, t) for s in SOPS for t in STATES])
def test_a_long_note_adds_at_most_two_pages(rendered, sop, state):
    _views, pages = rendered
    assert len(pages[(sop, state, "long")]) - len(pages[(sop, state, "short")]) <= 2
