"""Kelengkapan values: what a typed value means, and when a required item counts as present."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from langkah.engine import actions
from langkah.engine.definition import InputKind, InputSpec, Step
from langkah.engine.errors import ActionRefused
from langkah.engine.inputs import is_filled, missing_inputs, parse_value
from tests.test_engine_actions import D, Run

NUMBER = InputSpec(id="jumlah", label="Jumlah", type=InputKind.NUMBER)
CHECK = InputSpec(id="surat", label="Surat", type=InputKind.CHECK)
OPTIONAL = InputSpec(id="lampiran", label="Lampiran", type=InputKind.CHECK, required=False)
STEP = Step(number=1, activity="Periksa", inputs=(CHECK, OPTIONAL, NUMBER))


# --- numbers: "." groups thousands, "," marks decimals --------------------------------------------

NUMBERS = {
    "1.234,5": 1234.5,
    "1.234": 1234,
    "12.345.678": 12345678,
    "12.345.678,25": 12345678.25,
    "1234,5": 1234.5,
    "0,5": 0.5,
    "-2,25": -2.25,
    "+3": 3,
    "12": 12,
    "12,5": 12.5,
    "12.5": 12.5,  # a lone decimal point, as English keyboards and JSON write it
    "0.500": 0.5,  # no group starts with 0: a decimal point
    "1.2345": 1.2345,
    " 1 234,5 ": 1234.5,
    "-0": 0,
}

NOT_NUMBERS = [
    "1,2,3",
    "1,234.5",
    "1.23,4",
    "1.2.3",
    "1.234.5",
    ",5",
    "5,",
    "1e3",
    "nan",
    "inf",
    "1_000",
    "--1",
    "12 kg",
    "١٢",  # digits of another script
]


@pytest.mark.parametrize(("text", "value"), NUMBERS.items(), ids=NUMBERS.keys())
def test_indonesian_numbers_mean_what_they_say(text, value):
    parsed = parse_value(NUMBER, text)
    assert parsed == value
    assert type(parsed) is type(value)


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_ambiguous_or_foreign_numbers_are_refused_naming_the_item(text):
    with pytest.raises(ActionRefused) as refused:
        parse_value(NUMBER, text)
    assert refused.value.code == "bad_value" and refused.value.params["item"] == "Jumlah"


@pytest.mark.parametrize(("given_value", "stored"), [(1.234, 1.234), (1234, 1234), (12.0, 12)])
def test_a_json_number_is_kept_as_it_is(given_value, stored):
    assert parse_value(NUMBER, given_value) == stored


@given(st.integers(min_value=-(10**12), max_value=10**12), st.integers(min_value=0, max_value=99))
def test_any_number_written_the_indonesian_way_reads_back(whole, cents):
    grouped = f"{abs(whole):,}".replace(",", ".")
    sign = "-" if whole < 0 else ""
    assert parse_value(NUMBER, f"{sign}{grouped}") == whole
    text = f"{sign}{grouped},{cents:02d}"
    assert parse_value(NUMBER, text) == pytest.approx(
        float(f"{sign}{abs(whole)}.{cents:02d}"), rel=0, abs=1e-9 * max(1, abs(whole))
    )


# --- checks: "tidak" is an answer, not a presence -----------------------------------------------


@pytest.mark.parametrize("word", ["tidak", "Tidak", "belum", "tidak ada", "no", "0", False])
def test_a_check_answered_no_is_recorded_as_absent(word):
    assert parse_value(CHECK, word) is False
    assert not is_filled(CHECK, False)


def test_a_required_check_answered_no_is_still_missing():
    assert missing_inputs(STEP, {"surat": False, "jumlah": 3}) == [CHECK]
    assert missing_inputs(STEP, {"surat": True, "jumlah": 3}) == []
    assert missing_inputs(STEP, {"surat": True}) == [NUMBER]
    assert missing_inputs(STEP, {"surat": True, "lampiran": False, "jumlah": 0}) == []


def test_a_step_cannot_be_completed_with_its_document_answered_tidak():
    run = Run()
    run.finish_step()
    run.finish_step()
    run.finish_step()  # step 4: six required documents (checks)
    assert run.state.current_step == 4
    values = {s.id: "ada" for s in D.step(4).inputs}
    run.do(actions.record_inputs, {**values, "renja": "tidak"})
    assert run.state.visits[-1].inputs["renja"] is False
    with pytest.raises(ActionRefused) as refused:
        run.do(actions.complete)
    assert refused.value.code == "missing_inputs"
    assert refused.value.params["items"] == D.step(4).inputs[2].label
    run.do(actions.record_inputs, {"renja": "ada"})
    run.do(actions.complete)
    assert run.state.current_step == 5


# -- what a refusal says: the item, and what is expected, never a Python value ----------------


def test_an_impossible_date_is_called_an_invalid_date():
    spec = InputSpec(id="tgl", label="Tanggal rapat", type=InputKind.DATE)
    with pytest.raises(ActionRefused) as refused:
        parse_value(spec, "31/02/2026")
    message = refused.value.message("id")
    assert "Tanggal rapat" in message and "31/02/2026" in message
    assert "bukan tanggal yang ada" in message
    assert "not a real date" in refused.value.message("en")


def test_a_document_refusal_shows_what_was_typed_not_a_dict():
    spec = InputSpec(id="nota", label="Nota Dinas", type=InputKind.DOCUMENT)
    with pytest.raises(ActionRefused) as refused:
        parse_value(spec, {"nomor": "005/1", "tanggal": ""})
    message = refused.value.message("id")
    assert "{" not in message and "'nomor'" not in message
    assert "005/1" in message and "nomor surat dan tanggalnya" in message
    with pytest.raises(ActionRefused) as refused:
        parse_value(spec, {"nomor": "005/1", "tanggal": "31/02/2026"})
    message = refused.value.message("id")
    assert "'31/02/2026'" in message and "tanggal surat bukan tanggal yang ada" in message


@pytest.mark.parametrize(
    "typed", ["1899-01-01", "1999-12-31", "31/12/9999", "2100-01-01", "1/1/0001"]
)
@pytest.mark.parametrize("kind", [InputKind.DATE, InputKind.DOCUMENT])
def test_a_date_in_an_absurd_year_is_refused_naming_the_span(typed, kind):
    spec = InputSpec(id="tgl", label="Nota Dinas", type=kind)
    raw = typed if kind == InputKind.DATE else f"005/ND/2026;{typed}"
    with pytest.raises(ActionRefused) as refused:
        parse_value(spec, raw)
    message = refused.value.message("id")
    assert typed in message and "Nota Dinas" in message
    assert "tahunnya di luar 2000-2099" in message
    assert "outside 2000-2099" in refused.value.message("en")


@pytest.mark.parametrize("typed", ["2000-01-01", "31/12/2099", "5/10/2026"])
def test_the_edges_of_the_date_span_are_accepted(typed):
    spec = InputSpec(id="tgl", label="Tanggal", type=InputKind.DATE)
    assert parse_value(spec, typed)[:4] in ("2000", "2099", "2026")
    document = InputSpec(id="nota", label="Nota", type=InputKind.DOCUMENT)
    assert parse_value(document, {"nomor": "1", "tanggal": typed})["nomor"] == "1"
