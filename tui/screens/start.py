"""Starting a cycle: which kecamatan's SOP, for which period, and who fills each role.

The people are optional here and can be filled in later from the run screen.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static

from langkah.display import visible
from langkah.engine.errors import EngineError
from langkah.service import CycleView, Langkah, OverviewRow
from langkah.tui.base import Job, LangkahScreen
from langkah.tui.presenters import start as presenter
from langkah.tui.strings import language, said, t, translate_bindings
from langkah.tui.widgets.bars import KeyBar, TitleBar
from langkah.tui.widgets.roles_form import RolesForm
from langkah.tui.widgets.safe_input import SafeInput


class StartScreen(LangkahScreen[None]):
    """A form: variant (defaults to the remembered one), period (defaults to this quarter)."""

    AUTO_FOCUS = "#start-variant"
    BINDINGS = [
        Binding("ctrl+s", "start", "key.start", id="start.start"),
        Binding("escape", "back", "key.back", id="start.back"),
    ]

    def __init__(self, variant: str | None = None):
        super().__init__()
        translate_bindings(self)
        self.variant = variant
        self.confirmed: tuple[str, str] | None = None  # a second cycle the clerk agreed to start
        self.last_year: int | None = None  # the holiday data's last year (periods after it)

    def compose(self) -> ComposeResult:
        definitions = self.app.service.catalog.summaries()  # listed since start-up
        self.last_year = self.app.service.holiday_last_year  # known since start-up
        options = [(Text(label), value) for label, value in presenter.variant_options(definitions)]
        chosen = self.variant if self.variant in definitions else Select.NULL
        period = presenter.default_period(self.app.clock())
        yield TitleBar()
        with VerticalScroll(id="start-form"):
            yield Label(t("start.variant"))
            yield Select(options, value=chosen, prompt=t("run.choose"), id="start-variant")
            yield Label(t("start.period"))
            period_input = SafeInput(str(period), id="start-period")
            period_input.cursor_blink = self.app.blink
            yield period_input
            yield Static("", id="start-period-label", markup=False)
            yield Static("", id="start-duplicate", markup=False)
            yield Label(t("start.people"))
            yield Vertical(id="start-roles")
            yield Button(t("key.start") + " (ctrl+s)", id="start-button", variant="primary")
        yield Static("", id="status-line", markup=False)
        yield KeyBar()

    async def on_mount(self) -> None:
        self.title = t("app.title")
        self.sub_title = t("start.title")
        self.show_period()
        await self.show_roles()
        self.check_duplicates()
        self.query_one("#start-variant", Select).focus()

    def show_period(self) -> None:
        text = self.query_one("#start-period", Input).value
        self.query_one("#start-period-label", Static).update(
            presenter.period_label(text, language(), self.last_year)
        )

    @on(Input.Changed, "#start-period")
    def period_changed(self) -> None:
        self.show_period()
        self.check_duplicates()

    @on(Select.Changed, "#start-variant")
    async def variant_changed(self) -> None:
        self.query_one("#status-line", Static).update("")  # a stale "choose an SOP first"
        await self.show_roles()
        self.check_duplicates()

    # -- a second cycle of the same SOP and period: said as soon as it is chosen -----------------

    def chosen(self) -> tuple[str, str] | None:
        """(sop id, period) when both are valid, else None."""
        value = self.query_one("#start-variant", Select).value
        request = presenter.start_request(
            None if value is Select.NULL else str(value),
            self.query_one("#start-period", Input).value,
            self.last_year,
        )
        if request.sop_id is None or request.period is None:
            return None
        return request.sop_id, str(request.period)

    def check_duplicates(self) -> None:
        """Look up (in a worker) the cycles the chosen SOP and period already have."""
        chosen = self.chosen()
        if chosen != self.confirmed:
            self.confirmed = None
        if chosen is None:
            self.show_duplicates([])
            return
        sop_id, period = chosen

        def look(service: Langkah) -> tuple[tuple[str, str], list[OverviewRow]]:
            return chosen, existing(service, sop_id, period)

        def looked(result: tuple[tuple[str, str], list[OverviewRow]]) -> None:
            if result[0] == self.chosen():  # still what the form shows
                self.show_duplicates(result[1])

        self.submit(Job(look, looked, lambda _error: None, kind="duplicates", coalesce=True))

    def show_duplicates(self, rows: list[OverviewRow]) -> None:
        warning = self.query_one("#start-duplicate", Static)
        warning.update(presenter.duplicate_warning(rows, language()))
        warning.set_class(bool(rows), "-warning")

    async def show_roles(self) -> None:
        holder = self.query_one("#start-roles", Vertical)
        await holder.remove_children()
        value = self.query_one("#start-variant", Select).value
        if value is Select.NULL:
            return
        try:  # parsed on first use: a file listed valid may have been edited since
            definition = self.app.service.catalog.definitions[str(value)].definition
        except KeyError as error:
            reason = str(error.args[0]) if error.args else str(value)
            self.query_one("#status-line", Static).update(t("var.problems", text=reason))
            return
        await holder.mount(RolesForm(definition, {}, self.app.blink))

    @on(Button.Pressed, "#start-button")
    def button(self) -> None:
        self.action_start()

    def action_start(self) -> None:
        if self.busy:
            return  # a start is on its way
        status = self.query_one("#status-line", Static)
        value = self.query_one("#start-variant", Select).value
        request = presenter.start_request(
            None if value is Select.NULL else str(value),
            self.query_one("#start-period", Input).value,
            self.last_year,
        )
        if request.sop_id is None or request.period is None:
            status.update(request.problem)
            return
        sop_id, period = request.sop_id, request.period
        forms = list(self.query(RolesForm))
        roles = forms[0].people() if forms else {}
        key = (sop_id, str(period))
        confirmed = self.confirmed == key

        def start(service: Langkah) -> CycleView | list[OverviewRow]:
            if not confirmed:  # looked up again: another terminal may have started one
                rows = existing(service, sop_id, str(period))
                if rows:
                    return rows
            return service.start(sop_id, period, roles)

        def started(result: CycleView | list[OverviewRow]) -> None:
            if isinstance(result, list):  # asks once; ctrl+s again starts it all the same
                self.confirmed = key
                self.show_duplicates(result)
                status.update(t("start.confirm_duplicate"))
                return
            view = result
            self.app.remember_variant(sop_id)
            self.notify(t("start.started", id=view.state.cycle_id), markup=False)
            self.app.pop_screen()
            self.app.open_run(view.state.cycle_id)

        def failed(error: Exception) -> None:
            if isinstance(error, EngineError):
                status.update(visible(error.message(language())))
            else:
                status.update(t("error.store", message=said(error)))

        self.submit(Job(start, started, failed, kind="action"))

    def action_back(self) -> None:
        self.app.pop_screen()


def existing(service: Langkah, sop_id: str, period: str) -> list[OverviewRow]:
    """The cycles (not cancelled) of this SOP and period: run in a worker."""
    from langkah.service import SummaryQuery
    from langkah.views import same_sop_and_period

    sop = service.catalog.get(sop_id).sop_id
    query = SummaryQuery(now=service.clock(), sop_id=sop, period=period)  # taken in the store
    return same_sop_and_period(service.overview_page(query).rows, sop, period)
