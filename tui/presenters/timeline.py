"""The timeline's words: every event of a cycle as a person reads it (oldest first), the header
saying who holds the cycle and how late it is, and an event's full detail for the detail pane.

Values are worded as the SOP names them ("Format pengukuran: ada", "Nota dinas: nomor 005/...,
tanggal 1 Oktober 2026", "tidak setuju → kembali ke langkah 7"), never as stored.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from langkah.display import visible
from langkah.engine.definition import InputKind, InputSpec, SopDefinition
from langkah.engine.events import Event, EventType
from langkah.engine.timing import TimeStatus, minutes_per_day
from langkah.formatting import date_time, duration, long_date, short_date_time
from langkah.service import CycleView
from langkah.tui.strings import t

COLUMNS = ("time", "step", "event", "actor", "by", "detail")


def _date(text: object, lang: str) -> str:
    try:
        return long_date(dt.date.fromisoformat(str(text)), lang)
    except ValueError:  # not a date after all: shown as typed
        return str(text)


def value_text(spec: InputSpec | None, value: Any, lang: str) -> str:
    """One recorded value in words: a check as "ada"/"tidak ada", a document as its nomor and
    tanggal, a date as "1 Oktober 2026"; anything unexpected as it was recorded."""
    kind = spec.type if spec is not None else None
    if isinstance(value, bool) and kind in (InputKind.CHECK, None):
        return t("tl.present") if value else t("tl.absent")
    if isinstance(value, dict):
        parts = []
        if value.get("nomor"):
            parts.append(t("tl.nomor", nomor=value["nomor"]))
        if value.get("tanggal"):
            parts.append(t("tl.tanggal", date=_date(value["tanggal"], lang)))
        extra = [f"{k}: {v}" for k, v in value.items() if k not in ("nomor", "tanggal")]
        return ", ".join(parts + extra) or "-"
    if kind == InputKind.DATE:
        return _date(value, lang)
    if value is None or value == "":
        return t("tl.empty")
    return str(value)


def _spec(definition: SopDefinition, step: int | None, key: str) -> InputSpec | None:
    if step is None:
        return None
    try:
        inputs = definition.step(step).inputs
    except (KeyError, ValueError, IndexError):
        return None
    return next((spec for spec in inputs if spec.id == key), None)


def _where(target: int | None, back: bool) -> str:
    if target is None:
        return t("tl.to_end")
    return t("tl.back_to", step=target) if back else t("tl.on_to", step=target)


def event_detail(event: Event, definition: SopDefinition, lang: str) -> str:
    """What an event carries, in words (one line; the detail pane wraps it)."""
    data = event.data
    match event.type:
        case EventType.STARTED:
            return t("tl.period", period=data.get("period", ""))
        case EventType.INPUTS_RECORDED:
            values = data.get("values") or {}
            parts = []
            for key, value in values.items():
                spec = _spec(definition, event.step, key)
                label = spec.label if spec is not None else key
                parts.append(f"{label}: {value_text(spec, value, lang)}")
            return "; ".join(parts)
        case EventType.DECISION_ANSWERED:
            return _answer(event, definition)
        case EventType.PAUSED | EventType.RESUMED | EventType.CANCELLED:
            return str(data.get("reason", ""))
        case EventType.NOTE_ADDED:
            return str(data.get("text", ""))
        case EventType.ROLES_UPDATED:
            roles = data.get("roles") or {}
            titles = {a.id: a.title for a in definition.actors}
            return "; ".join(
                f"{titles.get(k, k)}: {v.get('name', '') or '-'}" for k, v in roles.items()
            )
    return ""


def _answer(event: Event, definition: SopDefinition) -> str:
    data = event.data
    answer = data.get("answer")
    decision = None
    target = data.get("target")
    if event.step is not None:
        try:
            step = definition.step(event.step)
            decision = step.decision
            if target is None and answer in ("yes", "no"):
                target = definition.successors(event.step).get(str(answer))
        except (KeyError, ValueError, IndexError):
            decision = None
    if answer == "yes":
        word = decision.yes_label if decision else t("key.yes").lower()
    elif answer == "no":
        word = decision.no_label if decision else t("key.no").lower()
    else:
        word = str(answer)
    text = f"{word} → {_where(target, answer == 'no')}"
    return text + (f": {data['reason']}" if data.get("reason") else "")


def timeline_rows(view: CycleView, events: list[Event], lang: str = "id") -> list[list[str]]:
    """One row of cells (COLUMNS order) per event, times in the SOP's own time zone; every
    cell is ready to show on one line (through the sanitiser)."""
    definition = view.definition
    zone = definition.calendar.timezone
    titles = {a.id: a.title for a in definition.actors}
    return [
        [
            short_date_time(event.at, zone),
            str(event.step or ""),
            t(f"ev.{event.type.value}"),
            visible(", ".join(titles.get(a, a) for a in event.actors), one_line=True),
            visible(event.by, one_line=True) or "-",
            visible(event_detail(event, definition, lang), one_line=True),
        ]
        for event in events
    ]


def event_full(view: CycleView, event: Event, lang: str) -> str:
    """An event in full for the detail pane: when, what, who, and its whole detail (wrapped by
    the pane; line breaks a person typed are kept, shown through the sanitiser)."""
    definition = view.definition
    zone = definition.calendar.timezone
    head = f"{date_time(event.at, zone, lang)} · {t(f'ev.{event.type.value}')}"
    if event.step is not None:
        head += f" · {t('tl.col.step')} {event.step}"
    if event.by:
        head += f" · {t('tl.col.by')}: {visible(event.by, one_line=True)}"
    detail = event_detail(event, definition, lang)
    if event.type == EventType.INPUTS_RECORDED:
        detail = detail.replace("; ", "\n")
    return head + ("\n" + visible(detail) if detail else "")


def header(view: CycleView, lang: str) -> str:
    """Who holds the cycle, at which step, and how late it is (or how it ended)."""
    state, definition = view.state, view.definition
    step = view.current_step
    zone = definition.calendar.timezone
    if step is None:
        if state.ended_at is not None and state.status.value == "finished":
            return t("tl.head_finished", when=date_time(state.ended_at, zone, lang))
        return t("tl.head_cancelled", reason=state.end_reason or "-")
    people = []
    for actor_id in step.actors:
        person = state.roles.get(actor_id)
        label = definition.actor(actor_id).title
        people.append(f"{label} ({person.name})" if person and person.name else label)
    parts = [
        t("tl.head_holder", who=", ".join(people) or "-"),
        t("tl.head_step", n=step.number, total=len(definition.steps)),
    ]
    timing = view.current_timing
    day = minutes_per_day(view.calendar.hours)
    if timing is not None and timing.status == TimeStatus.OVERDUE:
        parts.append(t("ov.late", late=duration(timing.overdue_minutes, lang, day)))
    elif timing is not None:
        parts.append(t(f"time.{timing.status.value}"))
    if state.status.value == "paused":
        parts.append(t("status.paused"))
    return " · ".join(parts)


def titles(view: CycleView) -> tuple[str, str]:
    identity = view.definition.identity
    title = visible(f"{identity.office.name} · {identity.name}", one_line=True)
    return title, t("tl.title", id=view.state.cycle_id)
