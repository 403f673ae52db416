"""A cycle's state, derived from its event log: `apply(definition, state, event) -> state`.

The state is never stored as the truth: `replay(definition, events)` rebuilds it, and the
commands in `engine.actions` only ever produce new events to append.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, TypeVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from langkah.engine.definition import SopDefinition
from langkah.engine.errors import MalformedLog
from langkah.engine.events import Event, EventType


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


_M = TypeVar("_M", bound=_Frozen)
_B = TypeVar("_B", bound=BaseModel)


class Person(_Frozen):
    """Who fills an actor role in this cycle (needed for the report's signatures)."""

    name: str = ""
    nip: str = ""
    rank: str = ""


class Note(_Frozen):
    text: str
    at: AwareDatetime
    by: str = ""
    step: int | None = None


class Pause(_Frozen):
    start: AwareDatetime
    end: AwareDatetime | None = None
    reason: str = ""
    resume_reason: str = ""


class Outcome(StrEnum):
    COMPLETED = "completed"
    YES = "yes"
    NO = "no"
    CANCELLED = "cancelled"


class Visit(_Frozen):
    """One pass through a step; a step taken again after a return gets a new visit."""

    step: int
    round: int  # 1 for the first pass through this step, 2 after one return, ...
    started_at: AwareDatetime
    ended_at: AwareDatetime | None = None
    inputs: dict[str, Any] = Field(default_factory=dict)  # a factory: no deep copy of {}
    outcome: Outcome | None = None
    reason: str = ""
    notes: tuple[Note, ...] = ()
    pauses: tuple[Pause, ...] = ()


class CycleStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    FINISHED = "finished"
    CANCELLED = "cancelled"


class CycleState(_Frozen):
    """Everything known about one run of one SOP variant for one period."""

    cycle_id: str
    sop_id: str
    definition_digest: str
    period: str
    roles: dict[str, Person] = Field(default_factory=dict)
    status: CycleStatus = CycleStatus.ACTIVE
    started_at: AwareDatetime
    started_by: str = ""
    ended_at: AwareDatetime | None = None
    end_reason: str = ""
    visits: tuple[Visit, ...] = ()
    returns: dict[int, int] = Field(default_factory=dict)
    cycle_notes: tuple[Note, ...] = ()
    version: int = 0
    last_at: AwareDatetime

    @property
    def is_open(self) -> bool:
        return self.status in (CycleStatus.ACTIVE, CycleStatus.PAUSED)

    @property
    def current(self) -> Visit | None:
        """The visit in progress, while the cycle is open."""
        return self.visits[-1] if self.is_open and self.visits else None

    @property
    def current_step(self) -> int | None:
        visit = self.current
        return visit.step if visit else None

    @property
    def definition_version(self) -> str:
        return self.definition_digest[:12]

    @property
    def total_returns(self) -> int:
        return sum(self.returns.values())


_set = object.__setattr__


def built(cls: type[_B], values: dict[str, Any], fields_set: set[str]) -> _B:
    """What `cls.model_construct(**values)` makes for these frozen models (no extra, no
    private attributes) when `values` holds every field, without its generic loop over the
    fields: for values the engine made from validated models (tests/test_engine_fast_paths.py
    compares them with the validated models)."""
    new = cls.__new__(cls)
    _set(new, "__dict__", values)
    _set(new, "__pydantic_extra__", None)
    _set(new, "__pydantic_fields_set__", fields_set)
    _set(new, "__pydantic_private__", None)
    return new


def _evolve(model: _M, changes: dict[str, Any]) -> _M:
    """`model.model_copy(update=changes)` for these frozen models, without its generic
    copying: replaying a log makes one per event."""
    values = model.__dict__.copy()
    values.update(changes)
    fields_set = model.__pydantic_fields_set__
    if not fields_set.issuperset(changes):  # else shared: a frozen model's set never changes
        fields_set = fields_set | changes.keys()
    return built(model.__class__, values, fields_set)


def _replace_current(state: CycleState, **changes: Any) -> tuple[Visit, ...]:
    return state.visits[:-1] + (_evolve(state.visits[-1], changes),)


def _enter(visits: tuple[Visit, ...], step: int | None, at: dt.datetime) -> dict[str, Any]:
    """The changes that move a cycle whose visits are now `visits` to `step` (None = the end)."""
    if step is None:
        return {"visits": visits, "status": CycleStatus.FINISHED, "ended_at": at}
    rounds = sum(1 for v in visits if v.step == step)
    return {"visits": visits + (_new_visit(step, rounds + 1, at),)}


_VISIT = Visit(step=1, round=1, started_at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))


def _new_visit(step: int, round_: int, at: dt.datetime) -> Visit:
    """`Visit(step=step, round=round_, started_at=at)`, not validated again: the step comes
    from the definition, the time from a validated event (aware, UTC)."""
    visit = _evolve(_VISIT, {"step": step, "round": round_, "started_at": at, "inputs": {}})
    _set(visit, "__pydantic_fields_set__", {"step", "round", "started_at"})
    return visit


_NOTE = Note(text="", at=_VISIT.started_at, by="", step=None)
_NOTE_FIELDS = frozenset(_NOTE.__pydantic_fields_set__)


def _new_note(text: object, at: dt.datetime, by: str, step: object) -> Note:
    """`Note(text=text, at=at, by=by, step=step)`, not validated again when the values have
    exactly the types the model holds (text from the log a string, the step an int or None;
    `at` and `by` come from the validated event); anything else is validated (and refused or
    converted as the model does)."""
    if type(text) is not str or not (step is None or type(step) is int):
        return Note.model_validate({"text": text, "at": at, "by": by, "step": step})
    note = _evolve(_NOTE, {"text": text, "at": at, "by": by, "step": step})
    _set(note, "__pydantic_fields_set__", set(_NOTE_FIELDS))
    return note


def _latest_visit(state: CycleState, step: int | None) -> int | None:
    for index in range(len(state.visits) - 1, -1, -1):
        if state.visits[index].step == step:
            return index
    return None


# Enum members as module constants: in the hot path of replay, each `EventType.X` is an
# attribute lookup on the enum class, several times slower than a global.
_STARTED = EventType.STARTED
_INPUTS_RECORDED = EventType.INPUTS_RECORDED
_STEP_COMPLETED = EventType.STEP_COMPLETED
_DECISION_ANSWERED = EventType.DECISION_ANSWERED
_PAUSED_EVENT = EventType.PAUSED
_RESUMED = EventType.RESUMED
_CANCELLED_EVENT = EventType.CANCELLED
_NOTE_ADDED = EventType.NOTE_ADDED
_ROLES_UPDATED = EventType.ROLES_UPDATED
_ACTIVE = CycleStatus.ACTIVE
_PAUSED = CycleStatus.PAUSED

_AT_CURRENT_STEP = frozenset(
    {
        EventType.INPUTS_RECORDED,
        EventType.STEP_COMPLETED,
        EventType.DECISION_ANSWERED,
        EventType.PAUSED,
        EventType.RESUMED,
        EventType.CANCELLED,
    }
)
_WHILE_PAUSED = frozenset(
    {EventType.RESUMED, EventType.CANCELLED, EventType.NOTE_ADDED, EventType.ROLES_UPDATED}
)
_KNOWN_TYPES = frozenset(t.value for t in EventType)


def _cycle_of(state: CycleState | None, event: Event) -> str:
    if state is not None:
        return state.cycle_id
    data = event.data if isinstance(event.data, dict) else {}
    return str(data.get("cycle_id", "?"))


def apply(definition: SopDefinition, state: CycleState | None, event: Event) -> CycleState:
    """The state after `event`.

    Events come from `engine.actions`; one that no command could have produced here (a gap in
    the sequence, a step the definition lacks, an answer to a step that asks nothing, missing
    data, ...) raises `MalformedLog` naming the cycle, the event's seq and what is wrong.
    """
    try:
        return _apply(definition, state, event)
    except MalformedLog:
        raise
    except (KeyError, IndexError, TypeError, ValueError, AttributeError) as error:
        detail = f"{type(error).__name__}: {error}"
        raise MalformedLog(_cycle_of(state, event), event.seq, "bad_data", detail=detail) from None


def _has_step(definition: SopDefinition, number: object) -> bool:
    try:
        return number in definition.step_positions
    except TypeError:  # unhashable (a list where a step number belongs): no step
        return False


def _check(definition: SopDefinition, state: CycleState | None, event: Event) -> CycleState | None:
    """Raise MalformedLog unless `event` can follow `state`; returns `state`."""

    def bad(problem: str, **details: object) -> MalformedLog:
        return MalformedLog(_cycle_of(state, event), event.seq, problem, **details)

    kind = event.type
    if str(kind) not in _KNOWN_TYPES:
        raise bad("unknown_type", type=str(kind))
    if kind == _STARTED:
        if state is not None:
            raise bad("started_again")
        if event.seq != 1:
            raise bad("seq", seq_found=event.seq, seq_expected=1)
        return None
    if state is None:
        raise bad("not_started", type=str(kind))
    if event.seq != state.version + 1:
        raise bad("seq", seq_found=event.seq, seq_expected=state.version + 1)
    status = state.status
    if status != _ACTIVE and status != _PAUSED and kind != _ROLES_UPDATED:  # closed
        raise bad("closed", type=str(kind), status=status.value)
    if status == _PAUSED and kind not in _WHILE_PAUSED:
        raise bad("paused", type=str(kind))
    if kind == _RESUMED and status != _PAUSED:
        raise bad("not_paused")
    current = state.visits[-1].step
    if kind in _AT_CURRENT_STEP and event.step != current:
        if not _has_step(definition, event.step):
            raise bad("unknown_step", step=event.step)
        raise bad("wrong_step", step=event.step, current=current)
    if kind == _NOTE_ADDED:
        target = event.data.get("step", event.step)
        if target is not None and not _has_step(definition, target):
            raise bad("unknown_step", step=target)
    elif kind == _STEP_COMPLETED:
        if definition.step(current).decision:
            raise bad("needs_answer", step=current)
    elif kind == _DECISION_ANSWERED:
        if definition.step(current).decision is None:
            raise bad("not_decision", step=current)
        if event.data.get("answer") not in ("yes", "no"):
            raise bad("bad_answer", answer=event.data.get("answer"))
    return state


def _apply(definition: SopDefinition, state: CycleState | None, event: Event) -> CycleState:
    state = _check(definition, state, event)
    at = event.at_utc
    if event.type == _STARTED:
        data = event.data
        first = Visit(step=definition.first_step, round=1, started_at=at)
        return CycleState(
            cycle_id=data["cycle_id"],
            sop_id=data["sop_id"],
            definition_digest=data["definition_digest"],
            period=data["period"],
            roles={k: Person(**v) for k, v in data.get("roles", {}).items()},
            started_at=at,
            started_by=event.by,
            visits=(first,),
            version=event.seq,
            last_at=at,
        )
    assert state is not None  # _check refuses anything but 'started' first
    changes: dict[str, Any] = {"version": event.seq, "last_at": max(at, state.last_at)}
    data = event.data
    kind = event.type
    if kind == _INPUTS_RECORDED:
        values = dict(state.visits[-1].inputs)
        for key, value in data["values"].items():
            if value is None:
                values.pop(key, None)
            else:
                values[key] = value
        changes["visits"] = _replace_current(state, inputs=values)
    elif kind == _STEP_COMPLETED:
        step = state.visits[-1].step
        visits = _replace_current(state, ended_at=at, outcome=Outcome.COMPLETED)
        changes.update(_enter(visits, definition.successors(step)["next"], at))
    elif kind == _DECISION_ANSWERED:
        step = state.visits[-1].step
        answer = data["answer"]
        outcome = Outcome.YES if answer == "yes" else Outcome.NO
        visits = _replace_current(
            state, ended_at=at, outcome=outcome, reason=data.get("reason", "")
        )
        returns = dict(state.returns)
        if outcome == Outcome.NO:
            returns[step] = returns.get(step, 0) + 1
        changes["returns"] = returns
        changes.update(_enter(visits, definition.successors(step)[answer], at))
    elif kind == _PAUSED_EVENT:
        pause = Pause(start=at, reason=data["reason"])
        changes["status"] = CycleStatus.PAUSED
        changes["visits"] = _replace_current(state, pauses=state.visits[-1].pauses + (pause,))
    elif kind == _RESUMED:
        pauses = state.visits[-1].pauses
        last = _evolve(pauses[-1], {"end": at, "resume_reason": data["reason"]})
        changes["status"] = CycleStatus.ACTIVE
        changes["visits"] = _replace_current(state, pauses=pauses[:-1] + (last,))
    elif kind == _CANCELLED_EVENT:
        visit = state.visits[-1]
        pauses = visit.pauses
        if pauses and pauses[-1].end is None:
            pauses = pauses[:-1] + (_evolve(pauses[-1], {"end": at}),)
        changes["visits"] = _replace_current(
            state, ended_at=at, outcome=Outcome.CANCELLED, reason=data["reason"], pauses=pauses
        )
        changes.update(status=CycleStatus.CANCELLED, ended_at=at, end_reason=data["reason"])
    elif kind == _NOTE_ADDED:
        target = data.get("step", event.step)
        note = _new_note(data["text"], at, event.by, target)
        index = _latest_visit(state, target)
        if index is None:
            changes["cycle_notes"] = state.cycle_notes + (note,)
        else:
            visit = state.visits[index]
            visit = _evolve(visit, {"notes": visit.notes + (note,)})
            changes["visits"] = state.visits[:index] + (visit,) + state.visits[index + 1 :]
    elif kind == _ROLES_UPDATED:
        roles = dict(state.roles)
        for key, value in data["roles"].items():
            roles[key] = Person(**value)
        changes["roles"] = roles
    else:  # pragma: no cover - _check refuses unknown types
        raise MalformedLog(state.cycle_id, event.seq, "unknown_type", type=str(event.type))
    return _evolve(state, changes)


def replay(definition: SopDefinition, events: list[Event]) -> CycleState:
    """The state a log describes; `MalformedLog` if it is empty or malformed."""
    state: CycleState | None = None
    for event in events:
        state = apply(definition, state, event)
    if state is None:
        raise MalformedLog("?", 0, "empty")
    return state
