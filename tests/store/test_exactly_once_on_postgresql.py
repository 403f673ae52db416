"""Exactly-once actions (action ids, --expect-*, a concurrent retry that loses the race) again on
the PostgreSQL store: the tests of tests/test_exactly_once.py, unchanged, with LANGKAH_STORE
naming a PostgreSQL schema."""

from __future__ import annotations

import pytest

from langkah.service import Langkah
from tests.engine_support import StepClock
from tests.test_exactly_once import (  # noqa: F401  (collected here a second time)
    cli,
    test_a_resent_complete_is_acknowledged_and_not_applied_twice,
    test_a_retry_after_a_lost_ack_is_acknowledged_even_with_its_stale_expectations,
    test_expect_version_refuses_unless_the_log_has_that_many_events,
    test_start_with_an_action_id_starts_one_cycle_only,
    test_the_loser_of_a_concurrent_retry_checks_the_id_before_reporting_a_conflict,
)

pytestmark = [pytest.mark.needs_postgresql, pytest.mark.usefixtures("on_postgresql")]


# -- an action's first read and append take no lock (`optimistic_appends`) -------------------


def _two_writers(tmp_path):
    clock = StepClock()
    a = Langkah.open(tmp_path / "data", tmp_path / "defs", clock=clock)
    b = Langkah.open(tmp_path / "data", tmp_path / "defs", clock=clock)
    cid = a.start("kalipare", "2026-T3").state.cycle_id
    a.note(cid, "pertama")  # a's store keeps the log it wrote: its next action reads nothing
    assert a.store.optimistic_appends
    return a, b, cid


def _racing(monkeypatch, a, before):
    """a's next append first lets `before` run (another writer landing between a's read and
    its append); the appends a makes, counted."""
    real = a.store.append
    calls: list[int] = []

    def append(*args, **kwargs):
        calls.append(args[1])
        if len(calls) == 1:
            before()  # would wait for a's lock, and time out, if a held it
        return real(*args, **kwargs)

    monkeypatch.setattr(a.store, "append", append)
    return calls


def test_two_writers_racing_with_one_action_id_apply_it_once(tmp_path, monkeypatch):
    a, b, cid = _two_writers(tmp_path)
    calls = _racing(monkeypatch, a, lambda: b.note(cid, "sama", event_id="catatan-sama"))
    view = a.note(cid, "sama", event_id="catatan-sama")
    assert calls == [2]  # lost the race; the id was found when the log was read again
    assert view.already_recorded and view.recorded_seq == 3
    assert [e.id for e in a.events(cid)].count("catatan-sama") == 1
    assert a.events(cid)[-1].seq == 3


def test_a_lost_race_with_another_action_is_made_again_and_both_land(tmp_path, monkeypatch):
    a, b, cid = _two_writers(tmp_path)
    calls = _racing(monkeypatch, a, lambda: b.note(cid, "lain"))
    view = a.note(cid, "punyaku")
    assert calls == [2, 3]  # made again on the new state (under the cycle's lock)
    assert not view.already_recorded and view.version == 4
    texts = [e.data.get("text") for e in a.events(cid)]
    assert texts[-3:] == ["pertama", "lain", "punyaku"]
    assert a.note(cid, "lagi").version == 5  # the next action is optimistic again
