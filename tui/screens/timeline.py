"""Every event of one cycle: when, which step, what, for which actor, recorded by whom; a header
saying who holds the cycle and how late it is; the highlighted event in full below the table."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from langkah.engine.events import Event
from langkah.service import CycleView, Langkah
from langkah.tui.base import Job, LangkahScreen
from langkah.tui.presenters import timeline as presenter
from langkah.tui.strings import language, said, t, translate_bindings
from langkah.tui.widgets.bars import KeyBar, TitleBar


class TimelineScreen(LangkahScreen[None]):
    """A table of the cycle's log, oldest first (read in a thread worker), and a detail pane."""

    AUTO_FOCUS = "#timeline"
    BINDINGS = [
        Binding("escape,q", "back", "key.back", id="timeline.back"),
    ]

    def __init__(self, cycle_id: str):
        super().__init__()
        translate_bindings(self)
        self.cycle_id = cycle_id
        self.events: list[Event] = []
        self.view: CycleView | None = None

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("", id="timeline-head", markup=False)
        yield DataTable(id="timeline", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="timeline-detail-box"):
            yield Static(t("tl.detail_hint"), id="timeline-detail", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        table: DataTable[Text] = self.query_one(DataTable)
        for key in presenter.COLUMNS:
            table.add_column(t(f"tl.col.{key}"), key=key)
        reference = self.cycle_id

        def load(service: Langkah) -> tuple[CycleView, list[Event]]:
            return service.open_cycle(reference), service.events(reference)

        def failed(error: Exception) -> None:
            self.notify(t("error.store", message=said(error)), severity="error", markup=False)

        self.submit(Job(load, self.show, failed, kind="open"))
        table.focus()

    def show(self, loaded: tuple[CycleView, list[Event]]) -> None:
        self.view, self.events = loaded
        lang = language()
        self.title, self.sub_title = presenter.titles(self.view)
        self.query_one("#timeline-head", Static).update(presenter.header(self.view, lang))
        table: DataTable[Text] = self.query_one(DataTable)
        for cells in presenter.timeline_rows(self.view, self.events, lang):
            # the detail column is cut to the screen; the pane below shows it whole
            texts = [Text(cell, no_wrap=True, overflow="ellipsis") for cell in cells]
            table.add_row(*texts)
        if self.events:
            table.move_cursor(row=len(self.events) - 1)  # the latest event first in view
            self.show_detail(len(self.events) - 1)

    def show_detail(self, index: int) -> None:
        if self.view is None or not 0 <= index < len(self.events):
            return
        text = presenter.event_full(self.view, self.events[index], language())
        self.query_one("#timeline-detail", Static).update(text)

    @on(DataTable.RowHighlighted, "#timeline")
    def highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_detail(event.cursor_row)

    def action_back(self) -> None:
        self.app.pop_screen()
