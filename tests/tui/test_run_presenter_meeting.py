"""The run screen's new decisions as plain Python (no Textual): which key the key bar names,
which keys a finished cycle offers, the finished summary, a decision's missing inputs, the
dialog draft to reopen, the kelengkapan line with unrecordable typing."""

from __future__ import annotations

import pytest

from langkah.engine.cycle import CycleStatus
from langkah.tui.presenters import run
from langkah.tui.strings import set_language
from tests.tui.conftest import advance, fill

IDS = {"run.complete", "run.complete.any", "run.back"}


@pytest.fixture(autouse=True)
def indonesian():
    set_language("id")


def test_the_key_bar_names_the_letter_or_the_function_key_by_focus():
    assert run.footer_shows("run.complete", False, IDS)
    assert not run.footer_shows("run.complete", True, IDS)
    assert run.footer_shows("run.complete.any", True, IDS)
    assert not run.footer_shows("run.complete.any", False, IDS)
    assert run.footer_shows("run.back", True, IDS) and run.footer_shows("run.back", False, IDS)
    assert run.footer_shows(None, True, IDS)


def test_a_finished_cycle_offers_only_people_report_and_timeline(service):
    view = advance(service, service.start("dawarblandong", "2026-T4"), 99)
    assert view.state.status == CycleStatus.FINISHED
    for action in ("complete", "answer_yes", "answer_no", "pause", "resume", "note"):
        assert run.key_state(view, action) is False, action
    assert run.key_state(view, "cancel_cycle") is False
    assert run.key_state(view, "roles") is True


def test_an_open_cycle_offers_cancel(service):
    view = service.start("dawarblandong", "2026-T4")
    assert run.key_state(view, "cancel_cycle") is True


def test_the_finished_summary_counts_late_steps_and_returns(service):
    view = advance(service, service.start("dawarblandong", "2026-T4"), 9)
    view = fill(service, view)
    view = service.answer(view.state.cycle_id, False, "kurang", view.version)
    view = advance(service, view, 99)
    text = run.finished_summary(view, "id")
    assert "dikembalikan: 1 kali" in text
    assert "terlambat: tidak ada" in text  # every step done at the same fixed instant
    assert "standar SOP" in text
    words = run.step_text(view, "id")
    assert words.activity == text and "laporan" in words.output


def test_a_decision_names_what_is_missing_before_any_reason_is_asked(service):
    view = advance(service, service.start("dawarblandong", "2026-T4"), 9)
    refusal = run.missing_for_answer(view, {}, "id")
    assert refusal is not None and "Draft Laporan" in refusal and "dijawab" in refusal
    assert run.missing_for_answer(view, {"draft_laporan": True}, "id") is None
    assert run.missing_for_answer(fill(service, view), {}, "id") is None


def test_only_a_dialog_draft_of_this_visit_is_reopened(service):
    view = service.start("dawarblandong", "2026-T4")
    state = view.state
    here = run.make_text_draft(state, {"text": "catatan"})
    assert run.restorable_text({"note": here}, state) == ("note", here)
    assert run.restorable_text({"note": {**here, "visit": 2}}, state) is None
    assert run.restorable_text({"note": {**here, "text": ""}}, state) is None
    people = run.make_text_draft(state, {"roles": {"camat": {"name": "Budi"}}})
    assert run.restorable_text({"people": people, "pause": here}, state) == ("pause", here)
    later = fill(service, view)
    later = service.complete(later.state.cycle_id, later.version)
    assert run.restorable_text({"note": here}, later.state) is None  # a later step


def test_the_kelengkapan_line_is_honest_about_unrecordable_typing(service):
    view = fill(service, service.start("dawarblandong", "2026-T4"))
    assert run.step_text(view, "id").missing == "Kelengkapan sudah lengkap."
    problem = "Nilai '31/02/2026' tidak sesuai untuk 'Nota Dinas': ..."
    words = run.step_text(view, "id", [problem])
    assert "lengkap." not in words.missing and problem in words.missing
    assert words.missing_marked


def test_the_screen_is_out_of_date_when_the_log_grows_or_stops_verifying(service):
    import dataclasses

    from langkah.messages import say

    view = service.start("dawarblandong", "2026-T4")
    cycle_id = view.state.cycle_id
    assert service.stored_mark(cycle_id) == (view.version, None)
    assert not run.out_of_date(view, service.stored_mark(cycle_id))
    service.note(cycle_id, "catatan")  # another terminal writes
    assert run.out_of_date(view, service.stored_mark(cycle_id))
    problem = say("chain.head_unknown")
    assert run.out_of_date(view, (view.version, problem))  # edited in place: same length
    shown = dataclasses.replace(view, integrity_problem=problem)
    assert not run.out_of_date(shown, (view.version, problem))  # already shown read-only
    assert run.out_of_date(shown, (view.version, None))  # put back: writable again


def test_a_letters_date_field_says_why_a_date_is_refused():
    """The form's date field of a document (a validator, without Textual's app): a date that
    is not one, and a date in an absurd year, each said as the engine says them."""
    from langkah.engine.definition import InputKind, InputSpec
    from langkah.tui.widgets.input_form import ValueValidator

    spec = InputSpec(id="nota", label="Nota Dinas", type=InputKind.DOCUMENT)
    validator = ValueValidator(spec, date_only=True)
    assert validator.validate("5/10/2026").is_valid
    not_a_date = validator.validate("31/02/2026")
    assert not not_a_date.is_valid
    assert "tanggal surat bukan tanggal yang ada" in not_a_date.failure_descriptions[0]
    absurd = validator.validate("1899-01-01")
    assert not absurd.is_valid
    assert "tahunnya di luar 2000-2099" in absurd.failure_descriptions[0]
