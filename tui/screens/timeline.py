"""Every event of one cycle: when, which step, what, for which actor, recorded by whom."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header

from langkah.engine.events import Event, EventType
from langkah.formatting import short_date_time
from langkah.store import StoreError
from langkah.tui.strings import t, translate_bindings


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


class TimelineScreen(Screen):
    """A table of the cycle's log, oldest first."""

    AUTO_FOCUS = "#timeline"
    BINDINGS = [Binding("escape,q", "back", "key.back", id="timeline.back")]

    def __init__(self, cycle_id: str):
        super().__init__()
        translate_bindings(self)
        self.cycle_id = cycle_id
        self.events: list[Event] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="timeline", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        service = self.app.service
        table = self.query_one(DataTable)
        for key in ("time", "step", "event", "actor", "by", "detail"):
            table.add_column(t(f"tl.col.{key}"), key=key)
        try:
            view = service.open_cycle(self.cycle_id)
            self.events = service.events(self.cycle_id)
        except StoreError as error:
            self.notify(t("error.store", message=str(error)), severity="error", markup=False)
            return
        definition = view.definition
        zone = definition.calendar.timezone
        self.title = f"{definition.identity.kecamatan} · {definition.identity.name}"
        self.sub_title = t("tl.title", id=view.state.cycle_id)
        titles = {a.id: a.title for a in definition.actors}
        for event in self.events:
            table.add_row(
                Text(short_date_time(event.at, zone)),
                Text(str(event.step or "")),
                Text(t(f"ev.{event.type.value}")),
                Text(", ".join(titles.get(a, a) for a in event.actors)),
                Text(event.by),
                Text(event_detail(event)),
            )
        table.focus()

    def action_back(self) -> None:
        self.app.pop_screen()
