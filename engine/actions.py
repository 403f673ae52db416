"""What may be done to a cycle now, and the commands that turn an action into an event.

Each command checks the action against the state and the SOP and either returns the one event to
append or raises `ActionRefused` with the reason. None of them changes anything by itself, and
none invents anything: the time (`now`) and the new event's id (`event_id`) come from the caller.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from langkah.engine import nip
from langkah.engine.cycle import CycleState, CycleStatus, Person, built
from langkah.engine.definition import SopDefinition, Step
from langkah.engine.errors import ActionRefused
from langkah.engine.events import Event, EventType
from langkah.engine.inputs import missing_inputs, parse_value
from langkah.engine.loader import LoadedDefinition
from langkah.engine.period import Period
from langkah.engine.signers import role_ids


class Action(StrEnum):
    INPUT = "input"
    COMPLETE = "complete"
    ANSWER = "answer"
    PAUSE = "pause"
    RESUME = "resume"
    CANCEL = "cancel"
    NOTE = "note"
    ROLES = "roles"


def allowed_actions(state: CycleState, definition: SopDefinition) -> set[Action]:
    """The actions the interface may offer now (a refused one still says why when tried)."""
    if state.status == CycleStatus.PAUSED:
        return {Action.RESUME, Action.CANCEL, Action.NOTE, Action.ROLES}
    if state.status != CycleStatus.ACTIVE:
        return {Action.ROLES}  # who signed can still be filled in for the report
    step = definition.step(state.visits[-1].step)
    allowed = {Action.PAUSE, Action.CANCEL, Action.NOTE, Action.ROLES}
    if step.inputs:
        allowed.add(Action.INPUT)
    allowed.add(Action.ANSWER if step.decision else Action.COMPLETE)
    return allowed


def _event(
    state: CycleState | None,
    kind: EventType,
    now: dt.datetime,
    by: str,
    data: dict[str, Any],
    step: Step | None,
    event_id: str,
) -> Event:
    if not event_id:
        raise ValueError("an event needs an id (the caller gives one)")
    at = now.astimezone(dt.UTC)
    if state is not None and at < state.last_at:  # never reorder the log, never clamp
        raise ActionRefused("clock_behind", now=at.isoformat(), last=state.last_at.isoformat())
    # Every value here is made by the engine from validated models (a step of the definition,
    # a state, an aware time, the command's checked data), so the event is built without
    # validating it again: the model the validated call gives (tests/test_engine_fast_paths.py).
    return built(
        Event,
        {
            "id": event_id,
            "seq": (state.version if state else 0) + 1,
            "type": kind,
            "at": at,
            "step": step.number if step else None,
            "actors": step.actors if step else (),
            "by": by,
            "data": data,
        },
        set(_EVENT_FIELDS),
    )


_EVENT_FIELDS = frozenset(Event.model_fields)


def _current_step(state: CycleState, definition: SopDefinition) -> Step:
    if state.status == CycleStatus.PAUSED:
        reason = state.visits[-1].pauses[-1].reason if state.visits[-1].pauses else ""
        raise ActionRefused("paused", reason=reason)
    if state.status != CycleStatus.ACTIVE:
        raise ActionRefused("not_active", status=state.status.value)
    return definition.step(state.visits[-1].step)


def _require_open(state: CycleState) -> None:
    if not state.is_open:
        raise ActionRefused("not_active", status=state.status.value)


def _reason(reason: str | None) -> str:
    text = (reason or "").strip()
    if not text:
        raise ActionRefused("reason_required")
    return text


def _roles(definition: SopDefinition, roles: dict[str, Person]) -> dict[str, Any]:
    """The roles as recorded: known roles only (actors and the signer roles), each NIP checked
    and stored as its digits (another identity number, marked, as written)."""
    known = role_ids(definition)
    recorded = {}
    for role, person in roles.items():
        if role not in known:
            raise ActionRefused("unknown_role", role=role, known=", ".join(known))
        try:
            number = nip.normalize(person.nip)
        except nip.NipError as error:
            raise ActionRefused(
                "bad_nip",
                role=role,
                value=" ".join(person.nip.split()),
                problem_id=error.message("id"),
                problem_en=error.message("en"),
            ) from None
        recorded[role] = person.model_copy(update={"nip": number}).model_dump()
    return recorded


def start(
    loaded: LoadedDefinition,
    cycle_id: str,
    period: Period,
    roles: dict[str, Person],
    now: dt.datetime,
    by: str,
    *,
    event_id: str,
) -> Event:
    """The first event of a new cycle."""
    definition = loaded.definition
    data = {
        "cycle_id": cycle_id,
        "sop_id": loaded.sop_id,
        "definition_digest": loaded.digest,
        "period": str(period),
        "roles": _roles(definition, roles),
    }
    return _event(
        None, EventType.STARTED, now, by, data, definition.step(definition.first_step), event_id
    )


def record_inputs(
    state: CycleState,
    definition: SopDefinition,
    values: dict[str, Any],
    now: dt.datetime,
    by: str,
    *,
    event_id: str,
) -> Event:
    """Record (or clear, with an empty value) inputs of the current step."""
    step = _current_step(state, definition)
    specs = {s.id: s for s in step.inputs}
    parsed = {}
    for key, raw in values.items():
        if key not in specs:
            raise ActionRefused(
                "unknown_input", step=step.number, item=key, known=", ".join(specs) or "-"
            )
        parsed[key] = parse_value(specs[key], raw)
    return _event(state, EventType.INPUTS_RECORDED, now, by, {"values": parsed}, step, event_id)


def complete(
    state: CycleState, definition: SopDefinition, now: dt.datetime, by: str, *, event_id: str
) -> Event:
    """Complete the current (non-decision) step; refused while a required input is missing."""
    step = _current_step(state, definition)
    if step.decision:
        d = step.decision
        raise ActionRefused("needs_answer", step=step.number, yes=d.yes_label, no=d.no_label)
    _check_inputs(state, step)
    return _event(state, EventType.STEP_COMPLETED, now, by, {}, step, event_id)


def _check_inputs(state: CycleState, step: Step, code: str = "missing_inputs") -> None:
    missing = missing_inputs(step, state.visits[-1].inputs)
    if missing:
        items = ", ".join(s.label for s in missing)
        raise ActionRefused(code, step=step.number, items=items)


def answer(
    state: CycleState,
    definition: SopDefinition,
    yes: bool,
    reason: str | None,
    now: dt.datetime,
    by: str,
    *,
    event_id: str,
) -> Event:
    """Answer the current decision; a negative answer needs a reason and sends the work back.
    Either answer is refused while a required input of the step is missing."""
    step = _current_step(state, definition)
    if not step.decision:
        raise ActionRefused("not_decision", step=step.number)
    text = (reason or "").strip()
    if not yes and not text:
        raise ActionRefused("needs_reason", answer=step.decision.no_label)
    # Either answer is a judgement on the step's kelengkapan: it must be there first.
    _check_inputs(state, step, "missing_for_answer")
    key = "yes" if yes else "no"
    target = definition.successors(step.number)[key]
    data = {"answer": key, "reason": text, "target": target}
    return _event(state, EventType.DECISION_ANSWERED, now, by, data, step, event_id)


def pause(
    state: CycleState,
    definition: SopDefinition,
    reason: str,
    now: dt.datetime,
    by: str,
    *,
    event_id: str,
) -> Event:
    step = _current_step(state, definition)
    return _event(state, EventType.PAUSED, now, by, {"reason": _reason(reason)}, step, event_id)


def resume(
    state: CycleState,
    definition: SopDefinition,
    reason: str,
    now: dt.datetime,
    by: str,
    *,
    event_id: str,
) -> Event:
    if state.status != CycleStatus.PAUSED:
        _require_open(state)
        raise ActionRefused("not_paused")
    step = definition.step(state.visits[-1].step)
    return _event(state, EventType.RESUMED, now, by, {"reason": _reason(reason)}, step, event_id)


def cancel(
    state: CycleState,
    definition: SopDefinition,
    reason: str,
    now: dt.datetime,
    by: str,
    *,
    event_id: str,
) -> Event:
    _require_open(state)
    step = definition.step(state.visits[-1].step)
    return _event(state, EventType.CANCELLED, now, by, {"reason": _reason(reason)}, step, event_id)


def note(
    state: CycleState,
    definition: SopDefinition,
    text: str,
    now: dt.datetime,
    by: str,
    step_number: int | None = None,
    *,
    event_id: str,
) -> Event:
    """A note on the current step, or on any step of the SOP when `step_number` is given."""
    _require_open(state)
    if not text.strip():
        raise ActionRefused("empty_note")
    number = state.visits[-1].step if step_number is None else step_number
    try:
        step = definition.step(number)
    except KeyError:
        raise ActionRefused("unknown_step", step=number) from None
    return _event(
        state, EventType.NOTE_ADDED, now, by, {"text": text, "step": number}, step, event_id
    )


def update_roles(
    state: CycleState,
    definition: SopDefinition,
    roles: dict[str, Person],
    now: dt.datetime,
    by: str,
    *,
    event_id: str,
) -> Event:
    """Set who fills actor roles (name, NIP, pangkat); allowed after the end too, for the report."""
    return _event(
        state,
        EventType.ROLES_UPDATED,
        now,
        by,
        {"roles": _roles(definition, roles)},
        None,
        event_id,
    )
