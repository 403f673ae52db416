"""Typed values and definition checks that mutation testing showed unchecked (docs/testing.md)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from langkah.engine.definition import (
    Actor,
    InputKind,
    InputSpec,
    SopDefinition,
    Step,
    WorkingHours,
)
from langkah.engine.errors import ActionRefused
from langkah.engine.inputs import format_value, parse_value
from tests.engine_support import bundled

NUMBER = InputSpec(id="jumlah", label="Jumlah", type=InputKind.NUMBER)
CHECK = InputSpec(id="dpa", label="DPA", type=InputKind.CHECK)
DOCUMENT = InputSpec(id="nota", label="Nota dinas", type=InputKind.DOCUMENT)
CHOICE = InputSpec(
    id="hasil", label="Hasil", type=InputKind.CHOICE, choices=("Lengkap", "Belum lengkap")
)


def refusal(spec: InputSpec, raw: object) -> str:
    with pytest.raises(ActionRefused) as caught:
        parse_value(spec, raw)
    assert caught.value.code == "bad_value"
    return caught.value.message("id")


# --- numbers ----------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["inf", "-inf", "nan", "Infinity"])
def test_a_number_that_is_not_finite_is_refused(typed):
    assert f"Nilai '{typed}' tidak sesuai untuk 'Jumlah'" in refusal(NUMBER, typed)


@pytest.mark.parametrize(("typed", "stored"), [("12", 12), ("1.234,0", 1234), ("12,0", 12)])
def test_a_whole_number_is_stored_as_an_integer(typed, stored):
    value = parse_value(NUMBER, typed)
    assert value == stored
    assert type(value) is int  # JSON shows 12, not 12.0


def test_a_long_refused_value_is_shortened_to_forty_characters():
    typed = "x" * 50
    message = refusal(NUMBER, typed)
    assert f"'{'x' * 37}...'" in message


# --- checks, documents, choices ---------------------------------------------------------------


def test_a_check_reads_as_present_or_absent():
    assert format_value(CHECK, True) == "ada"
    assert format_value(CHECK, False) == "tidak ada"
    assert format_value(CHECK, True, "en") == "present"
    assert format_value(CHECK, False, "en") == "absent"


@pytest.mark.parametrize("typed", [";2026-10-01", "  ;2026-10-01", "001/2026;", "001/2026; "])
def test_a_document_needs_both_its_number_and_its_date(typed):
    assert "'Nota dinas'" in refusal(DOCUMENT, typed)


def test_a_choice_is_matched_whatever_its_position_and_case():
    assert parse_value(CHOICE, "belum LENGKAP ") == "Belum lengkap"
    assert parse_value(CHOICE, "lengkap") == "Lengkap"
    assert "Lengkap, Belum lengkap" in refusal(CHOICE, "sebagian")


# --- definition fields ------------------------------------------------------------------------


def test_definition_text_is_stripped_and_blank_text_refused():
    assert Actor(id="camat", title="  Camat  ").title == "Camat"
    with pytest.raises(ValidationError):
        Actor(id="camat", title="   ")
    with pytest.raises(ValidationError):
        Step(number=1, activity="  ")


@pytest.mark.parametrize(
    "intervals",
    [("10:00-10:05",), ("07:30-12:00", "12:00-16:00"), ("23:00-24:00",), ("00:00-00:01",)],
)
def test_short_and_adjacent_working_intervals_are_accepted(intervals):
    hours = WorkingHours(sat=intervals)
    first = intervals[0]
    start = int(first[:2]) * 60 + int(first[3:5])
    assert hours.minutes(5)[0][0] == start


@pytest.mark.parametrize(
    "intervals", [("10:05-10:00",), ("10:00-10:00",), ("07:30-12:00", "11:59-16:00")]
)
def test_backward_empty_and_overlapping_intervals_are_refused(intervals):
    with pytest.raises(ValidationError, match="must end after it starts"):
        WorkingHours(mon=intervals)


def test_a_step_names_its_actors_by_title():
    definition = bundled().definition
    assert definition.actor("tim_sakip").title == "Tim SAKIP"
    assert definition.actor_titles(definition.step(2)) == "Sekcam, Tim SAKIP"
    assert definition.actor_titles(definition.step(11)) == "-"
    with pytest.raises(KeyError):
        definition.actor("lurah")


def test_a_large_whole_number_is_shown_in_full():
    assert format_value(NUMBER, 1234567) == "1234567"
    assert format_value(NUMBER, 1234567, "en") == "1234567"
    assert format_value(NUMBER, 2.5) == "2,5"
    assert format_value(NUMBER, 2.5, "en") == "2.5"


def test_a_document_reads_as_its_number_and_date():
    value = parse_value(DOCUMENT, "001/2026; 1-10-2026")
    assert value == {"nomor": "001/2026", "tanggal": "2026-10-01"}
    assert format_value(DOCUMENT, value) == "001/2026 tgl. 2026-10-01"
    assert format_value(DOCUMENT, value, "en") == "001/2026 (2026-10-01)"
    assert format_value(DOCUMENT, None) == "-"


def test_a_refused_value_of_forty_characters_is_shown_whole():
    typed = "y" * 40
    assert f"'{typed}'" in refusal(NUMBER, typed)


def test_a_refused_value_of_forty_one_characters_is_shortened():
    typed = "z" * 41
    assert f"'{'z' * 37}...'" in refusal(NUMBER, typed)


def test_an_sop_without_steps_is_refused():
    data = bundled().definition.model_dump()
    data["steps"] = []
    with pytest.raises(ValidationError, match="steps"):
        SopDefinition.model_validate(data)


def test_a_check_reads_yes_and_no_words_and_refuses_others():
    assert parse_value(CHECK, "Tidak") is False
    assert parse_value(CHECK, "belum") is False
    assert parse_value(CHECK, "ada") is True
    assert "'mungkin'" in refusal(CHECK, "mungkin")


def test_a_step_is_numbered_from_one():
    assert Step(number=1, activity="Terima berkas").number == 1
    with pytest.raises(ValidationError, match="greater than or equal to 1"):
        Step(number=0, activity="Terima berkas")
