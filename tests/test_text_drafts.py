"""Drafts of what is typed in the run screen's dialogs (notes, reasons, people), kept by the
service beside the form's draft: each slot on its own, durable, never clobbering the other."""

from __future__ import annotations

from langkah.service import Langkah


def _service(tmp_path) -> tuple[Langkah, str]:
    service = Langkah.open(tmp_path / "data", tmp_path / "defs")
    return service, service.start("dawarblandong", "2026-T4").state.cycle_id


def test_a_dialog_draft_survives_a_new_service_and_the_forms_draft(tmp_path):
    service, cycle = _service(tmp_path)
    service.save_text_draft(cycle, "note", {"visit": 1, "step": 1, "round": 1, "text": "rapat 😀"})
    service.save_draft(cycle, {"visit": 1, "step": 1, "round": 1, "values": {"x": "1"}})
    reopened = Langkah.open(tmp_path / "data", tmp_path / "defs")
    assert reopened.text_drafts(cycle)["note"]["text"] == "rapat 😀"
    assert reopened.load_draft(cycle)["values"] == {"x": "1"}
    reopened.clear_draft(cycle)  # the form's draft goes, the note's stays
    assert reopened.text_drafts(cycle)["note"]["text"] == "rapat 😀"
    assert reopened.load_draft(cycle).get("values") is None


def test_slots_are_cleared_one_at_a_time_and_the_file_goes_with_the_last(tmp_path):
    service, cycle = _service(tmp_path)
    service.save_text_draft(cycle, "note", {"text": "a"})
    service.save_text_draft(cycle, "pause", {"text": "b"})
    service.save_text_draft(cycle, "note", {"text": "c"})
    assert service.text_drafts(cycle) == {"note": {"text": "c"}, "pause": {"text": "b"}}
    service.clear_text_draft(cycle, "note")
    assert service.text_drafts(cycle) == {"pause": {"text": "b"}}
    service.clear_text_draft(cycle, "missing")  # nothing to clear is fine
    service.clear_text_draft(cycle, "pause")
    assert service.load_draft(cycle) is None
    assert service.text_drafts(cycle) == {}


def test_clearing_a_dialog_draft_keeps_the_forms_draft(tmp_path):
    service, cycle = _service(tmp_path)
    service.save_draft(cycle, {"visit": 1, "values": {"x": "1"}})
    service.save_text_draft(cycle, "people", {"roles": {"camat": {"name": "Siti"}}})
    service.clear_text_draft(cycle, "people")
    assert service.load_draft(cycle) == {"visit": 1, "values": {"x": "1"}}
