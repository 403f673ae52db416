"""Issue 12: `langkah start` refuses a second cycle of the same SOP and period unless asked;
`complete --answer` takes every answer word the help and the SOP's own question offer."""

from __future__ import annotations

import json

import pytest

from langkah.engine import vocabulary
from tests.cli_support import Cli


@pytest.fixture
def cli(capsys, monkeypatch) -> Cli:  # the data folders are temporary (tests/conftest.py)
    return Cli(capsys, monkeypatch)


# -- start: a second cycle of the same SOP and period ------------------------------------------


def _start(cli, period: str = "2026-T3") -> str:
    return cli("start", "kalipare", "--period", period).strip()


def test_a_second_start_is_refused_naming_the_first(cli):
    first = _start(cli)
    err = cli("start", "kalipare", "--period", "2026-T3", status=1)
    assert first in err and "--allow-duplicate" in err
    assert "Tidak dimulai" in err
    assert cli.show(first)["version"] == 1
    assert len(json.loads(cli("status", "--json"))) == 1  # nothing else was started


def test_allow_duplicate_starts_a_second_one(cli):
    first = _start(cli)
    second = cli("start", "kalipare", "--period", "2026-T3", "--allow-duplicate").strip()
    assert second and second != first


def test_other_period_or_cancelled_cycle_is_no_duplicate(cli):
    first = _start(cli)
    assert _start(cli, "2026-T4")  # another period
    cli("cancel", first, "--reason", "periode salah")
    assert _start(cli)  # the first was cancelled


def test_a_retried_start_is_still_acknowledged(cli):
    out, _err = cli.both("start", "kalipare", "--period", "2026-T3", "--action-id", "mulai-1")
    again, err = cli.both("start", "kalipare", "--period", "2026-T3", "--action-id", "mulai-1")
    assert again == out and "sudah tercatat" in err


def test_english_refusal(cli):
    _start(cli)
    err = cli("--lang", "en", "start", "kalipare", "--period", "2026-T3", status=1)
    assert "already has a cycle" in err


# -- complete --answer: every word the help and the question offer ------------------------------


def _value(item: dict) -> str:
    kinds = {"document": "005/1/2026;2026-10-01", "date": "2026-10-01", "number": "1"}
    if item["type"] == "choice":
        return item["choices"][0]
    return kinds.get(item["type"], "ya")


def _at_decision(cli, sop: str) -> str:
    """A cycle at its first decision step, with that step's inputs filled."""
    cycle = cli.start(sop, "2026-T3")
    for _ in range(20):
        current = cli.show(cycle)["current"]
        cli("input", cycle, *[f"{i['id']}={_value(i)}" for i in current["inputs"]])
        if current["decision"]:
            return cycle
        cli("complete", cycle)
    raise AssertionError("no decision step")


@pytest.mark.parametrize("word", ["tidak setuju", "Tidak  Setuju", "tidak", "no", "tidak sesuai"])
def test_every_no_word_returns(cli, word):
    cycle = _at_decision(cli, "mentebah")
    step = cli.show(cycle)["current"]["step"]
    cli("complete", cycle, "--answer", word, "--reason", "belum lengkap")
    data = cli.show(cycle)
    assert data["history"][step - 1]["outcome"] == "no"


@pytest.mark.parametrize("word", ["setuju", "sesuai", "ya", "disetujui"])
def test_every_yes_word_agrees(cli, word):
    cycle = _at_decision(cli, "dawarblandong")
    step = cli.show(cycle)["current"]["step"]
    cli("complete", cycle, "--answer", word)
    assert cli.show(cycle)["current"]["step"] != step


def test_the_help_lists_the_words_of_the_table(cli):
    out = cli("complete", "--help")
    flat = " ".join(out.split())
    for word in vocabulary.ANSWERS:
        assert word in flat


def test_an_unknown_word_names_the_decisions_own_words(cli):
    cycle = _at_decision(cli, "mentebah")
    err = cli("complete", cycle, "--answer", "mungkin", status=1)
    assert "tidak setuju" in err and "setuju" in err


def test_vocabulary_takes_the_decisions_own_labels_first():
    assert vocabulary.answer("Lanjut", "lanjut", "ulang") is True
    assert vocabulary.answer("ULANG", "lanjut", "ulang") is False
    assert vocabulary.answer("tidak  setuju") is False
    with pytest.raises(ValueError, match="tidak setuju"):
        vocabulary.answer("mungkin")
