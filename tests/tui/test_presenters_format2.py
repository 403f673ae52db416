"""What the screens show of a format 2 definition: a handoff in the step header, the unit's own
name in titles, identity dates written as text, and what a waktu is read as."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from langkah.catalog import load_definition
from langkah.engine.loader import parse_definition
from langkah.service import Langkah
from langkah.tui.presenters import run, start, variants
from langkah.tui.strings import set_language
from langkah.tui.widgets.timing import timing_lines
from tests.tui.conftest import fixed_clock

DINAS = (
    Path(__file__).parent.parent / "fixtures" / "definitions" / "dpmd" / "verifikasi-dana-desa.toml"
)


@pytest.fixture
def indonesian():
    set_language("id")
    yield
    set_language("id")


@pytest.fixture
def dinas_service(tmp_path) -> Langkah:
    defs = tmp_path / "defs" / "dpmd"
    defs.mkdir(parents=True)
    shutil.copy(DINAS, defs / DINAS.name)
    return Langkah.open(tmp_path / "data", tmp_path / "defs", clock=fixed_clock)


def test_the_step_header_shows_a_handoff_in_order(dinas_service, indonesian):
    view = dinas_service.start("dpmd", "2026-T3")
    first = run.step_text(view, "id")
    assert first.actor == "Pelaksana: Staf Verifikator"
    assert "30 (= 30 menit kerja)" in timing_lines(view, view.timing.visits[-1]).plain
    cycle = view.state.cycle_id
    dinas_service.record_inputs(cycle, {"surat_pengajuan": {"nomor": "1", "tanggal": "2026-10-01"}})
    view = dinas_service.complete(cycle)
    assert run.step_text(view, "id").actor == (
        "Pelaksana: Staf Verifikator → Kepala Bidang Pemerintahan Desa"
    )
    assert "1-2 hari (= 2 hari kerja)" in timing_lines(view, view.timing.visits[-1]).plain


def test_titles_name_the_unit_not_a_kecamatan(indonesian):
    loaded = load_definition(DINAS, "dpmd/verifikasi-dana-desa")
    assert start.variant_label(loaded).startswith("Pemberdayaan Masyarakat dan Desa · ")


def test_an_effective_date_written_as_text_is_shown_as_written(indonesian):
    text = DINAS.read_text(encoding="utf-8").replace(
        "effective = 2022-11-01", 'effective = "…… 2022"'
    )
    loaded = parse_definition(text, "dinas.toml")
    shown = variants.identity_text(loaded).plain
    assert "Tanggal efektif: …… 2022" in shown
    assert (
        "Tanggal efektif: 1 November 2022" in variants.identity_text(load_definition(DINAS)).plain
    )
