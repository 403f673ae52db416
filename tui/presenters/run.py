"""The run screen's decisions, from a `CycleView`: which keys apply, what the step says, drafts.

What is allowed comes from the engine (`CycleView.allowed`, i.e. `allowed_actions`); this
module only maps it onto keys, and words the current step for the screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text

from langkah.display import visible
from langkah.engine.actions import Action
from langkah.engine.cycle import CycleState, CycleStatus, Outcome
from langkah.engine.definition import SopDefinition, Step
from langkah.engine.errors import ActionRefused
from langkah.engine.events import Event, EventType
from langkah.engine.inputs import missing_inputs, parse_value
from langkah.engine.timing import TimeStatus, minutes_per_day
from langkah.formatting import date_time, duration, holiday_warning, nip
from langkah.service import CycleView
from langkah.tui.presenters.signers import role_slots
from langkah.tui.strings import t

# The engine action each key needs; the engine's `allowed_actions` says whether it is allowed.
ACTION_NEEDS = {
    "complete": Action.COMPLETE,
    "answer_yes": Action.ANSWER,
    "answer_no": Action.ANSWER,
    "pause": Action.PAUSE,
    "resume": Action.RESUME,
    "note": Action.NOTE,
    "roles": Action.ROLES,
    "cancel_cycle": Action.CANCEL,
}

# Keys that act on an open cycle only: not offered at all once it has ended.
OPEN_ONLY = {"complete", "answer_yes", "answer_no", "pause", "resume", "note", "cancel_cycle"}

# Every action key has a letter (acts when no text field has focus, where a letter is typed)
# and a function/ctrl key that acts wherever the focus is; its binding id ends in this suffix.
ANY_FOCUS = ".any"


def footer_shows(binding_id: str | None, text_focused: bool, ids: set[str]) -> bool:
    """Which of an action's two keys the key bar names: the letter while no text field has
    focus, the function/ctrl key while one has (a letter would be typed there). A key with no
    pair (`ids`: every binding id of the screen) is always named."""
    if binding_id is None:
        return True
    if binding_id.endswith(ANY_FOCUS):
        return text_focused
    if binding_id + ANY_FOCUS in ids:
        return not text_focused
    return True


def role_list(view: CycleView) -> list[tuple[str, str]]:
    """The roles the people dialog asks for, in order: (role id, title): the SOP's actors, then
    the two signers (kepala, penanggung_jawab)."""
    return role_slots(view.definition)


def key_shown(view: CycleView, action: str) -> bool:
    """Whether a key belongs in the footer at all: a decision step is answered, not completed;
    a paused cycle is resumed, not paused. (Whether it is allowed now is the engine's word.)"""
    if action in OPEN_ONLY and not view.state.is_open:
        return False
    step = view.current_step
    decision = step is not None and step.decision is not None
    paused = view.state.status == CycleStatus.PAUSED
    shown = {
        "answer_yes": decision,
        "answer_no": decision,
        "complete": not decision,
        "pause": not paused,
        "resume": paused,
    }
    return shown.get(action, True)


def key_state(view: CycleView | None, action: str) -> bool | None:
    """True: the key applies now; None: shown but not allowed now; False: not shown.

    A cycle that fails verification is read-only: every action key is shown but refused."""
    if view is None:
        return None
    if not key_shown(view, action):
        return False
    if view.read_only:
        return None
    return True if ACTION_NEEDS[action] in view.allowed else None


@dataclass(frozen=True)
class ReturnOrigin:
    """Where the current visit was sent back from: the decision step and its reason."""

    step: int
    reason: str


def return_origin(state: CycleState) -> ReturnOrigin | None:
    """The "no" answer that brought the cycle back to this step (None on a first visit)."""
    if not state.visits or state.visits[-1].round <= 1:
        return None
    for earlier in reversed(state.visits[:-1]):
        if earlier.outcome == Outcome.NO:
            return ReturnOrigin(earlier.step, earlier.reason)
    return None


# -- drafts: what was typed but not recorded, kept for exactly one visit of one step ---------


def draft_key(state: CycleState) -> dict[str, int | None]:
    """Which visit a draft belongs to: the visit's position, its step and its round."""
    visit = state.visits[-1]
    return {"visit": len(state.visits), "step": visit.step, "round": visit.round}


def make_draft(state: CycleState, values: dict[str, Any]) -> dict[str, Any]:
    plain = {k: list(v) if isinstance(v, tuple) else v for k, v in values.items()}
    return {**draft_key(state), "values": plain}


def make_text_draft(state: CycleState, payload: dict[str, Any]) -> dict[str, Any]:
    """A dialog's draft (`{"text": ...}` or `{"roles": ...}`) for the visit it was typed in."""
    return {**draft_key(state), **payload}


# The dialogs whose typing is drafted, in the order a restored one is reopened.
TEXT_SLOTS = ("note", "pause", "resume", "no", "cancel", "people")


def restorable_text(
    texts: dict[str, dict[str, Any]], state: CycleState
) -> tuple[str, dict[str, Any]] | None:
    """The dialog draft to reopen after a crash: the first slot typed in this very visit."""
    for slot in TEXT_SLOTS:
        draft = texts.get(slot)
        typed = draft is not None and bool(draft.get("text") or draft.get("roles"))
        if draft is not None and typed and draft_matches(draft, state):
            return slot, draft
    return None


def draft_matches(draft: dict[str, Any] | None, state: CycleState) -> bool:
    """A draft is restored only into the very visit it was typed in (not a later round)."""
    if not draft or not state.is_open:
        return False
    key = draft_key(state)
    if draft.get("visit") != key["visit"] or draft.get("step") != key["step"]:
        return False
    return draft.get("round", key["round"]) == key["round"]


# -- typed values ----------------------------------------------------------------------------


def split_pending(
    step: Step | None, pending: dict[str, Any], lang: str
) -> tuple[dict[str, Any], list[str]]:
    """Typed values the engine would accept, and the refusal of each one it would not."""
    if step is None:
        return {}, []
    specs = {s.id: s for s in step.inputs}
    valid: dict[str, Any] = {}
    problems: list[str] = []
    for key, raw in pending.items():
        if key not in specs:
            continue
        try:
            parse_value(specs[key], raw)
        except ActionRefused as error:
            problems.append(error.message(lang))
            continue
        valid[key] = raw
    return valid, problems


def missing_for_answer(view: CycleView, valid: dict[str, Any], lang: str) -> str | None:
    """Why a decision cannot be answered yet, with the typed values `valid` recorded first
    (the engine's own refusal, worded by the engine), or None when nothing is missing."""
    step = view.current_step
    if step is None or step.decision is None:
        return None
    specs = {s.id: s for s in step.inputs}
    values = dict(view.state.visits[-1].inputs)
    values.update({k: parse_value(specs[k], v) for k, v in valid.items() if k in specs})
    missing = missing_inputs(step, values)
    if not missing:
        return None
    items = ", ".join(s.label for s in missing)
    return ActionRefused("missing_for_answer", step=step.number, items=items).message(lang)


# -- the end of a cycle ----------------------------------------------------------------------


def finished_summary(view: CycleView, lang: str) -> str:
    """A finished cycle in one line: working time against the SOP's standard, the steps that
    ran late, how often work was sent back; then the prompt to write the report."""
    timing = view.timing
    per_day = minutes_per_day(view.definition.calendar.working_hours)
    late: list[int] = []
    for visit in timing.visits:
        if visit.status == TimeStatus.OVERDUE and visit.step not in late:
            late.append(visit.step)
    late_text = (
        t("run.summary_steps", steps=", ".join(str(n) for n in late))
        if late
        else t("run.summary_none")
    )
    return t(
        "run.summary",
        elapsed=duration(timing.elapsed_minutes, lang, per_day),
        standard=duration(timing.standard_minutes, lang, per_day),
        late=late_text,
        returns=view.state.total_returns,
    )


# -- the words of the current step -----------------------------------------------------------


@dataclass(frozen=True)
class StepText:
    """Everything the detail pane says about the current step (empty strings hide a line).

    Ready to show: every text from the SOP file or from people went through the sanitiser
    (`langkah.display.visible`); the screen renders it with markup off.
    """

    heading: str
    activity: str = ""
    actor: str = ""
    returned: str = ""
    question: Text | None = None
    missing: str = ""
    missing_marked: bool = False
    output: str = ""
    remarks: str = ""
    notes: str = ""


def _line(text: object) -> str:
    return visible(text, one_line=True)


def step_text(view: CycleView, lang: str, problems: list[str] | None = None) -> StepText:
    """The words of the current step. `problems`: the refusals of what the form holds but
    could not be recorded (a restored draft, a half-typed value); the kelengkapan line then
    says so instead of calling the recorded values complete."""
    state, definition = view.state, view.definition
    step = view.current_step
    if step is None:
        zone = definition.calendar.timezone
        if state.status == CycleStatus.FINISHED and state.ended_at:
            return StepText(
                t("run.finished", when=date_time(state.ended_at, zone, lang)),
                activity=finished_summary(view, lang),
                output=t("run.export_prompt"),
            )
        return StepText(t("run.cancelled", reason=state.end_reason))
    visit = state.visits[-1]
    head = t("run.step", n=step.number, total=len(definition.steps))
    if step.decision:
        head += f" · {t('run.decision')}"
    if visit.round > 1:
        head += f" · {t('run.round', n=visit.round)}"
    if state.status == CycleStatus.PAUSED and visit.pauses:
        head += f" · {t('run.paused', reason=visit.pauses[-1].reason)}"
    people = []
    for actor_id in step.actors:
        person = state.roles.get(actor_id)
        label = _line(definition.actor(actor_id).title)
        if person and person.name:
            label += f" ({_line(person.name)}"
            label += f", NIP {_line(nip(person.nip))}" if person.nip else ""
            label += ")"
        people.append(label)
    origin = return_origin(state)
    question = None
    if step.decision:
        d = step.decision
        question = Text(f"{t('run.question')}: ", style="bold")
        question.append(visible(d.question) + "\n")
        question.append(t("run.answer_keys_any", yes=d.yes_label, no=d.no_label))
    missing = view.missing
    if not step.inputs:
        missing_text = t("run.no_inputs")
    elif problems:
        missing_text = t("run.form_invalid", problems="; ".join(problems))
    elif missing:
        missing_text = t("run.missing", items=", ".join(s.label for s in missing))
    else:
        missing_text = t("run.all_present")
    notes = "\n".join(f"• {visible(n.text)}" for n in visit.notes)
    return StepText(
        heading=head,
        activity=visible(step.activity),
        actor=f"{t('run.actor')}: {step.join_actors(people)}",
        returned=t("run.returned", step=origin.step, reason=origin.reason) if origin else "",
        question=question,
        missing=missing_text,
        missing_marked=bool(missing) or bool(problems),
        output=f"{t('run.output')}: {visible(step.output) or '-'}",
        remarks=f"{t('run.remarks')}: {visible(step.remarks)}" if step.remarks else "",
        notes=f"{t('run.notes')}:\n{notes}" if notes else "",
    )


def out_of_date(view: CycleView, stored: tuple[int, object]) -> bool:
    """Whether the stored log (`Langkah.stored_mark`: its version and what keeps it from being
    trusted) is no longer the one `view` shows: events added by another process, or the log
    edited in place (it no longer verifies, or verifies again after being put back)."""
    version, problem = stored
    return version != view.version or problem != view.integrity_problem


@dataclass(frozen=True)
class RecordWarning:
    """What the record itself warns about: a failed verification (read-only) and/or years the
    holiday data does not cover (working time there may be wrong)."""

    text: str
    integrity: bool


def record_warning(view: CycleView, lang: str) -> RecordWarning | None:
    lines = []
    if view.integrity_problem is not None:
        lines.append(t("run.integrity", problem=view.integrity_problem.message(lang)))
    holidays = holiday_warning(view.uncovered_years, view.holiday_last_year, lang)
    if holidays:
        lines.append(f"⚠ {holidays}")
    if not lines:
        return None
    return RecordWarning("\n".join(lines), view.integrity_problem is not None)


# -- what changed elsewhere ------------------------------------------------------------------


def _change_phrase(event: Event, definition: SopDefinition) -> str:
    n = event.step or "-"
    if event.type == EventType.DECISION_ANSWERED:
        step = definition.step(event.step) if event.step is not None else None
        answer = event.data.get("answer")
        label = answer or "-"
        if step is not None and step.decision is not None:
            label = step.decision.yes_label if answer == "yes" else step.decision.no_label
        return t("chg.decision_answered", n=n, label=label)
    return t(f"chg.{event.type.value}", n=n)


def describe_changes(events: list[Event], definition: SopDefinition) -> str:
    """What the events after the version a person saw did, in words and in order:
    "langkah 3 diselesaikan oleh Budi; 2 catatan ditambahkan oleh Siti". Runs of the same
    change by the same person are counted; names pass through the sanitiser (`t`)."""
    runs: list[tuple[str, str, EventType, int]] = []
    for event in events:
        phrase = _change_phrase(event, definition)
        if runs and runs[-1][0] == phrase and runs[-1][1] == event.by:
            runs[-1] = (phrase, event.by, event.type, runs[-1][3] + 1)
        else:
            runs.append((phrase, event.by, event.type, 1))
    parts = []
    for phrase, by, kind, count in runs:
        if count > 1:
            if kind == EventType.NOTE_ADDED:
                phrase = t("chg.notes_added", count=count)
            else:
                phrase += t("chg.times", count=count)
        parts.append(phrase + (t("chg.by", by=by) if by.strip() else ""))
    return "; ".join(parts) or t("chg.unknown")


def visit_key(state: CycleState) -> tuple[int, int | None, str]:
    """Changes when the form must be rebuilt: another visit, step or status."""
    return (len(state.visits), state.current_step, state.status.value)
