"""Every cycle across kecamatan and periods, most urgent first, with filters.

The list loads in a thread worker, page by page: the store filters, orders and cuts it
(`Langkah.overview_page`), the table holds the pages loaded so far, and the next page is
loaded when the cursor comes near the end; so no key waits for 50,000 rows. When another
process writes cycles, just their rows are read again and put in place (tui/presenters/live.py):
on PostgreSQL a listener thread (LISTEN/NOTIFY) posts `CyclesChanged` as they commit; on the
embedded store the changed files are looked for every 2 seconds.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static
from textual.widgets.data_table import RowKey

from langkah.display import visible
from langkah.tui.base import Job, LangkahScreen
from langkah.tui.changes import CyclesChanged
from langkah.tui.presenters.columns import COLUMNS, fit, layout
from langkah.tui.presenters.filters import Filters
from langkah.tui.strings import language, t, translate_bindings
from langkah.tui.widgets.bars import KeyBar, TitleBar

if TYPE_CHECKING:  # the domain is imported by the loading worker, after the screen is up
    from textual.widgets import Input  # the search field, imported when `/` first opens it

    from langkah.service import Langkah, OverviewPage, OverviewRow
    from langkah.views import ChangedRows

POLL_SECONDS = 2.0
PAGE = 100  # rows loaded at a time (a 200x50 terminal shows about 45)
SPINNER_AFTER = 0.3  # seconds before the table shows a spinner while its first rows load
AHEAD = 30  # the next page is loaded when the cursor is this near the last loaded row
WRAPPED = "ov.col.status"  # the one column whose text wraps rather than being cut


class OverviewScreen(LangkahScreen[None]):
    """The first screen: where every cycle stands, for Tim SAKIP and the clerk alike."""

    CSS_PATH = None  # its rules are in app.tcss, read at start-up; screens.tcss is not needed
    AUTO_FOCUS = "#cycles"
    BINDINGS = [
        # priority: the table's own Enter (hidden) would otherwise hide this one from the key
        # bar and from F1; Enter in the search field goes back to the table.
        Binding("enter", "open_cycle", "key.open", id="overview.open", priority=True),
        Binding("t", "timeline", "key.timeline", id="overview.timeline"),
        Binding("n", "new_cycle", "key.new", id="overview.new"),
        Binding("v", "variants", "key.variants", id="overview.variants"),
        # The list reloads by itself when the store changes: the key is in F1, not the bar.
        Binding("r", "reload", "key.refresh", id="overview.reload", show=False),
        Binding("f", "filter", "key.filter", id="overview.filter"),
        Binding("slash", "search", "key.search", id="overview.search"),
        Binding("escape", "end_search", "key.end_search", id="overview.end_search"),
        # Tim SAKIP's figures: in F1, not the bar (the bar keeps the clerk's keys)
        Binding("a", "analytics", "key.analytics", id="overview.analytics", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)
        self.rows: list[OverviewRow] = []
        self.total = 0  # rows the filters select in the store (self.rows: those loaded)
        self.choices: tuple[list[str], list[str]] = ([], [])  # kecamatan, periods in the store
        self.filters = Filters()
        self.loaded_once = False
        self._token: object = None  # the store's `changes_since` token of the rows shown
        self._layout: list[tuple[str, int]] = []
        self._stop_watching = threading.Event()
        self.full_loads = 0  # loads of the list from its first row (a changed row never is one)

    def compose(self) -> ComposeResult:
        yield TitleBar()  # Textual's Header and Footer, one widget each: tui/widgets/bars.py
        yield Static(self.filter_line(), id="filter-line", markup=False)
        table: DataTable[Text] = DataTable(id="cycles", cursor_type="row", zebra_stripes=True)
        for key in COLUMNS[:3]:  # until the rows are known: the first columns, natural width
            table.add_column(Text(t(key)), key=key)  # not markup: no rich emoji table
        yield table
        yield Static(t("ov.loading"), id="overview-status", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = t("app.title")
        self.sub_title = t("ov.title")
        table = self.query_one("#cycles", DataTable)
        # the status line says it is loading at once; the table's spinner only if the first rows
        # are slow to come (a quick load shows no flash of it, and start-up mounts one widget less)
        self.set_timer(SPINNER_AFTER, self._slow_first_rows)
        self.app.when_service_ready(self.reload)  # the screen shows first, then the data
        self.app.when_service_ready(self.start_watching)
        self.set_interval(POLL_SECONDS, self.poll_changes)
        table.focus()

    def _slow_first_rows(self) -> None:
        if not self.loaded_once:
            self.query_one("#cycles", DataTable).loading = True

    def on_unmount(self) -> None:
        self._stop_watching.set()

    def on_screen_resume(self) -> None:
        if self.loaded_once:
            self.reload(keep=True)

    # -- loading (in a thread worker) ---------------------------------------------------------

    def reload(self, keep: bool = False) -> None:
        """Load the first page again (filters, order and paging happen in the store); `keep`:
        as many rows as are loaded now (another process wrote: the cursor keeps its place)."""
        self._load(0, max(PAGE, len(self.rows)) if keep else PAGE)

    def _load(self, offset: int, limit: int = 0) -> None:
        limit = limit or PAGE
        now = self.app.clock if self.app.service_ready else None
        filters = self.filters

        def load(service: Langkah) -> tuple[OverviewPage, object, int, Filters]:
            import langkah.tui.presenters.overview  # noqa: F401 - the domain, off the UI thread
            from langkah.service import SummaryQuery

            query = SummaryQuery(
                now=now() if now else service.clock(),
                unit=filters.kecamatan,
                period=filters.period,
                status=filters.status,
                text=filters.query,
                limit=limit,
                offset=offset,
            )
            if offset:  # a later page: changes since the first come as changes
                return service.overview_page(query), None, offset, filters
            page, token = service.overview_page_and_token(query)
            return page, token, offset, filters

        self.submit(Job(load, self.loaded, kind="overview", coalesce=True))

    def load_more(self) -> None:
        """The next page, when the cursor nears the end of the rows loaded."""
        if not self.loaded_once or len(self.rows) >= self.total:
            return
        if self._jobs.busy_with("overview"):
            return
        self._load(len(self.rows))

    def poll_changes(self) -> None:
        """Every 2 s: which cycles did another process write? (Read in a worker.)"""
        if not self.app.service_ready or self._token is None or not self.is_current:
            return
        if self._jobs.busy_with("changes") or self._jobs.busy_with("overview"):
            return
        self.refresh_changed(frozenset())

    # -- live: just the changed rows ----------------------------------------------------------

    def start_watching(self) -> None:
        """On a store that pushes (PostgreSQL): a thread worker listens for other processes'
        writes and posts `CyclesChanged` (the 2-second look stays, as a safety net)."""
        service = self.app.service
        if not service.pushes_changes:
            return
        stop = self._stop_watching

        def listen() -> None:
            for ids in service.watch(stop):
                self.post_message(CyclesChanged(ids))  # thread-safe

        # A daemon thread, not a Textual worker: it never ends while the screen is up, and the
        # app (and a test waiting for its workers) must not wait for it; unmounting stops it.
        threading.Thread(target=listen, name="langkah-listen", daemon=True).start()

    def on_cycles_changed(self, message: CyclesChanged) -> None:
        for screen in self.app.screen_stack:  # the run screen of a changed cycle learns too
            if screen is not self:
                screen.post_message(CyclesChanged(message.cycle_ids))
        if not self.loaded_once:
            return  # the first load is under way: it reads them
        if message.cycle_ids is None:
            self.reload()
        else:
            self.refresh_changed(message.cycle_ids)

    def refresh_changed(self, heard: frozenset[str]) -> None:
        """Read just the rows of the cycles `heard` of and of those the store says changed
        since the rows shown (and, unfiltered, how many cycles there are now); put them in
        place. The list is loaded from its start again only when the store cannot tell what
        changed, or when filters are set (the store decides which rows they select)."""
        now, filtering = self.app.clock, self.filtering

        def load(service: Langkah) -> tuple[object, ChangedRows | None, int | None]:
            from langkah.service import SummaryQuery
            from langkah.views import ChangedRows

            changes = service.changes_since(self._token)  # jobs run one at a time: no race
            if changes.cycle_ids is None:
                return changes.token, None, None
            ids = changes.cycle_ids | heard
            if not ids:
                return changes.token, ChangedRows([]), None
            at = now()
            total = None if filtering else service.overview_page(SummaryQuery(at, limit=0)).total
            return changes.token, service.changed_rows(ids, at), total

        self.submit(Job(load, self.apply_changed, lambda _error: None, kind="changes"))

    def apply_changed(self, result: tuple[object, ChangedRows | None, int | None]) -> None:
        """Put the changed rows in place: those in the pages loaded are replaced, new ones
        that sort among them inserted, the others only counted in the footer."""
        token, changed, total = result
        self._token = token
        if changed is None:
            self.reload()  # the store cannot tell (e.g. the server restarted)
            return
        if not self.loaded_once or not (changed.rows or changed.removed):
            return
        if total is None:  # filters set: which rows they select is the store's to say
            self.reload(keep=True)
            return
        from langkah.tui.presenters.live import merge_changed

        merged = merge_changed(self.rows, changed, complete=len(self.rows) >= self.total)
        if not merged.rows and total:
            self.reload(keep=True)  # every loaded row moved on: start from the store's first
            return
        self.rows, self.total = merged.rows, total
        if merged.reordered:
            self.show_rows()  # from the rows in memory: nothing else is read
        else:
            self.update_rows(merged.in_place)
            self.show_count()
        if changed.problems:
            self.notify(
                t("ov.problems", n=len(changed.problems), first=changed.problems[0]),
                severity="warning",
                markup=False,
            )

    def update_rows(self, rows: list[OverviewRow]) -> None:
        """Rows whose place did not change: their cells are replaced where they are (the
        table is filled again only if a row's height must change)."""
        from langkah.tui.presenters import overview as presenter  # loaded by the worker

        table = self.query_one("#cycles", DataTable)
        lang, tones = language(), self._tones()
        widths = dict(self._layout)
        for row in rows:
            cells = presenter.cells(row, lang)
            height = None if len(cells[WRAPPED].text) > widths.get(WRAPPED, 0) else 1
            known = table.rows.get(RowKey(row.cycle_id))
            if known is None or known.auto_height != (height is None):
                self.show_rows()
                return
            for key, width in self._layout:
                cell = cells[key]
                text = Text(cell.text, style=tones[cell.tone])
                if key != WRAPPED:
                    text = Text(fit(cell.text, width), style=tones[cell.tone], no_wrap=True)
                table.update_cell(row.cycle_id, key, text)

    def _tones(self) -> dict[str, str]:
        theme = self.app.current_theme
        return {
            "": "",
            "warning": theme.warning or "yellow",
            "error": theme.error or "red",
            "error-bold": f"bold {theme.error or 'red'}",
        }

    def loaded(self, result: tuple[OverviewPage, object, int, Filters]) -> None:
        page, token, offset, filters = result
        if filters != self.filters or offset > len(self.rows):
            return  # a page of a query the filters have replaced since (its reload follows)
        if offset == 0:  # a later page is newer than the token: changes come as changes
            self._token = token
            self.full_loads += 1
        self.rows = page.rows if offset == 0 else [*self.rows[:offset], *page.rows]
        self.total = page.total
        self.choices = (page.kecamatan, page.periods)
        first = not self.loaded_once
        self.loaded_once = True
        self.show_rows()
        if first:
            self.app.first_rows_shown()
        if page.problems and offset == 0:
            self.notify(
                t("ov.problems", n=len(page.problems), first=page.problems[0]),
                severity="warning",
                markup=False,
            )

    def filter_options(self) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """(kecamatan, period) choices offered by the filter dialog: those present in the data."""
        if not self.loaded_once:
            return [], []
        from langkah.tui.presenters import overview as presenter  # loaded by the worker

        return presenter.choice_options(*self.choices, language())

    def show_filter_line(self) -> None:
        self.query_one("#filter-line", Static).update(self.filter_line())

    def filter_line(self) -> str:
        """The line above the table: the filters and the search in force."""
        f = self.filters
        status = t(f"filter.{f.status}") if f.status else t("ov.all_status")
        parts = [f.kecamatan or t("ov.all_kecamatan"), f.period or t("ov.all_periods"), status]
        line = f"{t('ov.filter_line')}: " + visible(" · ".join(parts), one_line=True)
        if f.query:
            line += f" · {t('ov.search_line')}: " + visible(f.query, one_line=True)
        return line

    # -- showing ------------------------------------------------------------------------------

    def visible_rows(self) -> list[OverviewRow]:
        """The rows loaded so far: the store applied the filters and the search."""
        return self.rows if self.loaded_once else []

    def show_rows(self) -> None:
        """Fill the table: the columns that fit the width (tui/presenters/columns.py), the rows
        the filters and the search admit, the cursor kept on the cycle it was on."""
        table = self.query_one("#cycles", DataTable)
        selected = self.selected_cycle_id()
        table.loading = False
        self.show_filter_line()  # its words follow the units listed (strings.set_units)
        lang = language()
        theme = self.app.current_theme
        tones = {
            "": "",
            "warning": theme.warning or "yellow",
            "error": theme.error or "red",
            "error-bold": f"bold {theme.error or 'red'}",
        }
        shown = self.visible_rows()
        from langkah.tui.presenters import overview as presenter  # loaded by the worker

        rows = [presenter.cells(row, lang) for row in shown]
        headers = {key: t(key) for key in COLUMNS}
        width = table.size.width or self.size.width or self.app.size.width
        self._layout = layout(width, presenter.natural_widths(rows, headers))
        table.clear(columns=True)
        for key, column_width in self._layout:
            table.add_column(Text(fit(headers[key], column_width)), width=column_width, key=key)
        for row, cells in zip(shown, rows, strict=True):
            texts = [
                Text(fit(cells[key].text, w), style=tones[cells[key].tone], no_wrap=True)
                if key != WRAPPED
                else Text(cells[key].text, style=tones[cells[key].tone])
                for key, w in self._layout
            ]
            # One line, unless the status is longer than its column: it wraps, never cut.
            height = None if len(cells[WRAPPED].text) > dict(self._layout).get(WRAPPED, 0) else 1
            table.add_row(*texts, key=row.cycle_id, height=height)
        if selected is not None:
            for index, row in enumerate(shown):
                if row.cycle_id == selected:
                    table.move_cursor(row=index)
        self.show_count()

    def show_count(self) -> None:
        """The footer: how many rows are loaded of how many the filters select."""
        status = self.query_one("#overview-status", Static)
        if not self.rows and not self.total and not self.filtering:
            status.update(t("ov.empty"))
        else:
            from langkah.formatting import count  # loaded by the worker (presenters.overview)

            shown, lang = len(self.visible_rows()), language()
            status.update(t("ov.count", shown=count(shown, lang), total=count(self.total, lang)))

    @property
    def filtering(self) -> bool:
        f = self.filters
        return bool(f.kecamatan or f.period or f.status or f.query.strip())

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
        if self.loaded_once:
            self.reload()  # the store filters

    def on_click(self, event: events.Click) -> None:
        """A click on the filter line opens the filter dialog."""
        if getattr(event.widget, "id", None) == "filter-line":
            self.action_filter()

    # -- actions ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open_cycle", "timeline"):
            return True if self.selected_cycle_id() else None
        if action == "end_search":
            return self.searching  # shown (and Esc taken) only while the search field is open
        return True

    # -- `/` search: filters the rows as you type ----------------------------------------------

    @property
    def searching(self) -> bool:
        return bool(self.query("#search")) and self.query_one("#search").display

    async def action_search(self) -> None:
        from langkah.tui.widgets.safe_input import SafeInput  # not needed at start-up

        if not self.query("#search"):
            field = SafeInput(
                self.filters.query, placeholder=t("ov.search_hint"), id="search", compact=True
            )
            field.cursor_blink = self.app.blink
            await self.mount(field, after=self.query_one("#filter-line"))
        field = self.query_one("#search", SafeInput)
        field.display = True
        field.focus()
        self.refresh_bindings()

    def action_end_search(self) -> None:
        """Esc: the search is cleared and closed, the table has the keys again."""
        if not self.searching:
            return
        field = self.query_one("#search")
        field.display = False
        self.query_one("#cycles", DataTable).focus()
        if self.filters.query:
            self.set_filters(replace(self.filters, query=""))
        self.refresh_bindings()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "search":
            event.stop()
            self.set_filters(replace(self.filters, query=event.value))

    def on_resize(self, event: events.Resize) -> None:
        if self.loaded_once:
            self.call_after_refresh(self.show_rows)  # the columns follow the width

    @on(DataTable.RowSelected, "#cycles")
    def row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open_cycle()

    def action_open_cycle(self) -> None:
        if self.searching and self.focused is not None and self.focused.id == "search":
            self.query_one("#cycles", DataTable).focus()  # Enter ends typing: the keys work
            self.refresh_bindings()
            return
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

    def action_analytics(self) -> None:
        from langkah.tui.screens.analytics import AnalyticsScreen  # not needed at start-up

        if self.app.service_ready:
            self.app.push_screen(AnalyticsScreen(self.filters))

    def action_filter(self) -> None:
        from langkah.tui.screens.filters import FilterScreen

        kecamatan, periods = self.filter_options()
        self.app.push_screen(FilterScreen(self.filters, kecamatan, periods, self.set_filters))

    @on(DataTable.RowHighlighted, "#cycles")
    def highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.refresh_bindings()
        if event.cursor_row >= len(self.rows) - AHEAD:
            self.load_more()
