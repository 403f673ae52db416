"""Issue 13 rules checked in the .docx XML: signers, honest figures, layout, properties, logo."""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from langkah.engine.cycle import Person
from langkah.report import ReportOptions, content, export_report
from langkah.report import figures as figures_module
from langkah.report.styles import STYLE_NAMES, style_id
from tests.report import scenarios

NBSP = "\u00a0"
LOGIN = "loginzq7"  # the OS login in these tests: it must appear nowhere in a report


@pytest.fixture(autouse=True)
def _login(monkeypatch):
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.setenv(name, LOGIN)


def export(view, tmp_path: Path, name: str = "r.docx", **options) -> Path:
    return export_report(view, tmp_path / name, ReportOptions(**options))


def body_paragraphs(document):
    return list(document.element.body.iter(qn("w:p")))


def p_style(p) -> str | None:
    props = p.pPr
    return props.pStyle.val if props is not None and props.pStyle is not None else None


def p_text(p) -> str:
    return "".join(t.text or "" for t in p.iter(qn("w:t")))


def styles_by_id(document):
    return {s.style_id: s for s in document.styles}


# -- signers ------------------------------------------------------------------------------------


def test_kepala_given_for_the_cycle_wins_over_the_sop_approver(app, clock):
    view = scenarios.kalipare(app, clock)
    assert content.signatures(view, ReportOptions()).left.name == "NEPO MARIS, S.Pd, MM"
    view = app.update_roles(
        view.state.cycle_id,
        {
            "kepala": Person(name="Drs. CAMAT BARU", nip="197501012000031001", rank="Pembina"),
            "penanggung_jawab": Person(name="DEWI LESTARI, S.AP", nip="NI PPPK 123"),
        },
    )
    signed = content.signatures(view, ReportOptions())
    assert signed.left.name == "Drs. CAMAT BARU"
    assert signed.left.nip == f"NIP.{NBSP}19750101{NBSP}200003{NBSP}1{NBSP}001"
    assert signed.left.above == ["Mengetahui,", "Camat Kalipare,"]
    assert signed.right.name == "DEWI LESTARI, S.AP"
    assert signed.right.nip == f"NI{NBSP}PPPK{NBSP}123"  # another number: as written
    # she also holds the Kasubag Evapor actor role: titled by it, in full
    assert signed.right.above[-1] == "Kepala Sub Bagian Evapor,"


def test_an_unnamed_signer_is_a_blank_to_sign_never_a_login(tmp_path):
    clock = scenarios.SteppingClock()
    app = scenarios.open_app(tmp_path / "data", tmp_path / "defs", clock)
    app.recorder = LOGIN  # as an old version might have recorded
    run = scenarios.Runner(app, clock, "mentebah", {})
    for minutes in (30, 60, 400, 450, 500, 900):
        run.step(minutes)
    run.step(45, answer=True)
    view = run.step(30)
    signed = content.signatures(view, ReportOptions())
    for block in (signed.left, signed.right):
        assert not block.filled
        assert block.rank == "(nama terang)" and block.nip.startswith("NIP. ....")
    path = export(view, tmp_path)
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            data = package.read(name)
            assert LOGIN.encode() not in data, f"the login name is in {name}"
    assert "(nama terang)" in docx.Document(str(path)).tables[-1].rows[0].cells[0].text


def test_no_package_part_names_the_login_or_the_template(app, clock, tmp_path):
    app.recorder = LOGIN
    view = scenarios.dawarblandong(app, clock)
    path = export(view, tmp_path)
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            data = package.read(name)
            assert LOGIN.encode() not in data, name
            assert b"python-docx" not in data, name
            assert b"en-US" not in data, name


# -- honest figures -------------------------------------------------------------------------------


def test_a_draft_counts_the_running_overdue_step_as_late(app, clock):
    view = scenarios.dawarblandong(app, clock, finish=False)  # step 5 has run 200 min of 1 day
    clock.now = view.calendar.add_working_minutes(clock.now, 900)
    view = app.open_cycle(view.state.cycle_id)
    data = figures_module.figures(view)
    assert [(x.step, x.running) for x in data.late] == [(2, False), (5, True)]
    rows = dict(content.summary_rows(view))
    assert rows["Langkah terlambat"] == "2 (langkah 2, 5 (masih berjalan))"
    assert rows["Persentase langkah tepat waktu"].startswith("60% (3 dari 5 pelaksanaan")
    running = [r for r in content.execution_rows(view) if r.no == "5"][0]
    assert running.state == "overdue"
    assert "Sedang berjalan" in running.keterangan and "Terlambat" in running.keterangan
    text = " ".join(content.conclusion(view))
    assert "langkah 5: " in text and "masih berjalan" in text


def test_totals_only_over_finished_steps_with_a_length_standard(app, clock):
    view = scenarios.mentebah(app, clock)  # steps with calendar deadlines
    data = figures_module.figures(view)
    assert data.deadline_steps
    expected_standard = sum(
        t.standard_minutes for t in view.timing.visits if t.standard_minutes is not None
    )
    assert data.standard_minutes == expected_standard
    rows = dict(content.summary_rows(view))
    listed = ", ".join(map(str, data.deadline_steps))
    assert f"tidak termasuk langkah {listed} (batas berupa tanggal)" in rows["Jumlah waktu standar"]
    timed = [t for t in view.timing.visits if t.standard_minutes is not None]
    difference = sum(t.elapsed_minutes for t in timed) - expected_standard
    assert rows["Selisih"] == figures_module.signed(view, difference)


def test_each_timed_step_prints_its_deadline(app, clock):
    view = scenarios.mentebah(app, clock)
    rows = content.execution_rows(view)
    for row, timing in zip(rows, view.timing.visits, strict=False):
        if timing.standard_minutes is not None:
            assert re.search(r"batas: \d{1,2} \w+ 20\d\d \d\d\.\d\d WI", row.waktu_standar), row
        elif timing.standard.kind.value == "deadline":
            assert re.search(r"batas: \d{1,2} \w+ 20\d\d$", row.waktu_standar), row


def test_the_first_step_s_deadline_is_its_start_plus_its_standard(app, clock):
    first = scenarios.dawarblandong(app, clock)
    assert content.execution_rows(first)[0].waktu_standar == (
        "5 menit\nbatas: 5 Oktober 2026 08.05 WIB"
    )


def test_pauses_have_times_and_reasons_missing_inputs_are_named(app, clock):
    run = scenarios.Runner(app, clock, "dawarblandong", scenarios.DAWAR_ROLES)
    run.spend(10)
    app.pause(run.cycle_id, "Menunggu tanda tangan Camat")
    run.spend(30)
    view = app.resume(run.cycle_id, "Camat sudah kembali")
    row = content.execution_rows(view)[0]
    assert (
        "Dijeda 5 Oktober 2026 08.10 WIB – 5 Oktober 2026 08.40 WIB (Menunggu tanda tangan "
        "Camat); dilanjutkan: Camat sudah kembali"
    ) in row.keterangan
    assert "Kelengkapan belum ada: Nota Dinas" in row.keterangan
    text = " ".join(content.conclusion(view))
    assert "Kelengkapan langkah 1 yang belum ada: Nota Dinas." in text
    assert "dijeda 1 kali" in text


def test_a_cancelled_cycle_does_not_judge_steps_never_reached(app, clock):
    view = scenarios.cancelled(app, clock)
    monitoring = content.monitoring_rows(view)
    for row in monitoring[3:]:
        assert row.berjalan_baik is None
        assert row.catatan == "Tidak dilaksanakan (siklus dibatalkan)"
    rows = content.execution_rows(view)
    assert [r.keterangan for r in rows[3:]] == ["Tidak dilaksanakan (siklus dibatalkan)"] * 3
    # the step stopped by the cancellation is neither on time nor late
    assert figures_module.figures(view).counted == 2


def test_units_are_explained_once_and_the_conclusion_comes_from_the_figures(app, clock, tmp_path):
    view = scenarios.dawarblandong(app, clock)
    document = docx.Document(str(export(view, tmp_path)))
    text = "\n".join(p_text(p) for p in body_paragraphs(document))
    unit = "1 hari kerja = 7 jam 30 menit menurut jam kerja Perpres 21/2023"
    assert text.count(unit) == 1
    conclusion = " ".join(content.conclusion(view))
    assert "12 tepat waktu (92,3%) dan 1 terlambat (langkah 2: 20 menit)" in conclusion
    assert "dikembalikan untuk diperbaiki 1 kali" in conclusion
    for praise in ("baik", "lancar", "optimal", "memuaskan", "berhasil"):
        assert not re.search(rf"\b{praise}\b", conclusion.lower()), praise
    actions = [r.tindakan for r in content.monitoring_rows(view) if r.tindakan != "-"]
    assert any("langkah 2" in a and "20 menit" in a for a in actions)  # not canned text


# -- layout ---------------------------------------------------------------------------------------


def test_real_headings_and_a_named_style_on_every_paragraph(app, clock, tmp_path):
    view = scenarios.dawarblandong(app, clock)
    document = docx.Document(str(export(view, tmp_path)))
    ids = {style_id(name) for name in STYLE_NAMES} | {None}
    known = styles_by_id(document)
    for p in body_paragraphs(document):
        assert p_style(p) in ids, (p_style(p), p_text(p))
        if p_style(p):
            assert p_style(p) in known
    headings = [p_text(p) for p in body_paragraphs(document) if p_style(p) == "Heading1"]
    assert [h[:2] for h in headings] == ["A.", "B.", "C.", "D.", "E.", "F.", "G.", "H.", "I."]
    for name in ("Heading 1", "Heading 2"):
        style = document.styles[name]
        assert style.paragraph_format.keep_with_next is True
        assert style.font.name == "Arial"
    chart = [t for t in document.tables if "Waktu standar (atas)" in t.rows[0].cells[-1].text]
    outside = [p for p in body_paragraphs(document) if not any(p in c._tbl.iter() for c in chart)]
    sized = [
        r
        for p in outside
        for r in p.iter(qn("w:r"))
        if r.find(f"{qn('w:rPr')}/{qn('w:sz')}") is not None
        and r.find(f"{qn('w:rPr')}/{qn('w:shd')}") is None  # a legend's bar is a shaded run
    ]
    assert len(chart) == 1
    assert not sized, "text outside the chart takes its style's size"


def test_the_signature_block_keeps_with_the_conclusion_and_never_splits(app, clock, tmp_path):
    view = scenarios.dawarblandong(app, clock)
    document = docx.Document(str(export(view, tmp_path)))
    body = list(document.element.body)
    signatures = document.tables[-1]._tbl
    index = body.index(signatures)
    before = body[index - 3 : index]  # heading G, conclusion, closing sentence
    assert [p_style(p) for p in before] == ["Heading1", "Kesimpulan", "Kesimpulan"]
    kesimpulan = document.styles["Kesimpulan"]
    assert kesimpulan.paragraph_format.keep_with_next is True
    for p in before:
        assert p.pPr is None or p.pPr.find(qn("w:keepNext")) is None or True
    row = signatures.tr_lst[0]
    assert row.trPr.find(qn("w:cantSplit")) is not None
    assert document.styles["Tanda Tangan"].paragraph_format.keep_with_next is True
    for cell in row.tc_lst:
        paragraphs = cell.p_lst
        last = paragraphs[-1].pPr.find(qn("w:keepNext"))
        assert last is not None and last.get(qn("w:val")) in ("0", "false")
        assert all(p_style(p) == "TandaTangan" for p in paragraphs)


def test_headings_before_tables_keep_with_them_and_table_headers_repeat(app, clock, tmp_path):
    view = scenarios.dawarblandong(app, clock)
    document = docx.Document(str(export(view, tmp_path)))
    body = list(document.element.body)
    for position, element in enumerate(body):
        if element.tag == qn("w:p") and p_style(element) == "Heading1":
            following = body[position + 1]
            assert following.tag in (qn("w:tbl"), qn("w:p")), p_text(element)
    for table in document.tables[1:-1]:
        first = table._tbl.tr_lst[0]
        assert first.trPr is not None and first.trPr.find(qn("w:cantSplit")) is not None


def test_one_date_format_and_unbroken_numbers(app, clock, tmp_path):
    view = scenarios.dawarblandong(app, clock)
    path = export(view, tmp_path)
    with zipfile.ZipFile(path) as package:
        xml = package.read("word/document.xml").decode()
    text = "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml))
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text), "an ISO date in the report"
    assert not re.search(r"\b\d{2}/\d{2}/\d{4}\b", text), "a dd/mm/yyyy date in the report"
    assert not re.search(r"\b\d{2}:\d{2}\b", text), "a time written with a colon"
    assert f"NIP.{NBSP}19700626{NBSP}199003{NBSP}1{NBSP}006" in text
    assert f"7{NBSP}(ke-2)" in text
    assert "19700626 199003 1 006" not in text  # never with breakable spaces


def test_a_long_note_goes_to_the_appendix(app, clock, tmp_path):
    run = scenarios.Runner(app, clock, "kalipare", {})
    long_note = " ".join(f"kalimat{n} catatan rapat yang panjang." for n in range(300))
    assert len(long_note) > 5000
    run.step(15, note=long_note)
    view = run.step(25)
    rows = content.execution_rows(view)
    assert "(selengkapnya di Lampiran, catatan 1)" in rows[0].keterangan
    assert len(rows[0].keterangan) < 500
    document = docx.Document(str(export(view, tmp_path)))
    paragraphs = body_paragraphs(document)
    headings = [p_text(p) for p in paragraphs if p_style(p) in ("Heading1", "Heading2")]
    assert "Lampiran: Catatan Lengkap" in headings
    assert any(h.startswith("Catatan 1 — Langkah 1, 5 Oktober 2026") for h in headings)
    appendix = [p_text(p) for p in paragraphs if p_style(p) == "IsiLampiran"]
    assert appendix == [long_note]


# -- properties and the kop ----------------------------------------------------------------------


def test_core_properties_describe_the_report(app, clock, tmp_path):
    view = scenarios.dawarblandong(app, clock)
    props = docx.Document(str(export(view, tmp_path, author="Siti Rahayu, S.E."))).core_properties
    assert props.title == "Laporan SOP Pengukuran Data Kinerja — Kecamatan Dawarblandong"
    assert props.subject == "Laporan pelaksanaan SOP, Triwulan III Tahun 2026"
    assert props.author == "Siti Rahayu, S.E." and props.last_modified_by == props.author
    assert props.language == "id-ID"
    expected = view.now.replace(microsecond=0)
    assert props.created == expected and props.modified == expected
    unnamed = docx.Document(str(export(view, tmp_path, "b.docx"))).core_properties
    assert unnamed.author == "KECAMATAN DAWARBLANDONG"  # the unit, never a login
    document = docx.Document(str(tmp_path / "b.docx"))
    lang = document.styles["Normal"].element.rPr.find(qn("w:lang"))
    assert lang.get(qn("w:val")) == "id-ID"


def tiny_png(path: Path) -> Path:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\x00\x80\xff" * 4 for _ in range(4))
    data = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
    path.write_bytes(data)
    return path


def test_the_logo_goes_in_the_kop(app, clock, tmp_path):
    view = scenarios.kalipare(app, clock)
    logo = tiny_png(tmp_path / "logo.png")
    document = docx.Document(str(export(view, tmp_path, logo=logo)))
    kop = document.tables[0]._tbl
    cells = kop.tr_lst[0].tc_lst
    assert list(cells[0].iter(qn("w:drawing")))
    assert "PEMERINTAH KABUPATEN MALANG" in "".join(t.text for t in cells[1].iter(qn("w:t")))
    plain = docx.Document(str(export(view, tmp_path, "p.docx")))
    kop = []  # the body before the report's title: no picture there without a logo
    for element in plain.element.body:
        if element.tag == qn("w:p") and p_style(element) == style_id("Judul Laporan"):
            break
        kop.append(element)
    assert kop and not [d for e in kop for d in e.iter(qn("w:drawing"))]


def test_a_bad_logo_is_refused_naming_the_file(app, clock, tmp_path):
    from langkah.report import ReportError

    view = scenarios.kalipare(app, clock)
    bad = tmp_path / "logo.png"
    bad.write_text("not an image")
    with pytest.raises(ReportError) as caught:
        export(view, tmp_path, logo=bad)
    assert str(bad) in caught.value.message


def test_the_service_gives_the_profile_name_and_the_data_folder_logo(tmp_path):
    from langkah.service import Langkah

    app = Langkah.open(tmp_path / "data")
    assert app.report_defaults() == {"author": "", "logo": None}
    (tmp_path / "data").mkdir(exist_ok=True)
    tiny_png(tmp_path / "data" / "logo.png")
    app.save_profile("Siti Rahayu", "198005122005012003")
    defaults = app.report_defaults()
    assert defaults["author"] == "Siti Rahayu"
    assert defaults["logo"] == tmp_path / "data" / "logo.png"
    assert app.recorder == "Siti Rahayu"


def test_identity_page_flowchart_and_evaluation_take_the_style_set(app, clock, tmp_path):
    """The sections of the content branch: styles of the set, set by id, no bold runs; the
    flowchart page is heading, picture and caption kept together; no paragraph holds only a
    page break (it makes an empty page when the page before is full)."""
    view = scenarios.dawarblandong(app, clock)
    document = docx.Document(str(export(view, tmp_path)))
    tables = document.tables
    identity, sections = tables[0], tables[1]
    evaluation = next(t for t in tables if t.rows[0].cells[1].text.startswith("Penilaian"))
    allowed = {style_id(n) for n in ("Isian", "Isian Label", "Isi Tabel", "Kepala Tabel")}
    for table in (identity, sections, evaluation):
        for p in table._tbl.iter(qn("w:p")):
            assert p_style(p) in allowed, (p_style(p), p_text(p))
            assert p.find(f"{qn('w:r')}/{qn('w:rPr')}") is None, p_text(p)  # no direct format
        assert table._tbl.tblPr.style == "TableGrid"
    labels = [r.cells[0]._tc.p_lst[0] for r in identity.rows]
    assert {p_style(p) for p in labels} == {"IsianLabel"}
    assert document.styles["Isian Label"].font.bold is True
    body = list(document.element.body)
    heading = next(e for e in body if e.tag == qn("w:p") and p_text(e) == "D. Bagan Alir SOP")
    picture, caption, after = body[body.index(heading) + 1 : body.index(heading) + 4]
    assert p_style(heading) == "Heading1"
    assert list(picture.iter(qn("w:drawing"))) and picture.pPr.find(qn("w:keepNext")) is not None
    assert p_style(caption) == style_id("Keterangan Kecil")
    assert p_text(caption) == "Bagan alir SOP Pengukuran Data Kinerja: langkah 1–11."
    assert p_text(after) == "E. Pelaksanaan Langkah SOP"
    assert after.pPr.find(qn("w:pageBreakBefore")) is not None
    for p in body_paragraphs(document):
        breaks = [b for b in p.iter(qn("w:br")) if b.get(qn("w:type")) == "page"]
        assert not breaks, "a page break paragraph"
