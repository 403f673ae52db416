"""Issue 12: the timeline says values in words, shows a long value whole, and has a header
saying who holds the cycle, at which step, and how late it is."""

from __future__ import annotations

from langkah.engine.events import EventType
from langkah.tui.presenters import timeline
from langkah.tui.screens.timeline import TimelineScreen
from langkah.tui.strings import set_language
from tests.tui.conftest import NOW, advance, settle


def _sent_back(service):
    view = service.start("dawarblandong", "2026-T4")
    at_nine = advance(service, view, 9)
    at_nine = service.record_inputs(
        at_nine.state.cycle_id,
        {s.id: True for s in at_nine.current_step.inputs},
        at_nine.version,
    )
    return service.answer(at_nine.state.cycle_id, False, "Rekap belum lengkap", at_nine.version)


def test_values_in_words_not_as_stored(service):
    set_language("id")
    view = service.start("dawarblandong", "2026-T4")
    view = service.record_inputs(
        view.state.cycle_id,
        {"nota_dinas": {"nomor": "005/12/416-317/2026", "tanggal": "2026-10-01"}},
        view.version,
    )
    events = service.events(view.state.cycle_id)
    recorded = next(e for e in events if e.type == EventType.INPUTS_RECORDED)
    detail = timeline.event_detail(recorded, view.definition, "id")
    assert detail == "Nota Dinas: nomor 005/12/416-317/2026, tanggal 1 Oktober 2026"
    assert "{" not in detail and "=" not in detail


def test_check_value_reads_ada(service):
    set_language("id")
    view = advance(service, service.start("dawarblandong", "2026-T4"), 9)
    spec = view.current_step.inputs[0]
    assert timeline.value_text(spec, True, "id") == "ada"
    assert timeline.value_text(spec, False, "id") == "tidak ada"


def test_answer_says_the_sops_word_and_where_it_leads(service):
    set_language("id")
    back = _sent_back(service)
    answered = next(
        e for e in service.events(back.state.cycle_id) if e.type == EventType.DECISION_ANSWERED
    )
    detail = timeline.event_detail(answered, back.definition, "id")
    assert detail == "tidak setuju → kembali ke langkah 7: Rekap belum lengkap"


def test_header_names_holder_step_and_lateness(demo_service):
    set_language("id")
    overdue = next(r for r in demo_service.overview(NOW).rows if r.kecamatan == "Mentebah")
    view = demo_service.open_cycle(overdue.cycle_id)
    head = timeline.header(view, "id")
    assert head.startswith("Dipegang: ")
    assert "langkah 3 dari" in head and "terlambat " in head


async def test_timeline_screen_has_header_and_full_detail(demo_service, make_app):
    app = make_app(demo_service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "t")  # Dawarblandong, sent back at step 9
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TimelineScreen)
        assert "Dipegang:" in str(screen.query_one("#timeline-head").render())
        await pilot.press("up")  # the last event is highlighted first; up: the answer
        await pilot.pause()
        detail = str(screen.query_one("#timeline-detail").render())
        assert "kembali ke langkah 7" in detail
        assert "arahan Sekcam" in detail  # the long reason whole, wrapped in the pane
        assert "no →" not in detail
