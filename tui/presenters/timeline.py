"""The timeline's rows: every event of a cycle, worded for the table (oldest first)."""

from __future__ import annotations

from langkah.display import visible
from langkah.engine.events import Event, EventType
from langkah.formatting import short_date_time
from langkah.service import CycleView
from langkah.tui.strings import t

COLUMNS = ("time", "step", "event", "actor", "by", "detail")


def event_detail(event: Event) -> str:
    data = event.data
    match event.type:
        case EventType.STARTED:
            return str(data.get("period", ""))
        case EventType.INPUTS_RECORDED:
            return ", ".join(f"{k}={v}" for k, v in (data.get("values") or {}).items())
        case EventType.DECISION_ANSWERED:
            text = f"{data.get('answer')} → {data.get('target') or '-'}"
            return text + (f": {data['reason']}" if data.get("reason") else "")
        case EventType.PAUSED | EventType.RESUMED | EventType.CANCELLED:
            return str(data.get("reason", ""))
        case EventType.NOTE_ADDED:
            return str(data.get("text", ""))
        case EventType.ROLES_UPDATED:
            return ", ".join(
                f"{k}: {v.get('name', '')}" for k, v in (data.get("roles") or {}).items()
            )
    return ""


def timeline_rows(view: CycleView, events: list[Event]) -> list[list[str]]:
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
            visible(event.by, one_line=True),
            visible(event_detail(event), one_line=True),
        ]
        for event in events
    ]


def titles(view: CycleView) -> tuple[str, str]:
    identity = view.definition.identity
    title = visible(f"{identity.office.name} · {identity.name}", one_line=True)
    return title, t("tl.title", id=view.state.cycle_id)
