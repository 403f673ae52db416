"""`langkah export-xlsx` gains "Statistik" and "Statistik langkah": read back with openpyxl,
their cells are typed numbers equal to `langkah stats --json` for the same cycles."""

from __future__ import annotations

import openpyxl
import pytest

from tests.report.recap_support import cli, seed, stats_json, use_store


@pytest.fixture
def book(tmp_path, monkeypatch, capsys):
    root = seed(tmp_path / "data")
    use_store(root, monkeypatch)
    path = tmp_path / "rekap.xlsx"
    cli(capsys, "export-xlsx", "--stats", "-o", str(path))
    return openpyxl.load_workbook(path), stats_json(capsys)


def _records(sheet):
    rows = list(sheet.iter_rows())
    header = [c.value for c in rows[0]]
    return header, [dict(zip(header, row, strict=True)) for row in rows[1:]]


def _same(cell, expected, percent=False):
    if expected is None:
        assert cell.value is None, (cell.coordinate, cell.value)  # undefined: empty, never 0
        return
    assert isinstance(cell.value, int | float), (cell.coordinate, cell.value)
    value = cell.value * 100 if percent else cell.value
    assert value == pytest.approx(expected, abs=1e-9), cell.coordinate


def test_the_sheets_are_there_with_frozen_headers_and_filters(book):
    workbook, _ = book
    assert {"Siklus", "Langkah", "Statistik", "Statistik langkah"} <= set(workbook.sheetnames)
    for name in ("Statistik", "Statistik langkah"):
        sheet = workbook[name]
        assert sheet.freeze_panes == "A2"
        assert (
            sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}"
            f"{sheet.max_row}"
        )


def test_group_figures_equal_the_json(book):
    workbook, result = book
    _, records = _records(workbook["Statistik"])
    expected = result["groups"] + result["totals"]
    assert len(records) == len(expected) == 5
    for row, g in zip(records, expected, strict=True):
        assert (row["SOP"].value, row["Kecamatan"].value) == (g["sop_id"], g["kecamatan"])
        assert row["Periode"].value == (g["period"] or "Semua periode terpilih")
        for header, key in (
            ("Siklus dimulai", "cycles_started"),
            ("Siklus selesai", "cycles_finished"),
            ("Siklus dibatalkan", "cycles_cancelled"),
            ("Langkah dinilai", "steps_judged"),
            ("Pengembalian", "returns"),
        ):
            _same(row[header], g[key])
        _same(row["Tepat waktu (%)"], g["on_time_pct"], percent=True)
        assert row["Tepat waktu (%)"].number_format.endswith("%")
        _same(row["Pengembalian per siklus"], g["returns_per_cycle"])
        _same(row["Lama siklus median (menit)"], g["lead_time_median_min"])
        _same(row["Jumlah waktu standar (menit)"], g["standard_sum_min"])
        _same(row["Rasio lama / standar"], g["lead_time_ratio"])
        most = g["most_late_step"]
        _same(row["Paling terlambat: langkah"], most and most["step"])
    kalipare = records[2]
    assert kalipare["Tepat waktu (%)"].value == pytest.approx(0.6)
    assert kalipare["Lama siklus median (menit)"].value == 157.5


def test_step_figures_equal_the_json(book):
    workbook, result = book
    _, records = _records(workbook["Statistik langkah"])
    expected = [(g, s) for g in result["groups"] + result["totals"] for s in g["steps"]]
    assert len(records) == len(expected)
    for row, (g, s) in zip(records, expected, strict=True):
        assert row["SOP"].value == g["sop_id"] and row["No langkah"].value == s["step"]
        _same(row["Dinilai"], s["judged"])
        _same(row["Tepat waktu (%)"], s["on_time_pct"], percent=True)
        _same(row["Keterlambatan median (menit)"], s["delay_median_min"])
        _same(row["Keterlambatan P90 (menit)"], s["delay_p90_min"])
        assert row["Jenis standar"].value == s["standard_kind"]
    p90 = [
        r["Keterlambatan P90 (menit)"].value
        for r in records
        if r["SOP"].value.startswith("kalipare") and r["No langkah"].value == 2
    ]
    assert p90 == [29, 29]  # the worked example's group and its total


def test_without_stats_the_workbook_has_no_statistics_sheets(tmp_path, monkeypatch, capsys):
    root = seed(tmp_path / "data")
    use_store(root, monkeypatch)
    path = tmp_path / "rekap.xlsx"
    cli(capsys, "export-xlsx", "-o", str(path))
    assert openpyxl.load_workbook(path).sheetnames == ["Siklus", "Langkah", "Keterangan"]
