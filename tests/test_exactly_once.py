"""Exactly-once actions: an action id is the event id; a retried action is acknowledged as
already recorded and never applied twice; --expect-step / --expect-version refuse an action
taken on a state the caller has not seen (issue 11, part 1)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from langkah.engine.errors import ActionRefused
from langkah.service import (
    ActionIdReused,
    ConflictError,
    InvalidActionId,
    Langkah,
    NotAsExpected,
)
from tests.cli_support import Cli
from tests.engine_support import StepClock


@pytest.fixture
def cli(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("LANGKAH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("LANGKAH_DEFS_DIR", str(tmp_path / "defs"))
    return Cli(capsys, monkeypatch)


def _log(cli, cycle):
    return cli.show(cycle)["events"]


def _fill(cli, cycle):
    """Tick the current step's required check, so that it can be completed."""
    for item in cli.show(cycle)["current"]["inputs"]:
        cli("input", cycle, f"{item['id']}=ya")


# -- the CLI ----------------------------------------------------------------------------------


def test_a_resent_complete_is_acknowledged_and_not_applied_twice(cli):
    cycle = cli.start()
    _fill(cli, cycle)
    first = cli("complete", cycle, "--action-id", "selesai-1")
    assert "selesai-1" in first
    _fill(cli, cycle)  # step 2 could be completed too: a replayed complete would do it
    again = cli("complete", cycle, "--action-id", "selesai-1")  # the acknowledgement was lost
    assert "sudah tercatat" in again and "#3" in again
    events = _log(cli, cycle)
    assert [e["type"] for e in events] == [
        "started",
        "inputs_recorded",
        "step_completed",
        "inputs_recorded",
    ]
    assert cli.show(cycle)["current"]["step"] == 2
    english = cli("--lang", "en", "complete", cycle, "--action-id", "selesai-1")
    assert "already recorded" in english


@pytest.mark.parametrize(
    "command",
    [
        ("input", "{c}", "data_kinerja_iku=ya"),
        ("complete", "{c}"),
        ("pause", "{c}", "--reason", "tunggu"),
        ("note", "{c}", "catatan"),
        ("roles", "{c}", "--role", "tim=Budi;NI PPPK 1;IV/a"),
    ],
    ids=lambda c: c[0],
)
def test_every_mutating_command_prints_its_action_id_in_json(cli, command):
    cycle = cli.start()
    if command[0] == "complete":
        _fill(cli, cycle)
    before = len(_log(cli, cycle))
    args = [a.format(c=cycle) for a in command]
    doc = json.loads(cli(*args, "--json"))
    assert doc["recorded"] is True and doc["already_recorded"] is False
    assert doc["cycle_id"] == cycle and doc["version"] == before + 1 == doc["event_seq"]
    assert _log(cli, cycle)[-1]["id"] == doc["action_id"]
    retry = json.loads(cli(*args, "--json", "--action-id", doc["action_id"]))
    assert retry["already_recorded"] is True and retry["recorded"] is False
    assert retry["event_seq"] == before + 1 and len(_log(cli, cycle)) == before + 1


def test_an_action_id_is_generated_when_absent_and_printed(cli):
    cycle = cli.start()
    out = cli("note", cycle, "satu")
    shown = out.split("aksi:")[1].strip()
    assert _log(cli, cycle)[-1]["id"] == shown


def test_start_with_an_action_id_starts_one_cycle_only(cli):
    out, err = cli.both("start", "kalipare", "--period", "2026-T3", "--action-id", "mulai-7")
    again, err2 = cli.both("start", "kalipare", "--period", "2026-T3", "--action-id", "mulai-7")
    assert out == again and "sudah tercatat" in err2 and "mulai-7" in err
    assert len(json.loads(cli("status", "--json"))) == 1


def test_expect_step_refuses_naming_where_the_cycle_is(cli):
    cycle = cli.start()
    _fill(cli, cycle)
    cli("complete", cycle)
    _fill(cli, cycle)
    err = cli("complete", cycle, "--expect-step", "1", status=1)
    assert "diharapkan di langkah 1" in err and "di langkah 2, status berjalan, versi 4" in err
    assert "peristiwa terakhir #4: inputs_recorded di langkah 2" in err
    err = cli("--lang", "en", "complete", cycle, "--expect-step", "1", status=1)
    assert "expected step 1" in err and "at step 2, status active, version 4" in err
    assert "last event #4: inputs_recorded at step 2" in err
    assert len(_log(cli, cycle)) == 4
    cli("complete", cycle, "--expect-step", "2")
    assert len(_log(cli, cycle)) == 5


def test_expect_version_refuses_unless_the_log_has_that_many_events(cli):
    cycle = cli.start()
    cli("note", cycle, "dari orang lain")
    err = cli("pause", cycle, "--reason", "x", "--expect-version", "1", status=1)
    assert "diharapkan versi 1" in err and "versi 2" in err and "note_added" in err
    assert len(_log(cli, cycle)) == 2
    cli("pause", cycle, "--reason", "x", "--expect-version", "2")
    assert _log(cli, cycle)[-1]["type"] == "paused"


def test_a_retry_after_a_lost_ack_is_acknowledged_even_with_its_stale_expectations(cli):
    cycle = cli.start()
    _fill(cli, cycle)
    expect = ("--expect-step", "1", "--expect-version", "2", "--action-id", "k1")
    cli("complete", cycle, *expect)
    out = cli("complete", cycle, *expect)
    assert "sudah tercatat" in out and len(_log(cli, cycle)) == 3


@pytest.mark.parametrize("bad", ["", "a b", "x\x1b[2J", "a\u202eb", "x" * 101])
def test_an_unusable_action_id_is_refused(cli, bad):
    cycle = cli.start()
    err = cli("note", cycle, "n", "--action-id", bad, status=2)
    assert "--action-id" in err and "\x1b" not in err
    assert len(_log(cli, cycle)) == 1


def test_an_action_id_of_another_kind_of_action_is_refused(cli):
    cycle = cli.start()
    cli("note", cycle, "n", "--action-id", "sama")
    err = cli("complete", cycle, "--action-id", "sama", status=1)
    assert "sama" in err and "note_added" in err
    assert len(_log(cli, cycle)) == 2


# -- the service ------------------------------------------------------------------------------


@pytest.fixture
def app(tmp_path):
    return Langkah.open(tmp_path / "data", tmp_path / "defs", clock=StepClock())


def test_service_actions_take_expected_step(app):
    cid = app.start("kalipare", "2026-T3").state.cycle_id
    with pytest.raises(NotAsExpected, match="expected step 2"):
        app.submit(cid, {"data_kinerja_iku": "ya"}, expected_step=2)
    assert app.submit(cid, {"data_kinerja_iku": "ya"}, expected_step=1).state.current_step == 2
    with pytest.raises(InvalidActionId):
        app.note(cid, "x", event_id="")
    with pytest.raises(ActionIdReused):
        app.pause(cid, "x", event_id=app.events(cid)[-1].id)


class Interleaving:
    """A store whose next append first lets `before` run (another process's write landing
    between this one's read and its write); everything else is the wrapped store's."""

    def __init__(self, store):
        self._store = store
        self.before = None

    def exclusive(self, cycle_id):  # no lock: the read and the write may be interleaved
        return contextlib.nullcontext()

    def append(self, *args, **kwargs):
        before, self.before = self.before, None
        if before is not None:
            before()
        return self._store.append(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._store, name)


def test_the_loser_of_a_concurrent_retry_checks_the_id_before_reporting_a_conflict(tmp_path):
    clock = StepClock()
    a = Langkah.open(tmp_path / "data", tmp_path / "defs", clock=clock)
    b = Langkah.open(tmp_path / "data", tmp_path / "defs", clock=clock)
    cid = a.start("kalipare", "2026-T3").state.cycle_id
    a.store = Interleaving(a.store)
    values = {"data_kinerja_iku": "ya"}
    a.store.before = lambda: b.submit(cid, values, event_id="sama")  # the same retry, elsewhere
    view = a.submit(cid, values, event_id="sama", expected_version=1)
    assert view.already_recorded and view.recorded_seq == 3
    assert [e.id for e in a.events(cid)].count("sama") == 1
    # a different action that loses the race with an expected version: refused, not applied
    a.store.before = lambda: b.note(cid, "lain")
    with pytest.raises(ConflictError):
        a.note(cid, "punyaku", expected_version=3)
    assert [e.data.get("text") for e in a.events(cid)][-1] == "lain"
    # without an expected version it is made again on the new state
    a.store.before = lambda: b.note(cid, "lain lagi")
    assert a.note(cid, "punyaku").version == 6


# -- random sequences with retries, lost acknowledgements and a second writer ---------------

KINDS = ("note", "complete", "pause", "resume")


class ExactlyOnce(RuleBasedStateMachine):
    """Every acknowledged action appears exactly once in the log, whatever the retries."""

    def __init__(self):
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="langkah-once-"))
        self.clock = StepClock(dt.datetime(2026, 10, 5, 2, 0, tzinfo=dt.UTC))
        self.a = Langkah.open(self.dir / "data", self.dir / "defs", clock=self.clock)
        self.b = Langkah.open(self.dir / "data", self.dir / "defs", clock=self.clock)
        self.cycle = self.a.start("kalipare", "2026-T3").state.cycle_id
        self.a.store = Interleaving(self.a.store)
        self.sent: list[tuple[str, str]] = []  # (action id, kind) sent by A, acknowledged or not
        self.acked: set[str] = {self.a.events(self.cycle)[0].id}
        self.counter = 0

    def teardown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def _fresh(self) -> str:
        self.counter += 1
        return f"act-{self.counter}"

    def _send(self, app, kind, action_id, expected_version=None) -> bool:
        self.clock.advance(minutes=1)
        call = {
            "note": lambda **kw: app.note(self.cycle, f"catatan {action_id}", **kw),
            "complete": lambda **kw: app.submit(self.cycle, self._ticks(app), **kw),
            "pause": lambda **kw: app.pause(self.cycle, "tunggu", **kw),
            "resume": lambda **kw: app.resume(self.cycle, "lanjut", **kw),
        }[kind]
        try:
            call(event_id=action_id, expected_version=expected_version)
        except (ActionRefused, ConflictError):
            # refused only when the action is not in the log: a retry of a recorded action
            # (whoever recorded it, whatever it expected) is always acknowledged
            assert action_id not in {e.id for e in self.b.events(self.cycle)}
            return False
        return True

    def _ticks(self, app) -> dict[str, str]:
        step = app.open_cycle(self.cycle).current_step
        return {item.id: "ya" for item in step.inputs} if step is not None else {}

    @rule(kind=st.sampled_from(KINDS))
    def act(self, kind):
        action_id = self._fresh()
        self.sent.append((action_id, kind))
        if self._send(self.a, kind, action_id):
            self.acked.add(action_id)

    @rule(kind=st.sampled_from(KINDS))
    def act_but_lose_the_acknowledgement(self, kind):
        action_id = self._fresh()
        self.sent.append((action_id, kind))
        self._send(self.a, kind, action_id)  # applied or not: the caller never hears

    @precondition(lambda self: self.sent)
    @rule(data=st.data(), stale=st.booleans())
    def retry(self, data, stale):
        action_id, kind = data.draw(st.sampled_from(self.sent))
        version = self.a.stored_version(self.cycle)
        if self._send(self.a, kind, action_id, expected_version=version - 1 if stale else None):
            self.acked.add(action_id)

    @precondition(lambda self: self.sent)
    @rule(data=st.data(), also_b=st.booleans())
    def retry_while_another_process_retries_too(self, data, also_b):
        action_id, kind = data.draw(st.sampled_from(self.sent))
        version = self.a.stored_version(self.cycle)

        def other():
            if also_b:
                self._send(self.b, kind, action_id)
            else:
                self.b.note(self.cycle, "selingan", event_id=self._fresh())

        self.a.store.before = other
        if self._send(self.a, kind, action_id, expected_version=version):
            self.acked.add(action_id)
        self.a.store.before = None

    @rule(kind=st.sampled_from(KINDS), expect=st.booleans())
    def the_same_new_action_sent_twice_at_once(self, kind, expect):
        """A new action whose request went out twice: the copy lands first, elsewhere."""
        action_id = self._fresh()
        self.sent.append((action_id, kind))
        version = self.a.stored_version(self.cycle) if expect else None
        self.a.store.before = lambda: self._send(self.b, kind, action_id)
        if self._send(self.a, kind, action_id, expected_version=version):
            self.acked.add(action_id)
        self.a.store.before = None

    @rule()
    def second_writer(self):
        action_id = self._fresh()
        if self._send(self.b, "note", action_id):
            self.acked.add(action_id)

    @invariant()
    def every_acknowledged_action_is_in_the_log_once(self):
        ids = Counter(e.id for e in self.b.events(self.cycle))
        assert all(ids[i] == 1 for i in self.acked), ids
        assert set(ids.values()) == {1}
        events = self.b.events(self.cycle)
        assert [e.seq for e in events] == list(range(1, len(events) + 1))
        assert self.b.verify(self.cycle).problems == []  # the hash chain holds after it all


ExactlyOnce.TestCase.settings = settings(
    max_examples=30,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestExactlyOnce = ExactlyOnce.TestCase
