"""Every cycle across kecamatan and periods, most urgent first, with filters.

The list loads in a thread worker (thousands of cycles must not block the screen) and reloads
when another process changes a cycle (the store's change token is polled every 2 seconds).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from langkah.tui.strings import language, t, translate_bindings

if TYPE_CHECKING:  # the domain is imported by the loading worker, after the screen is up
    from langkah.service import Overview, OverviewRow

OVERDUE, NEAR_LIMIT = "overdue", "near_limit"  # engine.timing.TimeStatus values

POLL_SECONDS = 2.0
# Rows carry no calendar: days are shown with the Perpres 21/2023 average working day.
WORKDAY_MINUTES = 450
STEP_WIDTH = 30
HOLDER_WIDTH = 26
# Most telling first, so that a narrow terminal shows what matters without scrolling.
COLUMNS = (
    "ov.col.kecamatan",
    "ov.col.period",
    "ov.col.step",
    "ov.col.overdue",
    "ov.col.time",
    "ov.col.holder",
    "ov.col.returns",
    "ov.col.status",
    "ov.col.sop",
)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


@dataclass
class Filters:
    kecamatan: str | None = None
    period: str | None = None
    status: str | None = None

    def accepts(self, row: OverviewRow) -> bool:
        if self.kecamatan and row.kecamatan != self.kecamatan:
            return False
        if self.period and row.period != self.period:
            return False
        if self.status == "open":
            return row.status_is_open
        if self.status == "overdue":
            return row.timing is not None and row.timing.status == OVERDUE
        if self.status in ("finished", "cancelled"):
            return row.status.value == self.status
        return True


class OverviewScreen(Screen):
    """The first screen: where every cycle stands, for Tim SAKIP and the clerk alike."""

    AUTO_FOCUS = "#cycles"
    BINDINGS = [
        Binding("enter", "open_cycle", "key.open", id="overview.open"),
        Binding("t", "timeline", "key.timeline", id="overview.timeline"),
        Binding("n", "new_cycle", "key.new", id="overview.new"),
        Binding("v", "variants", "key.variants", id="overview.variants"),
        Binding("r", "reload", "key.refresh", id="overview.reload"),
        Binding("f", "filter", "key.filter", id="overview.filter"),
    ]

    class Loaded(Message):
        """Posted (from the loading thread) with a fresh overview."""

        def __init__(self, overview: Overview, token: tuple[int, int]):
            super().__init__()
            self.overview = overview
            self.token = token

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)
        self.rows: list[OverviewRow] = []
        self.filters = Filters()
        self.loaded = False
        self._token: tuple[int, int] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="filter-line", markup=False)
        table: DataTable = DataTable(id="cycles", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static(t("ov.loading"), id="overview-status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.title = t("app.title")
        self.sub_title = t("ov.title")
        table = self.query_one("#cycles", DataTable)
        for key in COLUMNS:
            table.add_column(t(key), key=key)
        table.loading = True
        self.show_filter_line()
        self.app.when_service_ready(self.reload)  # the screen shows first, then the data
        self.set_interval(POLL_SECONDS, self.poll_changes)
        table.focus()

    def on_screen_resume(self) -> None:
        if self.loaded:
            self.reload()

    # -- loading ------------------------------------------------------------------------------

    def reload(self) -> None:
        self.load_rows()

    @work(thread=True, exclusive=True, group="overview")
    def load_rows(self) -> None:
        service = self.app.service
        token = service.store.change_token()
        overview = service.overview(self.app.clock())
        self.post_message(self.Loaded(overview, token))

    def poll_changes(self) -> None:
        if not self.app.service_ready:
            return
        token = self.app.service.store.change_token()
        if self._token is not None and token != self._token and self.is_current:
            self._token = token
            self.reload()

    def on_overview_screen_loaded(self, message: Loaded) -> None:
        self._token = message.token
        self.rows = message.overview.rows
        self.loaded = True
        self.show_rows()
        if message.overview.problems:
            self.notify(
                t(
                    "ov.problems",
                    n=len(message.overview.problems),
                    first=message.overview.problems[0],
                ),
                severity="warning",
                markup=False,
            )

    def filter_options(self) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """(kecamatan, period) choices offered by the filter dialog: those present in the data."""
        from langkah.engine.period import Period

        kecamatan = sorted({r.kecamatan for r in self.rows})
        periods = sorted({r.period for r in self.rows}, reverse=True)
        lang = language()
        return [(k, k) for k in kecamatan], [(Period.parse(p).label(lang), p) for p in periods]

    def show_filter_line(self) -> None:
        f = self.filters
        status = t(f"filter.{f.status}") if f.status else t("ov.all_status")
        parts = [f.kecamatan or t("ov.all_kecamatan"), f.period or t("ov.all_periods"), status]
        self.query_one("#filter-line", Static).update(
            f"{t('ov.filter_line')}: " + " · ".join(parts)
        )

    # -- showing ------------------------------------------------------------------------------

    def visible_rows(self) -> list[OverviewRow]:
        return [r for r in self.rows if self.filters.accepts(r)]

    def show_rows(self) -> None:
        table = self.query_one("#cycles", DataTable)
        selected = self.selected_cycle_id()
        table.loading = False
        table.clear()
        lang = language()
        error = self.app.current_theme.error or "red"
        warning = self.app.current_theme.warning or "yellow"
        shown = self.visible_rows()
        for row in shown:
            table.add_row(*self._cells(row, lang, error, warning), key=row.cycle_id)
        if selected is not None:
            for index, row in enumerate(shown):
                if row.cycle_id == selected:
                    table.move_cursor(row=index)
        status = self.query_one("#overview-status", Static)
        if not self.rows:
            status.update(t("ov.empty"))
        else:
            status.update(t("ov.count", shown=len(shown), total=len(self.rows)))

    def _cells(self, row: OverviewRow, lang: str, error: str, warning: str) -> list:
        from langkah.formatting import duration

        timing = row.timing
        step = Text(no_wrap=True, overflow="ellipsis")
        if row.current_step is not None:
            step.append(_clip(f"{row.current_step}. {row.step_activity}", STEP_WIDTH))
        holder = row.actors + (f" ({row.holders})" if row.holders else "")
        time_text = Text("-")
        overdue_text = Text("")
        if timing is not None:
            standard = timing.standard.text or "-"
            time_text = Text(
                f"{duration(timing.elapsed_minutes, lang, WORKDAY_MINUTES)} / {standard}"
            )
            if timing.status == OVERDUE:
                overdue_text = Text(
                    duration(timing.overdue_minutes, lang, WORKDAY_MINUTES), style=f"bold {error}"
                )
                time_text.stylize(error)
            elif timing.status == NEAR_LIMIT:
                time_text.stylize(warning)
        status = t(f"status.{row.status.value}")
        if timing is not None and timing.status == OVERDUE and row.status_is_open:
            status = f"{status}, {t('time.overdue')}"
        return [
            Text(row.kecamatan),
            Text(row.period),
            step,
            overdue_text,
            time_text,
            Text(_clip(holder or "-", HOLDER_WIDTH)),
            Text(str(row.returns) if row.returns else ""),
            Text(status),
            Text(row.sop_name),
        ]

    def selected_cycle_id(self) -> str | None:
        table = self.query_one("#cycles", DataTable)
        if table.row_count == 0:
            return None
        try:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        except Exception:  # an empty or just-cleared table has no cell under the cursor
            return None
        return key.value if key is not None else None

    # -- filters ------------------------------------------------------------------------------

    def set_filters(self, filters: Filters) -> None:
        self.filters = filters
        self.show_filter_line()
        if self.loaded:
            self.show_rows()

    def on_click(self, event) -> None:  # noqa: ANN001 - a click on the filter line opens the dialog
        if getattr(event.widget, "id", None) == "filter-line":
            self.action_filter()

    # -- actions ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in ("open_cycle", "timeline"):
            return True if self.selected_cycle_id() else None
        return True

    @on(DataTable.RowSelected, "#cycles")
    def row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open_cycle()

    def action_open_cycle(self) -> None:
        cycle_id = self.selected_cycle_id()
        if cycle_id:
            self.app.open_run(cycle_id)

    def action_timeline(self) -> None:
        cycle_id = self.selected_cycle_id()
        if cycle_id:
            self.app.open_timeline(cycle_id)

    def action_new_cycle(self) -> None:
        self.app.open_start()

    def action_variants(self) -> None:
        self.app.open_variants()

    def action_reload(self) -> None:
        self.reload()

    def action_filter(self) -> None:
        from langkah.tui.screens.filters import FilterScreen

        kecamatan, periods = self.filter_options()
        self.app.push_screen(FilterScreen(self.filters, kecamatan, periods, self.set_filters))

    @on(DataTable.RowHighlighted, "#cycles")
    def highlighted(self) -> None:
        self.refresh_bindings()
