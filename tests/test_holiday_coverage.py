"""`langkah validate`'s note on the holiday data: the package's last year, cached per version."""

from __future__ import annotations

import json

import pytest

import langkah.holiday_coverage as coverage
from langkah.cli.main import main
from langkah.engine.clock_bounds import package_last_year

NOTE = "Catatan: data hari libur hanya sampai"


@pytest.fixture
def data(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setenv("LANGKAH_DATA_DIR", str(folder))
    monkeypatch.setenv("LANGKAH_DEFS_DIR", str(tmp_path / "no-defs"))
    return folder


def _validate(capsys, now: str) -> str:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LANGKAH_NOW", now)
        assert main(["validate"]) == 0
    return capsys.readouterr().out


def test_the_note_near_the_end_of_the_data_and_the_cache_it_leaves(data, capsys):
    last = package_last_year()
    out = _validate(capsys, f"{last}-06-01T00:00:00")
    assert f"{NOTE} {last} (waktu dihitung sampai akhir {last + 1})" in out
    cached = json.loads((data / coverage.CACHE_FILE).read_text(encoding="utf-8"))
    assert cached == {"holidays": coverage.package_version(), "last_year": last}
    assert NOTE not in _validate(capsys, f"{last - 1}-06-01T00:00:00")


def test_the_cache_answers_for_the_same_package_version(data, capsys, monkeypatch):
    (data / coverage.CACHE_FILE).write_text(
        json.dumps({"holidays": coverage.package_version(), "last_year": 2031}), "utf-8"
    )

    def not_called():
        raise AssertionError("computed although the cache knew")

    monkeypatch.setattr("langkah.engine.clock_bounds.package_last_year", not_called)
    assert f"{NOTE} 2031" in _validate(capsys, "2031-01-05T00:00:00")
    assert NOTE not in _validate(capsys, "2030-01-05T00:00:00")


@pytest.mark.parametrize(
    "content", ["{broken", '{"holidays": "0.0.1", "last_year": 2099}', '{"holidays": 1}', "[]"]
)
def test_a_broken_or_stale_cache_is_computed_again(data, capsys, content):
    (data / coverage.CACHE_FILE).write_text(content, "utf-8")
    last = package_last_year()
    assert f"{NOTE} {last}" in _validate(capsys, f"{last}-06-01T00:00:00")
    assert json.loads((data / coverage.CACHE_FILE).read_text("utf-8"))["last_year"] == last


def test_an_added_later_year_extends_the_data(data, capsys):
    last = package_last_year()
    (data / "hari_libur.toml").write_text(
        f'[tambah]\n"{last + 1}-12-24" = "Cuti bersama Natal"\n', "utf-8"
    )
    assert NOTE not in _validate(capsys, f"{last}-06-01T00:00:00")
    assert f"{NOTE} {last + 1}" in _validate(capsys, f"{last + 1}-06-01T00:00:00")


def test_without_a_data_folder_one_year_is_checked_not_fifty(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("LANGKAH_DATA_DIR", str(tmp_path / "missing"))
    monkeypatch.setenv("LANGKAH_DEFS_DIR", str(tmp_path / "no-defs"))
    last = package_last_year()

    def not_called():
        raise AssertionError("fifty years computed although the next year is covered")

    with monkeypatch.context() as patch:
        patch.setattr("langkah.engine.clock_bounds.package_last_year", not_called)
        assert NOTE not in _validate(capsys, f"{last - 1}-06-01T00:00:00")
    assert f"{NOTE} {last}" in _validate(capsys, f"{last}-06-01T00:00:00")
    assert not (tmp_path / "missing").exists()


def test_the_note_speaks_english_with_lang_en(data, capsys):
    last = package_last_year()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LANGKAH_NOW", f"{last}-06-01T00:00:00")
        assert main(["--lang", "en", "validate"]) == 0
    out = capsys.readouterr().out
    assert (
        f"Note: the holiday data ends in {last} (times are counted to the end of {last + 1})" in out
    )
    assert NOTE not in out
