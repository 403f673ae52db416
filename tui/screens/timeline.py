"""Every event of one cycle: when, which step, what, for which actor, recorded by whom."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header

from langkah.engine.events import Event
from langkah.service import CycleView, Langkah
from langkah.tui.base import Job, LangkahScreen
from langkah.tui.presenters import timeline as presenter
from langkah.tui.strings import t, translate_bindings


class TimelineScreen(LangkahScreen[None]):
    """A table of the cycle's log, oldest first (read in a thread worker)."""

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
        table: DataTable[Text] = self.query_one(DataTable)
        for key in presenter.COLUMNS:
            table.add_column(t(f"tl.col.{key}"), key=key)
        reference = self.cycle_id

        def load(service: Langkah) -> tuple[CycleView, list[Event]]:
            return service.open_cycle(reference), service.events(reference)

        def failed(error: Exception) -> None:
            self.notify(t("error.store", message=str(error)), severity="error", markup=False)

        self.submit(Job(load, self.show, failed, kind="open"))
        table.focus()

    def show(self, loaded: tuple[CycleView, list[Event]]) -> None:
        view, self.events = loaded
        self.title, self.sub_title = presenter.titles(view)
        table: DataTable[Text] = self.query_one(DataTable)
        for cells in presenter.timeline_rows(view, self.events):
            table.add_row(*(Text(cell) for cell in cells))

    def action_back(self) -> None:
        self.app.pop_screen()
