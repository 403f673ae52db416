"""A log that no engine command could have produced is a named error, never IndexError/KeyError.

Each case takes a valid log of the Dawarblandong SOP, breaks one event, and checks that
`replay` raises `MalformedLog` naming the cycle, the event's seq and what is wrong.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from langkah.cli.main import main
from langkah.engine import actions
from langkah.engine.cycle import apply, replay
from langkah.engine.errors import EngineError, MalformedLog
from langkah.engine.events import Event, EventType
from langkah.store.appended import read_cycle_document
from tests.test_engine_actions import D, Run, _to_decision

Log = list[Event]


def _started() -> Log:
    run = Run()
    run.do(actions.note, "catatan")
    run.do(actions.pause, "tunggu")
    run.do(actions.resume, "lanjut")
    run.finish_step()  # inputs (seq 5), complete (seq 6): now at step 2
    return run.log


def _changed(log: Log, index: int, **update: object) -> Log:
    return [*log[:index], log[index].model_copy(update=update), *log[index + 1 :]]


def _appended(log: Log, kind: EventType, step: int | None, **data: object) -> Log:
    last = log[-1]
    extra = last.model_copy(
        update={"id": "x", "seq": last.seq + 1, "type": kind, "step": step, "data": data}
    )
    return [*log, extra]


def _answered_at(run: Run, answer: str) -> Log:
    run.fill()
    run.do(actions.answer, False, "kurang")
    return _changed(run.log, -1, data={**run.log[-1].data, "answer": answer})


# case id: (how to break a valid log, seq named, problem)
CASES: dict[str, tuple[Callable[[], Log], int, str]] = {
    "empty log": (lambda: [], 0, "empty"),
    "no start": (lambda: _started()[1:], 2, "not_started"),
    "second start": (
        lambda: [*_started(), _started()[0].model_copy(update={"seq": 7})],
        7,
        "started_again",
    ),
    "start not first in sequence": (lambda: _changed(_started(), 0, seq=2), 2, "seq"),
    "seq gap": (lambda: _changed(_started(), 3, seq=5), 5, "seq"),
    "seq repeated": (lambda: _changed(_started(), 3, seq=3), 3, "seq"),
    "unknown event type": (
        lambda: [
            *_started()[:2],
            Event.model_construct(**{**_started()[2].__dict__, "type": "teleported"}),
        ],
        3,
        "unknown_type",
    ),
    "step the definition lacks": (lambda: _changed(_started(), 5, step=99), 6, "unknown_step"),
    "note on a step the definition lacks": (
        lambda: _changed(_started(), 1, data={"text": "x", "step": 42}),
        2,
        "unknown_step",
    ),
    "event for another step": (lambda: _changed(_started(), 4, step=3), 5, "wrong_step"),
    "action after the end": (
        lambda: _appended(
            _appended(_started(), EventType.CANCELLED, 2, reason="batal"),
            EventType.STEP_COMPLETED,
            2,
        ),
        8,
        "closed",
    ),
    "paused twice": (
        lambda: _appended(_changed(_started(), 3, type=EventType.PAUSED), EventType.PAUSED, 2),
        4,
        "paused",
    ),
    "complete while paused": (
        lambda: _appended(_started()[:3], EventType.STEP_COMPLETED, 1),
        4,
        "paused",
    ),
    "resumed without a pause": (
        lambda: _appended(_started(), EventType.RESUMED, 2, reason="x"),
        7,
        "not_paused",
    ),
    "answer to a step that asks nothing": (
        lambda: _changed(_started(), 5, type=EventType.DECISION_ANSWERED, data={"answer": "yes"}),
        6,
        "not_decision",
    ),
    "decision completed instead of answered": (
        lambda: _appended(_to_decision().log, EventType.STEP_COMPLETED, 9),
        18,
        "needs_answer",
    ),
    "answer neither yes nor no": (
        lambda: _answered_at(_to_decision(), "mungkin"),
        19,
        "bad_answer",
    ),
    "pause without its reason": (lambda: _changed(_started(), 2, data={}), 3, "bad_data"),
    "inputs that are not a table": (
        lambda: _changed(_started(), 4, data={"values": ["ya"]}),
        5,
        "bad_data",
    ),
    "start without its cycle id": (
        lambda: _changed(
            _started(), 0, data={"sop_id": "x", "definition_digest": "d", "period": "2026"}
        ),
        1,
        "bad_data",
    ),
}


def test_the_valid_logs_the_cases_break_replay():
    assert replay(D, _started()).current_step == 2
    assert replay(D, _to_decision().log).current_step == 9


@pytest.mark.parametrize(("build", "seq", "problem"), CASES.values(), ids=CASES.keys())
def test_a_malformed_log_is_named(build, seq, problem):
    log = build()
    with pytest.raises(MalformedLog) as caught:
        replay(D, log)
    error = caught.value
    assert isinstance(error, EngineError)
    assert (error.seq, error.problem) == (seq, problem), error.what
    unknown = problem in ("empty", "not_started") or log[0].data.get("cycle_id") is None
    assert error.cycle_id == ("?" if unknown else "c1")
    assert error.message("en").startswith(
        f"The log of cycle {error.cycle_id} is malformed at event {seq}: "
    )
    assert error.message("id").startswith(
        f"Log siklus {error.cycle_id} rusak pada peristiwa ke-{seq}: "
    )
    assert error.what and error.what in error.message("en")


def test_apply_names_the_event_that_cannot_follow():
    log = _started()
    state = replay(D, log[:3])
    with pytest.raises(MalformedLog) as caught:
        apply(D, state, log[5])
    assert (caught.value.cycle_id, caught.value.seq, caught.value.problem) == ("c1", 6, "seq")
    assert "expected 4" in caught.value.what


@pytest.mark.parametrize(
    "command",
    [["show"], ["show", "--json"], ["complete"], ["note", "x"], ["report"]],
    ids=lambda c: " ".join(c),
)
def test_the_command_line_names_a_malformed_log_without_a_traceback(command, capsys, tmp_path):
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "start", "dawarblandong", "--period", "2026-T3"]) == 0
    cycle = capsys.readouterr().out.strip()
    assert main(["--data-dir", str(data), "note", cycle, "catatan"]) == 0
    path = data / "cycles" / f"{cycle}.json"
    stored = read_cycle_document(path)
    stored["events"]["2"]["data"]["step"] = 99  # a note on a step the SOP does not have
    path.write_text(json.dumps(stored))
    capsys.readouterr()
    args = [command[0], cycle, *command[1:]]
    assert main(["--data-dir", str(data), "--lang", "en", *args]) == 1
    out, err = capsys.readouterr()
    assert err == (
        f"langkah: The log of cycle {cycle} is malformed at event 2: "
        "step 99 is not in the SOP definition.\n"
    )
    assert "Traceback" not in out
