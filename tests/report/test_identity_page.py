"""The identity page: every identity field and the six text sections, word for word."""

from __future__ import annotations

import docx
import pytest

from langkah.catalog import Catalog
from langkah.engine.definition import Sections
from langkah.report.identity_page import SECTION_TITLES, TextSection, identity_page
from tests.report import scenarios
from tests.report.docx_text import table_rows

SOPS = ("dawarblandong", "kalipare", "mentebah")


@pytest.fixture(scope="module")
def catalog():
    return Catalog.load(None)


@pytest.mark.parametrize("sop", SOPS)
def test_every_section_item_is_printed_exactly(catalog, sop):
    definition = catalog.get(sop).definition
    page = identity_page(definition)
    assert [s.title for s in page.sections] == [
        "Dasar Hukum",
        "Kualifikasi Pelaksana",
        "Keterkaitan",
        "Peralatan/Perlengkapan",
        "Peringatan",
        "Pencatatan dan Pendataan",
    ]
    for (name, _), section in zip(SECTION_TITLES, page.sections, strict=True):
        assert section.items == tuple(getattr(definition.sections, name))


def test_the_six_sections_cover_every_field_of_the_definition_format():
    assert {name for name, _ in SECTION_TITLES} == set(Sections.model_fields)


def test_dawarblandong_fields(catalog):
    fields = dict(identity_page(catalog.get("dawarblandong").definition).fields)
    assert fields["Pemerintah"] == "PEMERINTAH KABUPATEN MOJOKERTO"
    assert fields["Unit Kerja"] == "KECAMATAN DAWARBLANDONG"
    assert fields["Alamat"] == "Jl. Mayjen Sungkono No. 61 Dawarblandong 61354"
    assert fields["Sub Unit Kerja"] == "SUB BAGIAN PENYUSUNAN PROGRAM DAN KEUANGAN"
    assert fields["Nomor SOP"] == "065 / 112 / 416-317 / 2023"
    assert fields["Tanggal Pembuatan"] == "5 Oktober 2023"
    assert fields["Tanggal Revisi"] == "-"
    assert fields["Tanggal Efektif"] == "5 Oktober 2023"
    assert fields["Disahkan oleh"] == (
        "CAMAT DAWARBLANDONG\nAKHMAD TAUFIQ, S.Sos., MM.\nPembina\n"
        "NIP.\u00a019700626\u00a0199003\u00a01\u00a0006"  # no-break spaces, as every NIP
    )
    assert fields["Nama SOP"] == "Pengukuran Data Kinerja"


def test_mentebah_missing_fields_print_a_dash_not_invented_text(catalog):
    fields = dict(identity_page(catalog.get("mentebah").definition).fields)
    for label in ("Alamat", "Nomor SOP", "Tanggal Pembuatan", "Tanggal Efektif", "Disahkan oleh"):
        assert fields[label] == "-", label


def test_section_lines_numbered_single_and_empty():
    assert TextSection("Keterkaitan", ("SOP A",)).lines() == ["SOP A"]
    assert TextSection("Dasar Hukum", ("UU 1", "PP 2")).lines() == ["1. UU 1", "2. PP 2"]
    assert TextSection("Pencatatan dan Pendataan", ()).lines() == ["-"]


def test_identity_page_in_the_document(app, clock, tmp_path):
    from langkah.report import export_report

    view = scenarios.kalipare(app, clock)
    document = docx.Document(str(export_report(view, tmp_path / "r.docx")))
    headings = [p for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[0].text == "A. Identitas SOP"  # the lead lettered the sections A-I
    fields = {row[0]: row[1] for row in table_rows(document.tables[0])}
    assert fields["Nomor SOP"] == "070 / / 35.07.11/2019"
    assert fields["Periode pelaksanaan"] == "Triwulan III Tahun 2026"
    assert fields["Kode siklus"].startswith(view.state.cycle_id)
    sections = table_rows(document.tables[1])
    assert len(sections) == 3 and all(len(row) == 2 for row in sections)
    assert sections[0][0].startswith("DASAR HUKUM\n1. Peraturan Presiden nomor 29 Tahun 2014")
    # Kalipare's seed leaves "Pencatatan dan pendataan" empty: a dash, nothing invented
    assert sections[2][1] == "PENCATATAN DAN PENDATAAN\n-"
    for row in document.tables[0]._tbl.tr_lst + document.tables[1]._tbl.tr_lst:
        assert row.trPr is not None and row.trPr.xpath("w:cantSplit"), "a row may split"
