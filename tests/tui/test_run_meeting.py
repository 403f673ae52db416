"""The run screen in a meeting (issue 12): keys that work and are named whatever has focus,
dialogs that focus their first field, say their keys and never drop typing unasked, drafts of
notes and people, an honest kelengkapan line, decisions, cancelling, the end of a cycle."""

from __future__ import annotations

from textual.widgets import Input
from textual.widgets._toast import Toast

from langkah.engine.cycle import CycleStatus, Person
from langkah.tui.screens.modals import (
    ConfirmModal,
    HelpScreen,
    MonitoringModal,
    RolesModal,
    TextPrompt,
)
from langkah.tui.screens.run import RunScreen
from langkah.tui.widgets.bars import KeyBar
from tests.tui.conftest import advance, burst, fill, settle, until_exited


def key_bar(app) -> str:
    return str(app.screen.query_one(KeyBar).render())


async def open_run(pilot, app) -> RunScreen:
    await settle(pilot)
    assert isinstance(app.screen, RunScreen)
    return app.screen


async def wait_dialog(pilot, kind):
    """Until the run screen has reopened a dialog of `kind` (it loads the cycle first) and the
    dialog is mounted: a pushed screen is current before its on_mount has restored the typing
    (checking then raced it, and failed now and then)."""
    for _ in range(400):
        await pilot.pause(0.05)
        screen = pilot.app.screen
        if isinstance(screen, kind) and screen.is_mounted:
            await pilot.pause()  # its on_mount's work, and the messages it posted
            return screen
    raise AssertionError(f"no {kind.__name__} was opened")


async def wait_text_draft(pilot, service, cycle_id, slot, done=lambda draft: True) -> dict:
    """Until the dialog's debounced draft reached the store. (`settle` would wait for the
    dialog itself: the flow that opened it is a worker waiting for its answer.)"""
    for _ in range(400):
        await pilot.pause(0.05)
        draft = service.text_drafts(cycle_id).get(slot)
        if draft and done(draft):
            return draft
    raise AssertionError("the dialog's draft was never kept")


async def test_the_key_bar_names_the_keys_that_work_from_a_text_field(service, make_app):
    cycle_id = service.start("dawarblandong", "2026-T4").state.cycle_id
    app = make_app(service, open_cycle=cycle_id)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_run(pilot, app)
        assert isinstance(app.focused, Input)  # the Nota Dinas nomor
        bar = key_bar(app)
        for key in ("f2 Selesai", "f5 Jeda", "f7 Catatan", "f8 Petugas", "f9 Laporan"):
            assert key in bar
        assert "esc Kembali" in bar and "f1 Bantuan" in bar
        await pilot.press("c")  # typed into the field, not an action
        assert app.focused.value == "c"
        await pilot.press("f2")  # the function key acts from the field: refused, said why
        await settle(pilot)
        assert screen.view.state.current_step == 1
        assert "Nota Dinas" in screen.message
        await pilot.press("escape")  # one level: out of the field, still on the screen
        await settle(pilot)
        assert isinstance(app.screen, RunScreen)
        assert not isinstance(app.focused, Input)
        assert "c Selesai" in key_bar(app) and "m Catatan" in key_bar(app)


async def test_help_lists_letter_and_function_key_of_each_action(service, make_app):
    cycle_id = service.start("dawarblandong", "2026-T4").state.cycle_id
    app = make_app(service, open_cycle=cycle_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_run(pilot, app)
        await pilot.press("f1")  # in a text field: only the keys that work there
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = {description: keys for keys, description, _ in app.screen.rows}
        assert rows["Selesai"] == "f2" and rows["Catatan"] == "f7"
        await pilot.press("escape", "escape")  # close help, leave the field
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        rows = {description: keys for keys, description, _ in app.screen.rows}
        assert rows["Selesai"] == "c / f2"
        assert rows["Catatan"] == "m / f7"
        assert rows["Batalkan siklus"] == "x / f12"


async def test_arrow_keys_move_through_the_form(service, make_app):
    view = advance(service, service.start("dawarblandong", "2026-T4"), 4)
    app = make_app(service, open_cycle=view.state.cycle_id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_run(pilot, app)
        form = screen.query_one("#form")
        fields = form.fields()
        assert app.focused is fields[0]
        await pilot.press("down", "down")
        assert app.focused is fields[2]
        await pilot.press("up")
        assert app.focused is fields[1]


async def test_arrow_keys_move_between_text_fields_at_80_columns(service, make_app):
    cycle_id = service.start("dawarblandong", "2026-T4").state.cycle_id
    app = make_app(service, open_cycle=cycle_id)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_run(pilot, app)
        nomor, tanggal = screen.query_one("#form").fields()
        assert app.focused is nomor
        await pilot.press("down")
        assert app.focused is tanggal
        await pilot.press("up")
        assert app.focused is nomor


async def test_the_people_dialog_focuses_its_first_field_and_says_why_it_did_not_save(
    service, make_app
):
    cycle_id = service.start("dawarblandong", "2026-T4").state.cycle_id
    app = make_app(service, open_cycle=cycle_id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_run(pilot, app)
        await pilot.press("f8")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, RolesModal)
        assert app.focused is dialog.query_one("#role-camat-name")
        await pilot.press("ctrl+s")  # nothing changed: it stays open and says so
        await pilot.pause()
        assert app.screen is dialog
        assert "Belum ada perubahan" in str(dialog.query_one("#roles-error").render())
        await pilot.press(*"Siti Rahmawati", "ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert service.open_cycle(cycle_id).state.roles["camat"].name == "Siti Rahmawati"


async def test_esc_in_a_note_asks_before_the_text_is_thrown_away(service, make_app):
    cycle_id = service.start("dawarblandong", "2026-T4").state.cycle_id
    app = make_app(service, open_cycle=cycle_id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_run(pilot, app)
        await pilot.press("f7")
        await pilot.pause()
        prompt = app.screen
        assert isinstance(prompt, TextPrompt)
        assert app.focused is prompt.query_one("#prompt-input")
        await pilot.press(*"Rapat diundur", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")  # keep typing: the text is still there
        await pilot.pause()
        assert app.screen is prompt and prompt.typed() == "Rapat diundur"
        await wait_text_draft(pilot, service, cycle_id, "note")
        await pilot.press("escape", "y")  # discard, confirmed: the draft goes too
        await settle(pilot)
        assert app.screen is screen
        assert "note" not in service.text_drafts(cycle_id)
        assert not service.open_cycle(cycle_id).state.visits[-1].notes


async def test_a_note_being_typed_is_drafted_and_reopened_with_its_text(service, make_app):
    cycle_id = service.start("dawarblandong", "2026-T4").state.cycle_id
    app = make_app(service, open_cycle=cycle_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_run(pilot, app)
        await pilot.press("f7", *"Camat minta diundur")
        draft = await wait_text_draft(
            pilot, service, cycle_id, "note", lambda d: d["text"] == "Camat minta diundur"
        )
        assert draft["step"] == 1
        ack = app.screen.query_one(".draft-line")
        for _ in range(100):  # the acknowledgement follows the write's answer
            if "draf tersimpan" in str(ack.render()):
                break
            await pilot.pause(0.02)
        assert "draf tersimpan" in str(ack.render())
    # A new app on the same store (as after a crash): the note dialog opens with the text.
    app = make_app(service, open_cycle=cycle_id)
    async with app.run_test(size=(120, 40)) as pilot:
        prompt = await wait_dialog(pilot, TextPrompt)
        assert prompt.typed() == "Camat minta diundur"
        await pilot.press("enter")
        await settle(pilot)
        notes = service.open_cycle(cycle_id).state.visits[-1].notes
        assert [n.text for n in notes] == ["Camat minta diundur"]
        assert "note" not in service.text_drafts(cycle_id)


async def test_people_typing_is_drafted_and_restored(service, make_app):
    cycle_id = service.start("dawarblandong", "2026-T4").state.cycle_id
    app = make_app(service, open_cycle=cycle_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_run(pilot, app)
        await pilot.press("f8", *"Budi")
        draft = await wait_text_draft(
            pilot, service, cycle_id, "people", lambda d: d["roles"]["camat"]["name"] == "Budi"
        )
        assert draft["visit"] == 1
    app = make_app(service, open_cycle=cycle_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_dialog(pilot, RolesModal)
        assert app.screen.query_one("#role-camat-name").value == "Budi"


async def test_a_restored_invalid_draft_is_not_called_complete(service, make_app):
    view = fill(service, service.start("dawarblandong", "2026-T4"))  # Nota Dinas recorded
    cycle_id = view.state.cycle_id
    values = {"nota_dinas": ["005/9/2026", "31/02/2026"]}
    service.save_draft(cycle_id, {"visit": 1, "step": 1, "round": 1, "values": values})
    app = make_app(service, open_cycle=cycle_id)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await open_run(pilot, app)
        line = str(screen.query_one("#missing").render())
        assert "lengkap" not in line
        assert "Nota Dinas" in line and "bukan tanggal yang ada" in line
        await pilot.press("f2")
        await settle(pilot)
        assert "{" not in screen.message and "'nomor'" not in screen.message
        assert "31/02/2026" in screen.message and "bukan tanggal yang ada" in screen.message
        assert screen.view.state.current_step == 1
        for _ in range(50):  # the toast is mounted after the message
            await pilot.pause(0.02)
            if screen.query(Toast):
                break
        toasts = list(screen.query(Toast))
        assert toasts  # the refusal is also a toast, above the status line and the keys
        status = screen.query_one("#status-line").region
        for toast in toasts:
            assert toast.region.bottom <= status.y


async def test_a_decision_is_not_answered_no_while_its_input_is_missing(service, make_app):
    view = advance(service, service.start("dawarblandong", "2026-T4"), 9)
    app = make_app(service, open_cycle=view.state.cycle_id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_run(pilot, app)
        await pilot.press("escape", "n")
        await settle(pilot)
        assert isinstance(app.screen, RunScreen)  # no reason asked in vain
        assert "belum bisa dijawab" in screen.message and "Draft Laporan" in screen.message
        assert screen.view.state.current_step == 9


async def test_a_cycle_is_cancelled_with_a_confirm_and_a_reason(service, make_app):
    cycle_id = service.start("dawarblandong", "2026-T4").state.cycle_id
    app = make_app(service, open_cycle=cycle_id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_run(pilot, app)
        await pilot.press("f12")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")  # not confirmed: nothing happens
        await settle(pilot)
        assert service.open_cycle(cycle_id).state.status == CycleStatus.ACTIVE
        await pilot.press("f12", "y")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        await pilot.press(*"Periode salah", "enter")
        await settle(pilot)
        state = service.open_cycle(cycle_id).state
        assert state.status == CycleStatus.CANCELLED and state.end_reason == "Periode salah"
        assert screen.view.state.status == CycleStatus.CANCELLED


async def test_a_finished_cycle_offers_no_step_keys_and_sums_up(service, make_app):
    view = advance(service, service.start("dawarblandong", "2026-T4"), 99)
    assert view.state.status == CycleStatus.FINISHED
    app = make_app(service, open_cycle=view.state.cycle_id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_run(pilot, app)
        bar = key_bar(app)
        for word in ("Selesai", "Jeda", "Catatan", "Batalkan"):
            assert word not in bar
        assert "e Laporan" in bar
        text = str(screen.query_one("#activity").render())
        assert "Waktu kerja" in text and "standar SOP" in text and "dikembalikan: 0" in text
        assert "laporan" in str(screen.query_one("#output").render())
        await pilot.press("c", "m")  # nothing happens, nothing is opened
        await pilot.pause()
        assert app.screen is screen


async def test_typing_survives_a_pause_and_a_resume(service, make_app):
    cycle_id = service.start("dawarblandong", "2026-T4").state.cycle_id
    app = make_app(service, open_cycle=cycle_id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_run(pilot, app)
        await pilot.press(*"005/13/2026", "f5")
        await pilot.pause()
        await pilot.press(*"Menunggu Sekcam", "enter")
        await settle(pilot)
        assert screen.view.state.status == CycleStatus.PAUSED
        assert screen.query_one("#in-nota_dinas-nomor").value == "005/13/2026"
        await pilot.press("f6")
        await pilot.pause()
        await pilot.press(*"Sekcam kembali", "enter")
        await settle(pilot)
        assert screen.view.state.status == CycleStatus.ACTIVE
        assert screen.query_one("#in-nota_dinas-nomor").value == "005/13/2026"
        assert service.load_draft(cycle_id)["values"]["nota_dinas"][0] == "005/13/2026"


async def test_leaving_with_an_invalid_entry_asks_first_and_keeps_it(service, make_app):
    cycle_id = service.start("dawarblandong", "2026-T4").state.cycle_id
    app = make_app(service, open_cycle=cycle_id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_run(pilot, app)
        await pilot.press(*"005/9/2026", "down", *"31/02/2026")
        await pilot.press("escape")  # out of the field
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("escape")  # out of the screen: asked first
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is screen
        assert screen.query_one("#in-nota_dinas-tanggal").value == "31/02/2026"
        await pilot.press("escape", "y")
        await settle(pilot)
        assert not isinstance(app.screen, RunScreen)
        assert service.load_draft(cycle_id)["values"]["nota_dinas"] == ["005/9/2026", "31/02/2026"]


async def test_the_monitoring_dialog_focuses_its_first_field_and_shows_its_keys(service, make_app):
    view = advance(service, service.start("dawarblandong", "2026-T4"), 99)
    signers = {  # named, so the final export does not ask for them first
        "kepala": Person(name="AKHMAD TAUFIQ", nip="197006261990031006"),
        "penanggung_jawab": Person(name="Drs. BAMBANG SUTRISNO"),
    }
    service.update_roles(view.state.cycle_id, signers)
    app = make_app(service, open_cycle=view.state.cycle_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_run(pilot, app)
        await pilot.press("e")
        for _ in range(200):
            await pilot.pause(0.05)
            if isinstance(app.screen, MonitoringModal):
                break
        dialog = app.screen
        assert isinstance(dialog, MonitoringModal)
        assert app.focused is dialog.query_one("#mon-0-assessment")
        assert "ctrl+s" in str(dialog.query("Label").last().render())
        await pilot.press("escape")  # nothing edited: closes without asking
        await pilot.pause()
        assert isinstance(app.screen, RunScreen)


async def test_ctrl_q_right_after_typing_keeps_the_note_being_typed(service, make_app):
    """ctrl+q within the draft's half second (and ahead of keys still on their way to the
    field, as a burst from the terminal delivers them): the note typed is kept, whole."""
    cycle_id = service.start("dawarblandong", "2026-T4").state.cycle_id
    app = make_app(service, open_cycle=cycle_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_run(pilot, app)
        await pilot.press("f7")
        await wait_dialog(pilot, TextPrompt)
        burst(app, "Camat hadir", "ctrl+q")
        await until_exited(pilot)
    assert service.text_drafts(cycle_id)["note"]["text"] == "Camat hadir"


async def test_ctrl_q_right_after_typing_keeps_the_forms_typing(service, make_app):
    """The same for the step's form: a document number typed, ctrl+q at once: it is drafted."""
    cycle_id = service.start("dawarblandong", "2026-T4").state.cycle_id
    app = make_app(service, open_cycle=cycle_id)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_run(pilot, app)
        nomor, _ = screen.query_one("#form").fields()
        assert app.focused is nomor
        burst(app, "005/12", "ctrl+q")
        await until_exited(pilot)
    draft = service.load_draft(cycle_id) or {}
    assert "005/12" in str(draft.get("values")), draft


async def test_a_note_whose_save_fails_right_after_typing_is_kept_for_the_next_try(
    service, make_app, monkeypatch
):
    """Enter straight after the typing (inside the draft's half second), and the write fails
    (a full disk, a lock held elsewhere): the text is not lost. It is kept as the note's draft
    before the action is tried, so F7 opens with it, and a later try records it once."""
    from langkah.store import StoreError

    cycle_id = service.start("dawarblandong", "2026-T4").state.cycle_id
    app = make_app(service, open_cycle=cycle_id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_run(pilot, app)
        note = service.note

        def full_disk(*args, **kwargs):
            raise StoreError("the disk is full; nothing was saved")

        monkeypatch.setattr(service, "note", full_disk)
        await pilot.press("f7")
        await wait_dialog(pilot, TextPrompt)
        burst(app, "Camat minta diundur", "enter")  # faster than the draft's half second
        await settle(pilot)
        assert "disk is full" in screen.message
        assert service.text_drafts(cycle_id)["note"]["text"] == "Camat minta diundur"
        monkeypatch.setattr(service, "note", note)
        await pilot.press("escape")  # out of the form: letter keys act
        await pilot.press("m")
        prompt = await wait_dialog(pilot, TextPrompt)
        assert prompt.typed() == "Camat minta diundur"
        await pilot.press("enter")
        await settle(pilot)
        notes = service.open_cycle(cycle_id).state.visits[-1].notes
        assert [n.text for n in notes] == ["Camat minta diundur"]
        assert "note" not in service.text_drafts(cycle_id)


async def test_people_whose_save_fails_right_after_typing_are_kept_for_the_next_try(
    service, make_app, monkeypatch
):
    from langkah.store import StoreError

    cycle_id = service.start("dawarblandong", "2026-T4").state.cycle_id
    app = make_app(service, open_cycle=cycle_id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_run(pilot, app)

        def busy(*args, **kwargs):
            raise StoreError("the cycle is locked by another process; nothing was saved")

        monkeypatch.setattr(service, "update_roles", busy)
        await pilot.press("f8")
        await wait_dialog(pilot, RolesModal)
        burst(app, "Siti Rahmawati", "ctrl+s")  # faster than the draft's half second
        await settle(pilot)
        assert app.screen is screen and "locked" in screen.message
        draft = service.text_drafts(cycle_id)["people"]
        assert draft["roles"]["camat"]["name"] == "Siti Rahmawati"
        assert screen.text_initial("people")["roles"]["camat"]["name"] == "Siti Rahmawati"


async def test_a_monitoring_cell_of_several_lines_is_one_line_in_its_field_and_kept_whole(
    service, make_app
):
    """A cell the report prints on two lines (a step done twice, still running) shows in its
    one-line field joined by "; " (no line-break mark), and goes to the report with its lines
    when it is left as it was; an edited cell goes as typed."""
    from langkah.report.options import MonitoringRow

    rows = [
        MonitoringRow(1, "Rapat", None, "Sedang berjalan\nDilaksanakan 2 kali", "Lanjutkan\nCatat"),
        MonitoringRow(2, "Rekap", True, "Sesuai standar", "-"),
    ]
    app = make_app(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        results: list = []
        app.push_screen(MonitoringModal(rows), results.append)
        await pilot.pause()
        dialog = app.screen
        field = dialog.query_one("#mon-0-catatan", Input)
        assert field.value == "Sedang berjalan; Dilaksanakan 2 kali"
        assert dialog.query_one("#mon-0-tindakan", Input).value == "Lanjutkan; Catat"
        dialog.query_one("#mon-1-catatan", Input).value = "Perlu dicek"
        await pilot.press("ctrl+s")
        await pilot.pause()
    edited = results[0]
    assert edited[0].catatan == "Sedang berjalan\nDilaksanakan 2 kali"  # its lines kept
    assert edited[0].tindakan == "Lanjutkan\nCatat"
    assert edited[1].catatan == "Perlu dicek"
