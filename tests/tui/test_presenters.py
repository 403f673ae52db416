"""The screens' decisions, tested as plain Python: no app, no Pilot, no terminal."""

from __future__ import annotations

import dataclasses

import pytest

from langkah.engine.cycle import CycleStatus
from langkah.engine.timing import TimeStatus
from langkah.service import OverviewRow, SummaryQuery
from langkah.tui.presenters import overview, run, start, variants
from langkah.tui.strings import set_language, t
from tests.tui.conftest import NOW, advance, fill


@pytest.fixture(autouse=True)
def indonesian():
    set_language("id")


@pytest.fixture
def returned_to_seven(service):
    """Dawarblandong sent back from step 9 to step 7: (view at 7 round 1, view at 7 round 2)."""
    view = service.start("dawarblandong", "2026-T4")
    at_seven = advance(service, view, 7)
    at_nine = fill(service, advance(service, at_seven, 9))
    back = service.answer(at_nine.state.cycle_id, False, "Rekap belum lengkap", at_nine.version)
    return at_seven, back


# -- run: drafts -----------------------------------------------------------------------------


def test_a_draft_belongs_to_its_own_visit_only(returned_to_seven):
    first, again = returned_to_seven
    assert first.state.current_step == again.state.current_step == 7
    typed = {"kertas_kerja": True}
    draft_first = run.make_draft(first.state, typed)
    assert run.draft_matches(draft_first, first.state)
    # Round 2 of step 7 is a later visit: what was typed in round 1 is not brought back.
    assert not run.draft_matches(draft_first, again.state)
    assert run.draft_matches(run.make_draft(again.state, typed), again.state)


def test_a_draft_of_another_step_or_of_a_closed_cycle_is_not_restored(service):
    view = service.start("dawarblandong", "2026-T4")
    draft = run.make_draft(view.state, {"nota_dinas": ["005/1/2026", ""]})
    assert draft["values"]["nota_dinas"] == ["005/1/2026", ""]
    later = advance(service, view, 2)
    assert not run.draft_matches(draft, later.state)
    assert not run.draft_matches(None, view.state)
    cancelled = service.cancel(view.state.cycle_id, "uji", later.version)
    assert not run.draft_matches(run.make_draft(later.state, {"x": 1}), cancelled.state)


# -- run: keys from the engine's allowed actions ---------------------------------------------


def test_keys_follow_the_engines_allowed_actions(service, returned_to_seven):
    view = service.start("dawarblandong", "2026-T4")
    assert run.key_state(view, "complete") is True
    assert run.key_state(view, "answer_yes") is False  # not a decision step
    assert run.key_state(view, "pause") is True
    assert run.key_state(view, "resume") is False
    assert run.key_state(None, "complete") is None

    paused = service.pause(view.state.cycle_id, "rapat", view.version)
    assert run.key_state(paused, "complete") is None  # shown, not allowed while paused
    assert run.key_state(paused, "pause") is False
    assert run.key_state(paused, "resume") is True
    assert run.key_state(paused, "note") is True

    _, back = returned_to_seven
    at_nine = advance(service, back, 9, round=2)
    assert run.key_state(at_nine, "answer_no") is True
    assert run.key_state(at_nine, "complete") is False


def test_where_a_return_came_from(returned_to_seven):
    first, again = returned_to_seven
    assert run.return_origin(first.state) is None
    assert run.return_origin(again.state) == run.ReturnOrigin(9, "Rekap belum lengkap")
    words = run.step_text(again, "id")
    assert "9" in words.returned and "Rekap belum lengkap" in words.returned
    assert run.step_text(first, "id").returned == ""


def test_typed_values_the_engine_refuses_are_named(service):
    view = service.start("dawarblandong", "2026-T4")
    step = view.current_step
    valid, problems = run.split_pending(
        step, {"nota_dinas": {"nomor": "005/1/2026", "tanggal": "32/13/2026"}}, "id"
    )
    assert valid == {} and len(problems) == 1
    valid, problems = run.split_pending(
        step, {"nota_dinas": {"nomor": "005/1/2026", "tanggal": "5/10/2026"}}, "id"
    )
    assert set(valid) == {"nota_dinas"} and problems == []


# -- overview --------------------------------------------------------------------------------


def _overdue_row(demo_service) -> OverviewRow:
    rows = demo_service.overview(NOW).rows
    return next(r for r in rows if r.timing is not None and r.timing.status == TimeStatus.OVERDUE)


def _with_status(row: OverviewRow, status: TimeStatus) -> OverviewRow:
    assert row.timing is not None
    return dataclasses.replace(row, timing=row.timing.model_copy(update={"status": status}))


def test_the_overdue_filter_admits_only_overdue_rows(demo_service):
    # the overview's filters are taken in the store (tests/store/test_query.py has the rest)
    overdue = demo_service.overview_page(SummaryQuery(now=NOW, status="overdue")).rows
    assert overdue and all(r.timing.status == TimeStatus.OVERDUE for r in overdue)
    rows = demo_service.overview(NOW).rows
    assert [r.cycle_id for r in overdue] == [r.cycle_id for r in rows if r.is_overdue]


def test_filters_by_kecamatan_period_and_status(demo_service):
    def page(**filters):
        return demo_service.overview_page(SummaryQuery(now=NOW, **filters)).rows

    rows = demo_service.overview(NOW).rows
    assert [r.cycle_id for r in page()] == [r.cycle_id for r in rows]
    assert {r.kecamatan for r in page(unit="Kalipare")} == {"Kalipare"}
    finished = page(status="finished")
    assert finished and all(r.status == CycleStatus.FINISHED for r in finished)
    opened = page(status="open")
    assert opened and all(r.status_is_open for r in opened)
    period = rows[0].period
    assert all(r.period == period for r in page(period=period))


def test_overview_days_use_the_sops_own_working_day(demo_service):
    row = _overdue_row(demo_service)
    assert row.timing is not None
    assert row.day_minutes == 450  # Perpres 21/2023 hours in the bundled SOPs
    timing = row.timing.model_copy(update={"elapsed_minutes": 470.0, "overdue_minutes": 470.0})
    short_day = dataclasses.replace(row, timing=timing, day_minutes=450.0)
    long_day = dataclasses.replace(row, timing=timing, day_minutes=480.0)
    status = "ov.col.status"
    assert overview.cells(short_day, "id")[status].text == "terlambat 1 hari 20 menit"
    assert overview.cells(long_day, "id")[status].text == "terlambat 7 jam 50 menit"
    assert overview.cells(long_day, "id")[status].tone == "error-bold"


def test_overview_cells_mark_overdue_and_near_limit(demo_service):
    row = _overdue_row(demo_service)
    cells = overview.cells(row, "id")
    assert cells["ov.col.time"].tone == "error"
    assert cells["ov.col.status"].text.startswith(t("time.overdue"))
    near = overview.cells(_with_status(row, TimeStatus.NEAR_LIMIT), "id")
    assert near["ov.col.time"].tone == "warning"
    assert near["ov.col.status"].text == f"{t('status.active')}, {t('time.near_limit')}"


# -- start and variants ----------------------------------------------------------------------


def test_start_form_decisions(service):
    assert str(start.default_period(NOW)) == "2026-T4"
    assert start.start_request(None, "2026-T4").problem
    assert start.start_request("dawarblandong", "2026-T9").problem
    request = start.start_request("dawarblandong", "2026-T4")
    assert request.sop_id == "dawarblandong" and str(request.period) == "2026-T4"
    labels = [label for label, _ in start.variant_options(service.catalog.summaries())]
    assert any(label.startswith("Dawarblandong") for label in labels)


def test_marking_and_comparing_variants():
    marked = variants.toggle_mark([], "a")
    marked = variants.toggle_mark(marked, "b")
    marked = variants.toggle_mark(marked, "c")
    assert marked == ["b", "c"]
    assert variants.toggle_mark(marked, "b") == ["c"]
    assert variants.compare_pair(["b", "c"], "a", "d") == ["b", "c"]
    assert variants.compare_pair(["c"], "a", "d") == ["a", "d"]
    assert variants.compare_pair([], "a", "a") == []


def test_interface_strings_show_their_parameters_through_the_sanitiser():
    from langkah.tui.strings import t

    assert t("run.cancelled", reason="\x1b[2J\u202e") == "Siklus dibatalkan: \\x1b[2J\\u202e"
    assert t("run.step", n=3, total=12) == "Langkah 3 dari 12"


def test_a_field_draws_each_unsafe_character_as_one_glyph_and_keeps_its_value():
    from langkah.tui.widgets.safe_input import glyphs

    value = "a\x1b[2J\x07\x9b\u202eb\td"
    drawn = glyphs(value)
    assert drawn == "a␛[2J␇\ufffd\ufffdb␉d"
    assert len(drawn) == len(value)  # the cursor still lines up with the value
    assert glyphs("Budi Santoso, S.Sos") == "Budi Santoso, S.Sos"


def test_what_changed_elsewhere_is_said_in_words(tmp_path):
    from langkah.service import Langkah
    from langkah.tui.presenters.run import describe_changes
    from tests.tui.conftest import advance, fill, fixed_clock

    data, defs = tmp_path / "data", tmp_path / "defs"
    siti = Langkah.open(data, defs, clock=fixed_clock, recorder="Siti")
    seen = fill(siti, advance(siti, siti.start("dawarblandong", "2026-T4"), 3))
    budi = Langkah.open(data, defs, clock=fixed_clock, recorder="Budi \x1b[2J")
    view = budi.complete(seen.state.cycle_id, seen.version)
    view = budi.note(seen.state.cycle_id, "satu", None, view.version)
    view = budi.note(seen.state.cycle_id, "dua", None, view.version)
    changes = [e for e in budi.events(seen.state.cycle_id) if e.seq > seen.version]
    assert describe_changes(changes, view.definition) == (
        "langkah 3 diselesaikan oleh Budi \\x1b[2J; 2 catatan ditambahkan oleh Budi \\x1b[2J"
    )
    # an edit in place (no new event): said as what it is, not as something unreadable
    assert describe_changes([], view.definition) == "isi log berubah tanpa peristiwa baru"


def test_errors_shown_in_the_tui_speak_its_language():
    from langkah.store import CycleNotFound
    from langkah.tui.strings import said, set_language

    try:
        set_language("id")
        assert "bukan periode" in start.start_request("dawarblandong", "2026-T9").problem
        assert "bukan periode" in start.period_label("2026-T9", "id")
        set_language("en")
        assert "is not a period" in start.start_request("dawarblandong", "2026-T9").problem
        assert said(CycleNotFound("no cycle 'x'")) == "no cycle 'x'"  # English as given
        assert said(RuntimeError()) == "RuntimeError"  # never an empty message
    finally:
        set_language("id")
