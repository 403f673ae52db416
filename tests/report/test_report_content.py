"""The Word report of real cycles (built through the service), read back with python-docx."""

from __future__ import annotations

import datetime as dt

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from langkah.report import (
    MonitoringRow,
    ReportOptions,
    build_document,
    export_report,
    monitoring_rows,
)
from langkah.report.content import execution_rows, summary_rows
from tests.report import scenarios
from tests.report.docx_text import all_text, header_texts, is_header_row, table_rows

# tables: identity fields, identity sections, roles, summary, execution, chart, monitoring,
# evaluation, signatures
ROLES, EXECUTION, CHART, MONITORING, SIGNATURES = 2, 4, 5, 6, 8


def size_mm(section) -> tuple[int, int]:
    return round(section.page_width.mm), round(section.page_height.mm)


def export(view, tmp_path, **options):
    path = export_report(view, tmp_path / "laporan.docx", ReportOptions(**options))
    return docx.Document(str(path))


@pytest.fixture
def dawar(app, clock):
    return scenarios.dawarblandong(app, clock)


def test_identity_period_and_roles(dawar, tmp_path):
    document = export(dawar, tmp_path)
    text = all_text(document)
    for expected in (
        "PEMERINTAH KABUPATEN MOJOKERTO",
        "KECAMATAN DAWARBLANDONG",
        "Jl. Mayjen Sungkono No. 61 Dawarblandong 61354",
        "PENGUKURAN DATA KINERJA",
        "TRIWULAN III TAHUN 2026",
        "065 / 112 / 416-317 / 2023",
        "5 Oktober 2023",
        "CAMAT DAWARBLANDONG",
        "Drs. BAMBANG SUTRISNO, M.Si.",
        "Siti Rahayu, S.E.",
    ):
        assert expected in text, expected
    roles = table_rows(document.tables[ROLES])
    assert roles[0] == ["No", "Peran", "Nama", "NIP", "Pangkat"]
    asn = [r for r in roles if r[1] == "Seluruh ASN"][0]
    assert set(asn[2]) == {"."}, "an empty role is a line to fill by hand"


def test_kop_has_a_thick_over_thin_rule(dawar, tmp_path):
    document = export(dawar, tmp_path)
    address = [p for p in document.paragraphs if p.text.startswith("Jl. Mayjen")][0]
    bottom = address._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert bottom.get(qn("w:val")) == "thickThinSmallGap"


def test_every_visit_is_a_row_with_times_and_the_return(dawar, tmp_path):
    document = export(dawar, tmp_path)
    rows = table_rows(document.tables[EXECUTION])
    body = rows[3:]
    numbers = [r[0] for r in body]
    assert numbers == [
        *"123456789",
        "7\u00a0(ke-2)",  # a no-break space: never split across lines
        "8\u00a0(ke-2)",
        "9\u00a0(ke-2)",
        "10",
        "11",
    ]
    step2 = body[1]
    assert step2[6].startswith("1 jam 20 menit")
    assert step2[7] == "+20 menit"
    assert "Rapat diundur" in step2[8]
    returned = body[8]
    assert f"Dikembalikan (tidak setuju) ke langkah 7: {scenarios.RETURN_REASON}" in returned[8]
    assert "Nota Dinas: 005/12/416-317/2026 tanggal 5 Oktober 2026" in body[0][8]
    assert body[-1][4] == "-", "step 11 has no standard time"


def test_header_rows_repeat_and_tables_sit_on_a_landscape_a4_page(dawar, tmp_path):
    document = export(dawar, tmp_path)
    execution = document.tables[EXECUTION]._tbl
    flags = [is_header_row(tr) for tr in execution.tr_lst]
    assert flags[:3] == [True, True, True] and not any(flags[3:])
    assert is_header_row(document.tables[MONITORING]._tbl.tr_lst[0])
    portrait, landscape = document.sections
    assert portrait.orientation == WD_ORIENT.PORTRAIT
    assert size_mm(portrait) == (210, 297)
    assert landscape.orientation == WD_ORIENT.LANDSCAPE
    assert size_mm(landscape) == (297, 210)


def test_footer_numbers_pages_with_fields(dawar, tmp_path):
    document = export(dawar, tmp_path)
    footer = document.sections[0].footer.paragraphs[0]
    instructions = [t.text.strip() for t in footer._p.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert footer.text.startswith("Halaman ") and " dari " in footer.text


def test_signatures_name_bold_underlined_and_nip_spaced(dawar, tmp_path):
    document = export(dawar, tmp_path)
    left, right = document.tables[SIGNATURES].rows[0].cells
    left_lines = [p.text for p in left.paragraphs if p.text]
    assert left_lines == [
        "Mengetahui,",
        "Camat Dawarblandong,",
        "AKHMAD TAUFIQ, S.Sos., MM.",
        "Pembina",
        "NIP.\u00a019700626\u00a0199003\u00a01\u00a0006",  # no-break spaces
    ]
    name = [p for p in left.paragraphs if p.text.startswith("AKHMAD")][0].runs[0]
    assert name.bold and name.underline
    right_lines = [p.text for p in right.paragraphs if p.text]
    assert right_lines[0] == "Dawarblandong, 8 Oktober 2026"
    assert right_lines[1] == "Sekretaris Kecamatan,"  # the SOP's "Sekcam" in full
    assert "NIP.\u00a019680512\u00a0199403\u00a01\u00a0008" in right_lines


def test_summary_counts_time_lateness_and_returns(dawar):
    rows = dict(summary_rows(dawar))
    assert rows["Status"] == "Selesai"
    assert rows["Dimulai"].startswith("5 Oktober 2026 08.00 WIB")
    assert rows["Langkah terlambat"] == "1 (langkah 2)"
    assert rows["Pengembalian"] == "1 (langkah 9: 1 kali)"
    assert "jam kerja" in rows["Waktu kerja seluruhnya"]


def test_monitoring_rows_are_prefilled_from_what_happened(dawar):
    rows = {r.no: r for r in monitoring_rows(dawar)}
    assert rows[1].berjalan_baik is True and rows[1].catatan == "Sesuai standar"
    assert rows[2].berjalan_baik is False
    assert rows[2].catatan == "Terlambat 20 menit dari standar 60 menit"
    assert rows[2].tindakan
    assert rows[9].berjalan_baik is False
    assert rows[9].catatan == f"Dikembalikan 1 kali: {scenarios.RETURN_REASON}"
    assert "pengembalian" in rows[7].catatan


def test_given_monitoring_rows_replace_the_computed_ones(dawar, tmp_path):
    given = [MonitoringRow(1, "Prosedur khusus", False, "catatan", "tindakan", "AB")]
    document = export(dawar, tmp_path, monitoring=given)
    rows = table_rows(document.tables[MONITORING])
    assert rows[2:] == [["1", "Prosedur khusus", "", "√", "catatan", "tindakan", "AB"]]


def test_chart_has_a_bar_row_per_step(dawar, tmp_path):
    document = export(dawar, tmp_path)
    rows = table_rows(document.tables[CHART])
    assert len(rows) == 1 + 11
    assert [line.strip() for line in rows[2][2].splitlines()] == ["60 menit", "1 jam 20 menit"]


def test_kalipare_on_f4_in_bookman_signed_by_the_sop_approver(app, clock, tmp_path):
    view = scenarios.kalipare(app, clock)
    document = export(view, tmp_path, paper="F4", font="Bookman Old Style")
    assert size_mm(document.sections[0]) == (215, 330)
    assert size_mm(document.sections[1]) == (330, 215)
    assert document.styles["Normal"].font.name == "Bookman Old Style"
    rows = table_rows(document.tables[EXECUTION])[3:]
    assert [r[0] for r in rows] == list("123456")
    assert rows[2][7] == "+35 menit"
    left, right = document.tables[SIGNATURES].rows[0].cells
    assert "NEPO MARIS, S.Pd, MM" in left.text
    assert "NIP.\u00a019631116\u00a0199010\u00a02\u00a0002" in left.text
    assert "Sekretaris," in right.text and "SUGENG HARIYANTO, S.Sos" in right.text


def test_mentebah_deadline_and_unknown_camat(app, clock, tmp_path):
    view = scenarios.mentebah(app, clock)
    document = export(view, tmp_path)
    rows = table_rows(document.tables[EXECUTION])[3:]
    assert [r[0] for r in rows] == list("12345678")
    assert rows[1][7] == "sebelum batas"
    assert "Keputusan: setuju" in rows[6][8]
    left, right = document.tables[SIGNATURES].rows[0].cells
    assert "Camat Mentebah," in left.text and "NIP. ....." in left.text
    assert "YOHANES ALOYSIUS, S.E." in right.text


def test_a_cancelled_cycle_says_so_with_the_reason(app, clock, tmp_path):
    view = scenarios.cancelled(app, clock)
    document = export(view, tmp_path)
    text = all_text(document)
    assert "SIKLUS DIBATALKAN" in text
    assert "Data kinerja seksi belum masuk; diulang triwulan depan" in text
    rows = table_rows(document.tables[EXECUTION])[3:]
    assert [r[8] for r in rows[3:]] == ["Tidak dilaksanakan (siklus dibatalkan)"] * 3
    assert not any("DRAFT" in h for h in header_texts(document))


def test_an_unfinished_cycle_is_a_draft_in_progress(app, clock, tmp_path):
    view = scenarios.dawarblandong(app, clock, finish=False)
    document = export(view, tmp_path)
    text = all_text(document)
    assert "DRAFT LAPORAN PELAKSANAAN" in text
    assert "SIKLUS BELUM SELESAI (sedang berjalan, langkah 5)" in text
    assert all(h.startswith("DRAFT") for h in header_texts(document))
    rows = execution_rows(view)
    assert rows[4].state == "running" and "Sedang berjalan" in rows[4].keterangan
    assert [r.keterangan for r in rows[5:]] == ["Belum dilaksanakan"] * 6
    assert monitoring_rows(view)[6].berjalan_baik is None


def test_draft_option_marks_header_and_title(dawar, tmp_path):
    plain = all_text(export(dawar, tmp_path))
    assert "DRAFT" not in plain
    document = export(dawar, tmp_path, draft=True)
    assert "DRAFT LAPORAN PELAKSANAAN" in all_text(document)
    assert header_texts(document) and all(h.startswith("DRAFT") for h in header_texts(document))


def test_place_and_date_options(dawar, tmp_path):
    document = export(dawar, tmp_path, place="Mojokerto", date=dt.date(2026, 12, 1))
    assert "Mojokerto, 1 Desember 2026" in document.tables[SIGNATURES].rows[0].cells[1].text


def test_bad_options_are_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="A4 or F4"):
        ReportOptions(paper="Letter")


def test_a_200_step_cycle_exports(tmp_path):
    view = scenarios.big_view(200)
    document = build_document(view)
    assert len(document.tables[EXECUTION].rows) == 3 + 200
