"""The overview's filters (kecamatan, period, status) in a small dialog, applied as they change.

The filters live in a dialog rather than on the overview itself so that the first screen stays
light (three Select widgets cost about a quarter of a bare Textual app's start-up).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, Select

from langkah.tui.base import LangkahModal
from langkah.tui.presenters.filters import STATUS_CHOICES, Filters
from langkah.tui.strings import t, translate_bindings
from langkah.tui.widgets.bars import KeyBar, TitleBar

Options = list[tuple[str, str]]  # (label, value)


class FilterScreen(LangkahModal[None]):
    """Three Selects; every change is passed to `on_change` at once; Esc or Enter closes."""

    BINDINGS = [
        Binding("escape", "close", "key.back", id="filters.close"),
    ]

    def __init__(
        self,
        filters: Filters,
        kecamatan: Options,
        periods: Options,
        on_change: Callable[[Filters], None],
    ):
        super().__init__()
        translate_bindings(self)
        self.title = t("app.title")
        self.sub_title = t("key.filter")
        self.filters = filters
        self.kecamatan = kecamatan
        self.periods = periods
        self.on_change = on_change

    def compose(self) -> ComposeResult:
        statuses = [(t(f"filter.{status}"), status) for status in STATUS_CHOICES]
        yield TitleBar()
        with Vertical(classes="dialog"):
            yield Label(t("key.filter"), classes="role-title")
            for name, options, prompt in (
                ("kecamatan", self.kecamatan, t("ov.all_kecamatan")),
                ("period", self.periods, t("ov.all_periods")),
                ("status", statuses, t("ov.all_status")),
            ):
                current = getattr(self.filters, name)
                values = {value for _, value in options}
                yield Select(
                    [(Text(label), value) for label, value in options],
                    prompt=prompt,
                    value=current if current in values else Select.NULL,
                    id=f"filter-{name}",
                )
            yield Label(t("filters.hint"), classes="dim")
        yield KeyBar()

    @on(Select.Changed)
    def changed(self, event: Select.Changed) -> None:
        value = None if event.value is Select.NULL else str(event.value)
        name = (event.select.id or "").removeprefix("filter-")
        if name == "kecamatan":
            self.filters = replace(self.filters, kecamatan=value)
        elif name == "period":
            self.filters = replace(self.filters, period=value)
        elif name == "status":
            self.filters = replace(self.filters, status=value)
        self.on_change(self.filters)

    def action_close(self) -> None:
        self.dismiss(None)
