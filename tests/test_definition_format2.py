"""Format 2: any office's identity (unit kind, head title), dates as written, revision numbers,
a default waktu unit, handoffs; and a dinas run end to end through the CLI to its Word report."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import docx
import pytest

from langkah.catalog import Catalog, bundled_dir, load_definition
from langkah.engine.definition import Identity, UnitKind
from langkah.engine.loader import DefinitionError, parse_definition
from tests.cli_support import Cli
from tests.report.docx_text import structure

FIXTURES = Path(__file__).parent / "fixtures" / "definitions"
DINAS = FIXTURES / "dpmd" / "verifikasi-dana-desa.toml"


def _identity(**keys: object) -> Identity:
    return Identity(government="PEMERINTAH KABUPATEN X", unit="UNIT", name="SOP", **keys)


@pytest.mark.parametrize(
    ("kind", "name", "unit_label", "head_label"),
    [
        ("kelurahan", "Sukamaju", "Kelurahan Sukamaju", "Lurah Sukamaju"),
        ("desa", "Kebondalem", "Desa Kebondalem", "Kepala Desa Kebondalem"),
        ("dinas", "Kesehatan", "Dinas Kesehatan", "Kepala Dinas Kesehatan"),
        (
            "badan",
            "Kepegawaian Daerah",
            "Badan Kepegawaian Daerah",
            "Kepala Badan Kepegawaian Daerah",
        ),
        ("sekretariat", "Daerah", "Sekretariat Daerah", "Sekretaris Daerah"),
        ("bagian", "Organisasi", "Bagian Organisasi", "Kepala Bagian Organisasi"),
        ("puskesmas", "Kalipare", "Puskesmas Kalipare", "Kepala Puskesmas Kalipare"),
        (
            "other",
            "UPT Pengelolaan Sampah",
            "UPT Pengelolaan Sampah",
            "Kepala UPT Pengelolaan Sampah",
        ),
    ],
)
def test_each_kind_of_office_names_its_unit_and_head(kind, name, unit_label, head_label):
    office = _identity(unit_kind=kind, unit_name=name).office
    assert office.kind == UnitKind(kind)
    assert (office.unit_label, office.head_label, office.name) == (unit_label, head_label, name)
    assert office.place == name


def test_a_head_title_replaces_the_default_and_place_replaces_the_name():
    office = _identity(
        unit_kind="dinas", unit_name="Kesehatan", head_title="Plt. Kepala Dinas", place="Malang"
    ).office
    assert office.head_label == "Plt. Kepala Dinas Kesehatan"
    assert office.head_title == "Plt. Kepala Dinas"
    assert office.place == "Malang"


@pytest.mark.parametrize(
    ("sop", "unit", "head"),
    [
        ("dawarblandong/pengukuran-data-kinerja", "Kecamatan Dawarblandong", "Camat Dawarblandong"),
        ("kalipare/pengukuran-kinerja", "Kecamatan Kalipare", "Camat Kalipare"),
        ("mentebah/pengukuran-kinerja", "Kecamatan Mentebah", "Camat Mentebah"),
    ],
)
def test_format_1_definitions_are_kecamatan_named_as_before(sop, unit, head):
    loaded = load_definition(bundled_dir() / f"{sop}.toml", sop)
    office = loaded.definition.identity.office
    assert loaded.definition.format == 1
    assert (office.unit_label, office.head_label) == (unit, head)
    assert office.place == loaded.definition.identity.kecamatan


def test_the_dinas_definition_loads_with_everything_format_2_adds():
    d = load_definition(DINAS).definition
    identity = d.identity
    assert identity.kecamatan == ""
    assert identity.office.head_label == "Kepala Dinas Pemberdayaan Masyarakat dan Desa"
    assert identity.created == "…… 2022"
    assert identity.revised == 0 and not isinstance(identity.revised, dt.date)
    assert identity.effective == dt.date(2022, 11, 1)
    assert d.step(1).standard.minutes == 30  # bare "30" in time_unit = "menit"
    assert d.step(2).standard.days == 2  # "1-2 hari": the upper bound
    assert d.step(3).standard.days == 1  # "1 x 24 jam": one working day
    handoff, single = d.step(2), d.step(1)
    assert handoff.handoff and not single.handoff
    assert d.actor_titles(handoff) == "Staf Verifikator → Kepala Bidang Pemerintahan Desa"
    assert (
        d.actor_titles(handoff, lines=True) == "Staf Verifikator\n→ Kepala Bidang Pemerintahan Desa"
    )


def test_actors_together_are_joined_without_an_arrow():
    d = load_definition(bundled_dir() / "kalipare" / "pengukuran-kinerja.toml").definition
    assert d.actor_titles(d.step(2)) == "Tim Akuntabilitas Kinerja, Sekretaris"
    assert d.actor_titles(d.step(2), lines=True) == "Tim Akuntabilitas Kinerja\nSekretaris"


_MINIMAL = """format = {fmt}
[identity]
government = "PEMERINTAH KABUPATEN X"
unit = "KECAMATAN X"
kecamatan = "X"
name = "SOP"
{extra}
[calendar]
timezone = "Asia/Jakarta"
[[actors]]
id = "a"
title = "A"
[[steps]]
number = 1
activity = "Satu"
"""


@pytest.mark.parametrize(
    ("extra", "value"),
    [
        ("revised = 0", 0),
        ("revised = 3", 3),
        ('revised = "Revisi ke-1"', "Revisi ke-1"),
        ("revised = 2024-02-01", dt.date(2024, 2, 1)),
        ("revised = 1945-01-01", dt.date(1945, 1, 1)),
    ],
)
def test_a_revision_is_a_date_a_number_or_text(extra, value):
    identity = parse_definition(_MINIMAL.format(fmt=2, extra=extra), "t.toml").definition.identity
    assert identity.revised == value
    assert type(identity.revised) is type(value)


@pytest.mark.parametrize("extra", ["created = 0", "created = 1944-12-31", "effective = true"])
def test_a_date_that_is_a_number_or_too_early_is_refused(extra):
    with pytest.raises(DefinitionError) as caught:
        parse_definition(_MINIMAL.format(fmt=2, extra=extra), "t.toml")
    (problem,) = caught.value.problems
    assert problem.line == 7 and problem.path == f"identity.{extra.split()[0]}"


def test_a_long_definition_validates(tmp_path):
    """2,000 steps in a chain with a loop back from each tenth step: valid, every path found."""
    steps = []
    for n in range(1, 2001):
        if n % 10 == 0:
            steps.append(
                f'[[steps]]\nnumber = {n}\nactivity = "Langkah {n}"\nsymbol = "decision"\n'
                f'time = "1-2 jam"\n[steps.decision]\nquestion = "Lanjut?"\nno = {n - 9}\n'
            )
        else:
            steps.append(f'[[steps]]\nnumber = {n}\nactivity = "Langkah {n}"\ntime = "5"\n')
    text = _MINIMAL.format(fmt=2, extra="").replace(
        '[[steps]]\nnumber = 1\nactivity = "Satu"\n', ""
    )
    text = text.replace("format = 2\n", 'format = 2\ntime_unit = "menit"\n') + "\n".join(steps)
    d = parse_definition(text, "long.toml").definition
    assert len(d.steps) == 2000
    assert d.successors(2000) == {"yes": None, "no": 1991}
    assert d.step(1234).standard.minutes == 5


def test_a_dinas_runs_end_to_end_and_its_report_names_its_own_head(capsys, monkeypatch, tmp_path):
    defs = Path(os.environ["LANGKAH_DEFS_DIR"]) / "dpmd"
    defs.mkdir(parents=True)
    shutil.copy(DINAS, defs / DINAS.name)
    cli = Cli(capsys, monkeypatch)
    assert "dpmd/verifikasi-dana-desa" in cli("validate")
    catalog = Catalog.load(defs.parent)
    assert catalog.get("pemberdayaan masyarakat dan desa").sop_id == "dpmd/verifikasi-dana-desa"
    cycle = cli("start", "dpmd", "--period", "2026-T3").strip()
    shown = cli("show", cycle)
    assert "Dinas Pemberdayaan Masyarakat dan Desa" in shown
    assert "30 (= 30 menit kerja)" in shown
    cli("input", cycle, "surat_pengajuan=005/1/2026;2026-10-01")
    cli("complete", cycle)
    assert "Staf Verifikator → Kepala Bidang Pemerintahan Desa" in cli("show", cycle)
    cli("input", cycle, "ceklist=ya")
    cli("complete", cycle)
    assert "1 x 24 jam (= 1 hari kerja)" in cli("show", cycle)
    cli("complete", cycle, "--answer", "ya")
    cli("complete", cycle)
    cli("complete", cycle)
    data = cli.show(cycle)
    assert data["status"] == "finished"
    assert data["unit"] == "Dinas Pemberdayaan Masyarakat dan Desa"
    assert data["kecamatan"] == "Pemberdayaan Masyarakat dan Desa"  # the unit's own name
    out = tmp_path / "laporan.docx"
    cli("report", cycle, "-o", str(out))
    document = docx.Document(str(out))
    text = "\n".join(structure(document))
    assert "Mengetahui, / Kepala Dinas Pemberdayaan Masyarakat dan Desa," in text
    assert "Mojokerto, " in text
    assert "Camat" not in text and "Kecamatan" not in text
    # the identity page's field table (label | value; it replaced the summary's label rows)
    assert "| Tanggal Pembuatan | …… 2022 |" in text
    assert "| Tanggal Revisi | 0 |" in text
    assert "Staf Verifikator / → Kepala Bidang Pemerintahan Desa" in text
    assert document.core_properties.title.endswith("— Dinas Pemberdayaan Masyarakat dan Desa")


def test_revision_zero_in_a_format_1_file_is_refused_never_a_1970_date():
    with pytest.raises(DefinitionError) as caught:
        parse_definition(_MINIMAL.format(fmt=1, extra="revised = 0"), "t.toml")
    (problem,) = caught.value.problems
    assert (problem.line, problem.path) == (7, "identity.revised")
    assert "needs format = 2" in problem.message


@pytest.mark.parametrize(
    ("value", "found"), [("true", "true"), ("2.0", "2.0"), ('"2"', "'2'"), ("0", "0"), ("3", "3")]
)
def test_format_is_the_whole_number_1_or_2(value, found):
    text = _MINIMAL.format(fmt=value, extra="")
    with pytest.raises(DefinitionError) as caught:
        parse_definition(text, "t.toml")
    (problem,) = caught.value.problems
    assert (problem.line, problem.path) == (1, "format")
    assert f"(found {found})" in problem.message
