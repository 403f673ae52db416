"""Issue 12: `--demo` keeps its cycles and reports in a folder that survives, inside the data
folder the user chose (LANGKAH_DATA_DIR honoured), says where, and marks the title bar DEMO."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import langkah.main
from langkah.service import Langkah
from langkah.tui.app import LangkahApp
from langkah.tui.widgets.bars import TitleBar
from tests.tui.conftest import fixed_clock, settle


def _args(**given) -> SimpleNamespace:
    values = {"demo": True, "data_dir": None, "defs_dir": None, "lang": None, "by": None}
    return SimpleNamespace(**(values | given))


def _run_without_terminal(monkeypatch) -> list[Path]:
    """LangkahApp.run replaced by building its service (what the first screen would do)."""
    opened: list[Path] = []

    def run(self) -> None:
        service = self._factory()
        opened.append(Path(service.location))

    monkeypatch.setattr(LangkahApp, "run", run)
    return opened


def test_demo_lives_in_the_data_folder_and_survives(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("LANGKAH_DATA_DIR", str(tmp_path / "mine"))
    opened = _run_without_terminal(monkeypatch)
    assert langkah.main.run_app(_args()) == 0
    folder = tmp_path / "mine" / "demo"
    assert opened == [folder]
    assert folder.is_dir()  # not deleted when the app closes
    assert len(Langkah.open(folder).cycle_ids()) == 4
    err = capsys.readouterr().err
    assert str(folder) in err and "laporan" in err
    assert not list((tmp_path / "mine").glob("cycles"))  # real cycles never mixed with demo ones


def test_a_second_demo_keeps_the_first_ones_cycles(tmp_path, monkeypatch):
    _run_without_terminal(monkeypatch)
    langkah.main.run_app(_args(data_dir=str(tmp_path)))
    langkah.main.run_app(_args(data_dir=str(tmp_path)))
    assert len(Langkah.open(tmp_path / "demo").cycle_ids()) == 4  # not seeded twice


def test_the_notice_speaks_english_too(tmp_path):
    assert "demo cycles and reports are in" in langkah.main.demo_notice(tmp_path, "en")


async def test_title_bar_marks_demo_and_fits_the_width(service):
    app = LangkahApp(service, clock=fixed_clock, blink=False, demo=Path(service.location))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        line = app.screen.query_one(TitleBar).render()
        assert str(line).rstrip().endswith("DEMO")
        assert line.cell_length == 80  # the marker is on screen, not past its edge


async def test_no_marker_without_demo(service, make_app):
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "DEMO" not in str(app.screen.query_one(TitleBar).render())
