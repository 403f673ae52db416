"""The kecamatan SOP variants: identity and step table of each, the remembered choice.

Two variants can be compared side by side, step by step.
"""

from __future__ import annotations

from itertools import zip_longest

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.widgets import DataTable, Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from langkah.display import visible
from langkah.engine.loader import LoadedDefinition
from langkah.tui.base import LangkahScreen
from langkah.tui.presenters.variants import (
    compare_pair,
    identity_text,
    step_block,
    step_cells,
    toggle_mark,
)
from langkah.tui.strings import t, translate_bindings


class VariantsScreen(LangkahScreen[None]):
    """A picker: the list of variants, and the highlighted one's identity and whole step table."""

    AUTO_FOCUS = "#variant-list"
    BINDINGS = [
        Binding("enter", "choose", "key.choose", id="variants.choose"),
        Binding("space", "mark", "key.mark", id="variants.mark"),
        Binding("b", "compare", "key.compare", id="variants.compare"),
        Binding("escape", "back", "key.back", id="variants.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)
        self.marked: list[str] = []
        self.highlighted: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="variants-body"):
            yield OptionList(id="variant-list")
            with VerticalScroll(id="variant-detail"):
                yield Static(id="variant-identity", markup=False)
                yield DataTable(id="variant-steps", cursor_type="row", show_cursor=False)
        yield Static("", id="status-line", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.title = t("app.title")
        self.sub_title = t("var.title")
        table: DataTable[Text] = self.query_one("#variant-steps", DataTable)
        for key in ("no", "activity", "actor", "inputs", "time", "output"):
            table.add_column(t(f"var.col.{key}"), key=key)
        self.fill_list()
        problems = self.app.service.catalog.problems
        if problems:
            self.query_one("#status-line", Static).update(
                t("var.problems", text="; ".join(str(p) for p in problems)[:300])
            )
        self.query_one("#variant-list", OptionList).focus()

    @property
    def definitions(self) -> dict[str, LoadedDefinition]:
        return self.app.service.catalog.definitions

    def fill_list(self) -> None:
        option_list = self.query_one("#variant-list", OptionList)
        chosen = self.app.preferences.variant
        highlighted = option_list.highlighted
        option_list.clear_options()
        for sop_id, loaded in self.definitions.items():
            identity = loaded.definition.identity
            label = Text()
            label.append("✓ " if sop_id in self.marked else "  ")
            label.append(visible(identity.office.name, one_line=True), style="bold")
            if sop_id == chosen:
                label.append(f" ({t('var.chosen')})", style="italic")
            label.append(f"\n  {visible(identity.name, one_line=True)}")
            option_list.add_option(Option(label, id=sop_id))
        ids = list(self.definitions)
        if highlighted is None and chosen in ids:
            highlighted = ids.index(chosen)
        if ids:
            option_list.highlighted = highlighted or 0
            self.show_variant(ids[option_list.highlighted or 0])

    @on(OptionList.OptionHighlighted, "#variant-list")
    def option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id:
            self.show_variant(event.option.id)

    @on(OptionList.OptionSelected, "#variant-list")
    def option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_choose()

    def show_variant(self, sop_id: str) -> None:
        self.highlighted = sop_id
        loaded = self.definitions[sop_id]
        self.query_one("#variant-identity", Static).update(identity_text(loaded))
        table = self.query_one("#variant-steps", DataTable)
        table.clear()
        for step in loaded.definition.steps:
            table.add_row(*step_cells(loaded.definition, step), height=None)

    def action_choose(self) -> None:
        if self.highlighted:
            self.app.remember_variant(self.highlighted)
            name = self.definitions[self.highlighted].definition.identity.office.name
            self.query_one("#status-line", Static).update(t("var.chosen_ok", name=name))
            self.fill_list()

    def action_mark(self) -> None:
        if not self.highlighted:
            return
        self.marked = toggle_mark(self.marked, self.highlighted)
        self.fill_list()

    def action_compare(self) -> None:
        pair = compare_pair(self.marked, self.app.preferences.variant, self.highlighted)
        if len(pair) < 2:
            self.query_one("#status-line", Static).update(t("var.compare_need"))
            return
        self.app.push_screen(CompareScreen(pair[0], pair[1]))

    def action_back(self) -> None:
        self.app.pop_screen()


class CompareScreen(LangkahScreen[None]):
    """Two variants side by side, step by step (step i of one beside step i of the other)."""

    AUTO_FOCUS = "#compare-body"
    BINDINGS = [Binding("escape,q", "back", "key.back", id="compare.back")]

    def __init__(self, first: str, second: str):
        super().__init__()
        translate_bindings(self)
        self.first = first
        self.second = second

    def compose(self) -> ComposeResult:
        definitions = self.app.service.catalog.definitions
        a, b = definitions[self.first], definitions[self.second]
        yield Header()
        with VerticalScroll(id="compare-body"), Grid(classes="compare-grid"):
            yield Static(identity_text(a), classes="compare-cell compare-head")
            yield Static(identity_text(b), classes="compare-cell compare-head")
            for left, right in zip_longest(a.definition.steps, b.definition.steps):
                yield Static(step_block(a.definition, left), classes="compare-cell")
                yield Static(step_block(b.definition, right), classes="compare-cell")
        yield Footer()

    def on_mount(self) -> None:
        definitions = self.app.service.catalog.definitions
        self.title = t("app.title")
        self.sub_title = t(
            "var.compare_title",
            a=definitions[self.first].definition.identity.office.name,
            b=definitions[self.second].definition.identity.office.name,
        )
        self.query_one("#compare-body").focus()

    def action_back(self) -> None:
        self.app.pop_screen()
