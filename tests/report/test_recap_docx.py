"""`langkah stats --docx`: the Rekapitulasi Word report, read back at the XML level and held
to the numbers of `langkah stats --json` for the same store."""

from __future__ import annotations

import getpass
import hashlib

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.table import Table

from tests.report.docx_text import table_rows
from tests.report.recap_support import cli, figure, seed, stats_json, use_store


@pytest.fixture
def data(tmp_path, monkeypatch):
    root = seed(tmp_path / "data")
    use_store(root, monkeypatch)
    return tmp_path


@pytest.fixture
def recap(data, capsys):
    path = data / "rekap.docx"
    out, _ = cli(capsys, "stats", "--docx", str(path))
    assert out.strip() == str(path)
    return Document(str(path)), stats_json(capsys)


def test_headings_and_named_styles(recap):
    document, _ = recap
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "A. Data yang Direkapitulasi",
        "B. Arti Angka",
        "C. Rekapitulasi per SOP, Kecamatan dan Periode",
        "D. Per Langkah, Antarkecamatan (Seluruh Periode Terpilih)",
        "E. Persentase Langkah Tepat Waktu per Periode",
    ]
    styles = {p.style.name for p in document.paragraphs}
    assert {"Judul Laporan", "Kesimpulan", "Keterangan Kecil"} <= styles
    assert "REKAPITULASI PELAKSANAAN STANDAR OPERASIONAL PROSEDUR" in [
        p.text for p in document.paragraphs if p.style.name == "Judul Laporan"
    ]
    assert "Keadaan per 2 Oktober 2026" in [p.text for p in document.paragraphs]
    definitions = next(p.text for p in document.paragraphs if p.style.name == "Kesimpulan")
    assert "menit kerja" in definitions and "bukan nol" in definitions
    for table in document.tables:  # every table cell paragraph has one of the report's styles
        for tc in table._tbl.iter(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tc"
        ):
            for p in tc.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"):
                style = p.find(
                    "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}pPr/"
                    "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}pStyle"
                )
                if style is not None:
                    assert style.get(
                        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val"
                    ) in {"Isian", "IsiTabel", "KepalaTabel", "KeteranganKecil"}


def all_tables(document):
    """Every table, nested ones too (the chart's numbers sit in a cell beside it)."""
    return [Table(tbl, document) for tbl in document.element.body.iter(qn("w:tbl"))]


def _group_table(document):
    return next(t for t in document.tables if "Kecamatan / SOP" in table_rows(t)[0])


def test_the_group_table_holds_the_json_figures(recap):
    document, result = recap
    rows = table_rows(_group_table(document))[2:]  # two header rows
    expected = result["groups"] + result["totals"]
    assert len(rows) == len(expected) == 5
    for row, g in zip(rows, expected, strict=True):
        assert row[1] == f"{g['kecamatan']}\n{g['sop_id']}"
        assert [int(x) for x in row[3:8]] == [
            g["cycles_started"],
            g["cycles_finished"],
            g["cycles_cancelled"],
            g["cycles_open"],
            g["steps_judged"],
        ]
        assert figure(row[8]) == g["on_time_pct"]
        most = g["most_late_step"]
        assert row[9] == (
            "-"
            if most is None
            else f"Langkah {most['step']} ({most['late']} dari {most['judged']})"
        )
        assert figure(row[10]) == g["returns_per_cycle"]
        assert figure(row[11]) == g["lead_time_median_min"]
        assert figure(row[12]) == g["standard_sum_min"]
        assert figure(row[13]) == g["lead_time_ratio"]
    kalipare = rows[2]
    assert (kalipare[8], kalipare[11], kalipare[13]) == ("60%", "157,5", "1,12")
    dawar = rows[0]  # no finished cycle: undefined figures print "-", never 0
    assert (dawar[11], dawar[13]) == ("-", "-")
    assert rows[3][0] == "Σ" and rows[3][2] == "Semua periode terpilih"


def test_the_step_table_holds_the_json_figures(recap):
    document, result = recap
    table = next(t for t in document.tables if table_rows(t)[0][0] == "Langkah")
    rows = table_rows(table)
    columns = result["step_table"]["columns"]
    assert rows[0][1] == f"{columns[0]['kecamatan']} ({columns[0]['sop_id']})"
    body = rows[2:]
    assert len(body) == len(result["step_table"]["rows"])
    for row, expected in zip(body, result["step_table"]["rows"], strict=True):
        assert int(row[0]) == expected["step"]
        for k, cell in enumerate(expected["cells"]):
            texts = row[1 + 3 * k : 4 + 3 * k]
            if cell is None:
                assert texts == [".", ".", "."]
                continue
            share, judged = texts[0].rsplit(" ", 1)
            assert figure(share) == cell["on_time_pct"]
            assert judged == f"({cell['judged']})"
            assert figure(texts[1]) == cell["delay_median_min"]
            assert figure(texts[2]) == cell["delay_p90_min"]
    kalipare_step1 = body[0][4:7]
    assert kalipare_step1 == ["75% (4)", "0", "3,5"]


def test_one_chart_and_its_numbers_beside_it(recap):
    document, result = recap
    pictures = document.inline_shapes
    assert len(pictures) == 1
    table = next(t for t in all_tables(document) if table_rows(t)[0][0] == "Periode")
    rows = table_rows(table)
    assert rows[0][1:] == ["Dawarblandong", "Kalipare"]
    by = {(g["kecamatan"], g["period"]): g["on_time_pct"] for g in result["groups"]}
    assert rows[1][0] == "Triwulan III Tahun 2026"
    assert [figure(x) for x in rows[1][1:]] == [
        by[("Dawarblandong", "2026-T3")],
        by[("Kalipare", "2026-T3")],
    ]
    assert rows[2][1:] == ["50%", "-"]  # Kalipare has no 2026-T4 cycle: "-", not 0%


def test_core_properties_pages_and_no_login_name(recap, data):
    document, _ = recap
    props = document.core_properties
    assert props.title.startswith("Rekapitulasi Pelaksanaan SOP")
    assert props.language == "id-ID" and props.category == "Rekapitulasi Pelaksanaan SOP"
    assert props.created.isoformat()[:19] == "2026-10-02T02:00:00"  # LANGKAH_NOW, UTC
    assert props.author == "Langkah"  # two pemda: neither office's name
    login = getpass.getuser()
    for value in (props.author, props.last_modified_by, props.comments, props.title):
        assert login not in value
    portrait, landscape = document.sections
    assert (round(portrait.page_width.mm), round(portrait.page_height.mm)) == (210, 297)
    assert (round(landscape.page_width.mm), round(landscape.page_height.mm)) == (297, 210)


def test_f4_paper_and_one_office_kop(data, capsys):
    path = data / "f4.docx"
    cli(capsys, "stats", "--sop", "kalipare", "--paper", "f4", "--docx", str(path))
    document = Document(str(path))
    assert round(document.sections[0].page_height.mm) == 330
    kop = [p.text for p in document.paragraphs if p.style.name.startswith("Kop")]
    assert kop and kop[0].startswith("PEMERINTAH")
    assert document.core_properties.author != "Langkah"  # the one office's name


def test_empty_selection_writes_nothing(data, capsys):
    path = data / "kosong.docx"
    _, err = cli(capsys, "stats", "--period", "2019-T1", "--docx", str(path), status=1)
    assert "tidak ada siklus yang cocok" in err and not path.exists()


def test_an_existing_file_is_kept_without_force(data, capsys):
    path = data / "ada.docx"
    path.write_bytes(b"isi lama")
    _, err = cli(capsys, "stats", "--docx", str(path), status=1)
    assert "sudah ada; tambahkan --force" in err
    assert path.read_bytes() == b"isi lama"
    cli(capsys, "stats", "--docx", str(path), "--force")
    assert hashlib.sha256(path.read_bytes()).hexdigest() != hashlib.sha256(b"isi lama").hexdigest()
    assert Document(str(path)).tables


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("folder", "that is a folder"),
        ("rekap.txt", "ending in .docx"),
        ("missing/rekap.docx", "does not exist"),
    ],
)
def test_bad_targets_are_refused_clearly(data, capsys, monkeypatch, target, message):
    monkeypatch.setenv("LANGKAH_LANG", "en")  # the English wording (Indonesian by default)
    (data / "folder").mkdir()
    _, err = cli(capsys, "stats", "--docx", str(data / target), status=1)
    assert message in err


def test_docx_and_json_together_are_refused(data, capsys):
    _, err = cli(capsys, "stats", "--json", "--docx", str(data / "x.docx"), status=2)
    assert "pilih salah satu" in err and not (data / "x.docx").exists()


def test_the_filters_are_named_in_the_title(data, capsys):
    path = data / "aneh.docx"
    cli(capsys, "stats", "--kecamatan", "kalipare", "--docx", str(path))
    title = Document(str(path)).core_properties.title
    assert "kalipare" in title  # the filter as typed
