"""The unit column and its filter say "Kecamatan" while every SOP is a kecamatan's, and "Unit
kerja" once an SOP of another kind of unit (here a dinas) is in the catalog."""

from __future__ import annotations

import shutil
from pathlib import Path

from langkah.service import Langkah
from langkah.tui import strings
from langkah.tui.strings import t
from tests.tui.conftest import fixed_clock, settle

DPMD = Path(__file__).parents[1] / "fixtures" / "definitions" / "dpmd"


def _header_and_filter(app) -> tuple[list[str], str]:
    table = app.screen.query_one("#cycles")
    headers = [str(column.label) for column in table.columns.values()]
    return headers, str(app.screen.query_one("#filter-line").render())


async def test_kecamatan_only_catalog_names_the_column_kecamatan(service, make_app, monkeypatch):
    monkeypatch.setattr(strings, "_ONLY_KECAMATAN", True)  # restored after the test
    service.start("kalipare", "2026-T4")
    app = make_app(service)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        headers, line = _header_and_filter(app)
        assert headers[0] == "Kecamatan" and "Semua kecamatan" in line
        assert t("start.variant") == "SOP (varian kecamatan)"


async def test_a_dinas_in_the_catalog_makes_it_unit_kerja(tmp_path, make_app, monkeypatch):
    monkeypatch.setattr(strings, "_ONLY_KECAMATAN", True)
    shutil.copytree(DPMD, tmp_path / "defs" / "dpmd")
    service = Langkah.open(tmp_path / "data", tmp_path / "defs", clock=fixed_clock)
    service.start("dpmd", "2026-T4")
    app = make_app(service)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        headers, line = _header_and_filter(app)
        assert headers[0] == "Unit kerja" and "Semua unit kerja" in line
        assert "kecamatan" not in line.lower()
        assert t("start.variant") == "SOP (varian per unit kerja)"
