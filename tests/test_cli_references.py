"""Cycle references (issue 11 part 7): never empty, prefixes of 4+ characters, ambiguity named."""

from __future__ import annotations

import pytest

from tests.cli_support import Cli


@pytest.fixture
def cli(capsys, monkeypatch):
    return Cli(capsys, monkeypatch)


@pytest.mark.parametrize("reference", ["", " ", "\t", "  \n"])
def test_an_empty_or_blank_reference_is_refused_and_cancels_nothing(cli, reference):
    cycle = cli.start()
    err = cli("cancel", reference, "--reason", "uji", status=1)
    assert "empty" in err or "kosong" in err
    assert cli.show(cycle)["status"] == "active"
    for command in (["show", reference], ["show", reference, "--json"], ["report", reference]):
        assert "referensi siklus kosong ditolak" in cli(*command, status=1)


def test_a_prefix_shorter_than_four_characters_is_refused(cli):
    cycle = cli.start()
    err = cli("show", cycle[:3], status=1)
    assert f"'{cycle[:3]}'" in err and "minimal 4 karakter" in err
    err = cli("--lang", "en", "show", cycle[:3], status=1)
    assert f"'{cycle[:3]}'" in err and "at least 4 characters" in err
    cli("show", cycle[:4])  # four characters that match one cycle are enough


def test_an_exact_short_id_is_not_a_prefix_question(cli):
    # exact ids are looked up first; only prefixes need four characters
    cycle = cli.start()
    assert cli.show(cycle)["cycle_id"] == cycle


def test_an_ambiguous_prefix_lists_every_match_with_a_count(cli):
    cycles = sorted(cli.start() for _ in range(7))
    err = cli("complete", "kalipare", status=1)
    assert "7" in err
    for cycle in cycles:  # all of them, not the first five
        assert cycle in err
    for cycle in cycles:
        assert cli.show(cycle)["version"] == 1  # nothing was acted on


def test_an_ambiguous_prefix_with_very_many_matches_is_capped_with_the_count(cli, monkeypatch):
    from langkah import service
    from langkah.store.tinydb_store import TinyDBStore

    ids = [f"kalipare-2026-t3-{i:06x}" for i in range(60)]
    monkeypatch.setattr(TinyDBStore, "cycle_ids", lambda self: ids)
    monkeypatch.setattr(TinyDBStore, "has_cycle", lambda self, ref: False)
    err = cli("show", "kalipare", status=1)
    assert "60" in err
    assert ids[0] in err and ids[service.AMBIGUOUS_CAP - 1] in err
    assert ids[service.AMBIGUOUS_CAP] not in err
    assert f"{60 - service.AMBIGUOUS_CAP}" in err


def test_an_unknown_reference_says_how_to_list_cycles(cli):
    cli.start()
    assert "langkah status" in cli("show", "zzzz-none", status=1)


def test_repair_of_an_empty_reference_is_refused_not_taken_as_every_cycle(cli):
    cli.start()
    assert "kosong" in cli("repair", "", status=1)
