"""Exporting the Word report from a cycle, help, language, drafts and write conflicts."""

from __future__ import annotations

import dataclasses
import importlib.util
import sys

import docx
import pytest
from textual.widgets import Input

from langkah.engine.events import verification_code
from langkah.tui.app import LangkahApp
from langkah.tui.screens.modals import HelpScreen, MonitoringModal, RolesModal
from langkah.tui.screens.run import RunScreen
from tests.report.docx_text import all_text
from tests.tui.conftest import settle

HAS_REPORT = importlib.util.find_spec("langkah.report") is not None


async def wait_for(pilot, kind: type) -> None:
    """Pause until a dialog of `kind` is on top (the export flow's worker waits on it, so
    `settle` would wait forever)."""
    for _ in range(200):
        if isinstance(pilot.app.screen, kind):
            return
        await pilot.pause(0.05)
    raise AssertionError(f"no {kind.__name__} appeared; on top: {pilot.app.screen!r}")


def finished_cycle(service) -> str:
    return next(r.cycle_id for r in service.overview().rows if r.status.value == "finished")


@pytest.mark.skipif(not HAS_REPORT, reason="the report module is not installed")
async def test_export_writes_the_report_in_a_worker(demo_service, make_app):
    cycle_id = finished_cycle(demo_service)
    app = make_app(demo_service, open_cycle=cycle_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RunScreen)
        await pilot.press("e")
        # a final report: the head of the unit is not named yet, so the people dialog asks
        await wait_for(pilot, RolesModal)
        app.screen.query_one("#role-kepala-name", Input).value = "Drs. CAMAT SEKARANG"
        app.screen.query_one("#role-kepala-nip", Input).value = "12"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, RolesModal), "a bad NIP keeps the dialog and the typing"
        app.screen.query_one("#role-kepala-nip", Input).value = "19700626 199003 1 006"
        await pilot.press("ctrl+s")
        await wait_for(pilot, MonitoringModal)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await settle(pilot)
        assert demo_service.open_cycle(cycle_id).state.roles["kepala"].name == "Drs. CAMAT SEKARANG"
        assert screen.export_path is not None and screen.export_path.exists()
        assert screen.export_path.suffix == ".docx"
        assert str(screen.export_path) in screen.message
        code = verification_code(demo_service.open_cycle(cycle_id).log_head)
        text = all_text(docx.Document(str(screen.export_path)))
        assert code in text and "Drs. CAMAT SEKARANG" in text


@pytest.mark.skipif(not HAS_REPORT, reason="the report module is not installed")
async def test_export_after_an_action_prints_the_stored_logs_code(demo_service, make_app):
    """The view an action returns does not carry the log's head: the export reads the cycle
    as stored, so the report still prints its verification code."""
    cycle_id = finished_cycle(demo_service)
    app = make_app(demo_service, open_cycle=cycle_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RunScreen) and screen.view is not None
        screen.view = dataclasses.replace(screen.view, log_head="")  # as after an action
        await pilot.press("e")
        await wait_for(pilot, RolesModal)
        await pilot.press("escape")  # nothing newer given
        await wait_for(pilot, MonitoringModal)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await settle(pilot)
        assert screen.export_path is not None
        code = verification_code(demo_service.open_cycle(cycle_id).log_head)
        # Esc: no head named for the cycle, so the SOP's approver signs "Mengetahui"
        assert "NEPO MARIS" in all_text(docx.Document(str(screen.export_path)))
        assert "Kode verifikasi" in all_text(docx.Document(str(screen.export_path)))
        assert code in all_text(docx.Document(str(screen.export_path)))


async def test_export_without_the_report_module_says_so(demo_service, make_app, monkeypatch):
    import langkah

    monkeypatch.setitem(sys.modules, "langkah.report", None)  # import now fails
    monkeypatch.delattr(langkah, "report", raising=False)
    app = make_app(demo_service, open_cycle=finished_cycle(demo_service))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert "langkah.report" in app.screen.message


async def test_help_lists_the_keys_of_the_screen(demo_service, make_app):
    app = make_app(demo_service, open_cycle=finished_cycle(demo_service))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        keys = {description for _, description, _ in app.screen.rows}
        assert {"Laporan", "Riwayat", "Kembali", "Bantuan"} <= keys
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, RunScreen)


async def test_english(demo_service):
    app = LangkahApp(demo_service, lang="en", blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        descriptions = {b.binding.description for b in app.screen.active_bindings.values()}
        assert "New cycle" in descriptions
        await pilot.press("f1")
        await pilot.pause()
        assert "Timeline" in {d for _, d, _ in app.screen.rows}
        await pilot.press("escape")


async def test_refusal_conflict_and_draft(service, make_app):
    view = service.start("dawarblandong", "2026-T4")
    cycle_id = view.state.cycle_id
    app = make_app(service, open_cycle=cycle_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press(*"005/7/2026")  # nomor typed, not recorded yet
        screen.save_draft_now()  # what the 0.5 s debounce does (the write runs in a worker)
        await settle(pilot)
        assert service.load_draft(cycle_id)["values"]["nota_dinas"][0] == "005/7/2026"
        await pilot.press("tab", *"1/10/2026")
        service.note(cycle_id, "from another terminal")  # the cycle changes elsewhere
        await pilot.press("escape")  # leaving the field records it: a write conflict
        await settle(pilot)
        # a conflict on the write, or the 2-second poll's reload if it came first: both say so
        assert "diubah di tempat lain" in screen.message.lower()
        nomor = screen.query_one("#in-nota_dinas-nomor")
        assert nomor.value == "005/7/2026"  # nothing typed is lost
        assert service.load_draft(cycle_id) is not None
        await pilot.press("tab", "tab", "escape")  # leave the fields again: now it records
        await settle(pilot)
        recorded = service.open_cycle(cycle_id).state.visits[-1].inputs
        assert recorded["nota_dinas"] == {"nomor": "005/7/2026", "tanggal": "2026-10-01"}
        assert service.load_draft(cycle_id) is None


async def test_draft_is_restored_after_a_crash(service, make_app):
    cycle_id = service.start("dawarblandong", "2026-T4").state.cycle_id
    service.save_draft(
        cycle_id, {"visit": 1, "step": 1, "values": {"nota_dinas": ["005/9/2026", ""]}}
    )
    app = make_app(service, open_cycle=cycle_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert screen.query_one("#in-nota_dinas-nomor").value == "005/9/2026"
        assert "draf" in screen.message
