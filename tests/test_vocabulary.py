"""One table of status words, complete, and read by the CLI, the TUI and the report alike."""

from __future__ import annotations

import pytest

from langkah.engine import vocabulary
from langkah.engine.cycle import CycleStatus, Outcome
from langkah.engine.timing import TimeStatus
from langkah.report.content import STATUS_TEXT
from langkah.tui import strings


def test_every_status_and_outcome_has_words_in_both_languages():
    assert set(vocabulary.CYCLE_STATUS) == {s.value for s in CycleStatus}
    assert set(vocabulary.TIME_STATUS) == {s.value for s in TimeStatus}
    assert set(vocabulary.OUTCOME) == {o.value for o in Outcome}
    for table in (vocabulary.CYCLE_STATUS, vocabulary.TIME_STATUS, vocabulary.OUTCOME):
        for indonesian, english in table.values():
            assert indonesian.strip() and english.strip()


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_tui_shows_the_shared_words(lang):
    strings.set_language(lang)
    try:
        for status in CycleStatus:
            assert strings.t(f"status.{status.value}") == vocabulary.cycle_status(status, lang)
        for status in TimeStatus:
            assert strings.t(f"time.{status.value}") == vocabulary.time_status(status, lang)
    finally:
        strings.set_language("id")


def test_the_report_words_come_from_the_table():
    assert STATUS_TEXT[CycleStatus.FINISHED] == "Selesai"
    assert STATUS_TEXT[CycleStatus.ACTIVE] == "Sedang berjalan"
    assert vocabulary.outcome(None) == "sedang berjalan"
    assert vocabulary.outcome(Outcome.NO, "en") == "returned"


def test_answers_mean_what_they_say_and_other_words_are_refused():
    assert [vocabulary.answer(w) for w in ("ya", "Yes", "SETUJU", "tidak", "no")] == [
        True,
        True,
        True,
        False,
        False,
    ]
    with pytest.raises(ValueError) as refused:
        vocabulary.answer("mungkin")
    for word in vocabulary.ANSWERS:
        assert word in str(refused.value)
