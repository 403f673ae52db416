"""Starting a cycle: which kecamatan's SOP, for which period, and who fills each role.

The people are optional here and can be filled in later from the run screen.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Label, Select, Static

from langkah.engine.errors import EngineError
from langkah.engine.period import Period
from langkah.store import StoreError
from langkah.tui.strings import language, t, translate_bindings
from langkah.tui.widgets.roles_form import RolesForm


def variant_label(loaded) -> str:
    identity = loaded.definition.identity
    return f"{identity.kecamatan} · {identity.name}"


class StartScreen(Screen):
    """A form: variant (defaults to the remembered one), period (defaults to this quarter)."""

    AUTO_FOCUS = "#start-variant"
    BINDINGS = [
        Binding("ctrl+s", "start", "key.start", id="start.start", priority=True),
        Binding("escape", "back", "key.back", id="start.back"),
    ]

    def __init__(self, variant: str | None = None):
        super().__init__()
        translate_bindings(self)
        self.variant = variant

    def compose(self) -> ComposeResult:
        catalog = self.app.service.catalog
        options = [(Text(variant_label(d)), sop_id) for sop_id, d in catalog.definitions.items()]
        chosen = self.variant if self.variant in catalog.definitions else Select.NULL
        now = self.app.clock()
        period = Period.containing(now.date(), "triwulan")
        yield Header()
        with VerticalScroll(id="start-form"):
            yield Label(t("start.variant"))
            yield Select(options, value=chosen, prompt=t("run.choose"), id="start-variant")
            yield Label(t("start.period"))
            period_input = Input(str(period), id="start-period")
            period_input.cursor_blink = getattr(self.app, "blink", True)
            yield period_input
            yield Static("", id="start-period-label", markup=False)
            yield Label(t("start.people"))
            yield Vertical(id="start-roles")
            yield Button(t("key.start") + " (ctrl+s)", id="start-button", variant="primary")
        yield Static("", id="status-line", markup=False)
        yield Footer()

    async def on_mount(self) -> None:
        self.title = t("app.title")
        self.sub_title = t("start.title")
        self.show_period()
        await self.show_roles()
        self.query_one("#start-variant", Select).focus()

    def show_period(self) -> None:
        label = self.query_one("#start-period-label", Static)
        try:
            label.update(
                Period.parse(self.query_one("#start-period", Input).value).label(language())
            )
        except ValueError as error:
            label.update(str(error))

    @on(Input.Changed, "#start-period")
    def period_changed(self) -> None:
        self.show_period()

    @on(Select.Changed, "#start-variant")
    async def variant_changed(self) -> None:
        await self.show_roles()

    async def show_roles(self) -> None:
        holder = self.query_one("#start-roles", Vertical)
        await holder.remove_children()
        value = self.query_one("#start-variant", Select).value
        if value is Select.NULL:
            return
        definition = self.app.service.catalog.definitions[value].definition
        await holder.mount(RolesForm(definition, {}, getattr(self.app, "blink", True)))

    @on(Button.Pressed, "#start-button")
    def button(self) -> None:
        self.action_start()

    def action_start(self) -> None:
        status = self.query_one("#status-line", Static)
        value = self.query_one("#start-variant", Select).value
        if value is Select.NULL:
            status.update(t("start.no_variant"))
            return
        text = self.query_one("#start-period", Input).value
        try:
            period = Period.parse(text)
        except ValueError as error:
            status.update(t("start.bad_period", message=str(error)))
            return
        forms = list(self.query(RolesForm))
        roles = forms[0].people() if forms else {}
        try:
            view = self.app.service.start(str(value), period, roles)
        except EngineError as error:
            status.update(error.message(language()))
            return
        except (StoreError, KeyError, ValueError) as error:
            status.update(t("error.store", message=str(error)))
            return
        self.app.remember_variant(str(value))
        self.notify(t("start.started", id=view.state.cycle_id), markup=False)
        self.app.pop_screen()
        self.app.open_run(view.state.cycle_id)

    def action_back(self) -> None:
        self.app.pop_screen()
