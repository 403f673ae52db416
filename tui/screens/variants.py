"""The kecamatan SOP variants: identity and step table of each, the remembered choice.

Two variants can be compared side by side, step by step.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import zip_longest

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.widgets import DataTable, OptionList, Static
from textual.widgets.option_list import Option

from langkah.display import visible
from langkah.engine.loader import LoadedDefinition
from langkah.sop_table import step_differences
from langkah.tui.base import LangkahScreen
from langkah.tui.presenters.variants import (
    compare_pair,
    identity_text,
    legal_text,
    marked_line,
    step_block,
    step_cells,
    step_columns,
    step_widths,
    toggle_mark,
)
from langkah.tui.strings import t, translate_bindings
from langkah.tui.widgets.bars import KeyBar, TitleBar


class VariantsScreen(LangkahScreen[None]):
    """A picker: the list of variants, and the highlighted one's identity and whole step table."""

    AUTO_FOCUS = "#variant-list"
    BINDINGS = [
        # priority: the list's own Enter (hidden) would otherwise hide it from the bar and F1
        Binding("enter", "choose", "key.choose", id="variants.choose", priority=True),
        Binding("space", "mark", "key.mark", id="variants.mark"),
        Binding("b", "compare", "key.compare", id="variants.compare"),
        Binding("escape", "back", "key.back", id="variants.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)
        self.marked: list[str] = []
        self.highlighted: str | None = None
        self.columns: tuple[tuple[str, ...], int] = ((), 0)

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="variants-body"):
            yield OptionList(id="variant-list")
            with VerticalScroll(id="variant-detail"):
                yield Static(id="variant-identity", markup=False)
                yield DataTable(id="variant-steps", cursor_type="row", show_cursor=False)
                yield Static(id="variant-legal", markup=False)
        yield Static("", id="status-line", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = t("app.title")
        self.sub_title = t("var.title")
        self.fill_list()
        problems = self.app.service.catalog.problems
        if problems:
            self.query_one("#status-line", Static).update(
                t("var.problems", text="; ".join(str(p) for p in problems)[:300])
            )
        self.query_one("#variant-list", OptionList).focus()

    @property
    def definitions(self) -> Mapping[str, LoadedDefinition]:
        return self.app.service.catalog.definitions

    def fill_list(self) -> None:
        """The variants, marked (✓) and chosen ones labelled; labels are replaced in place
        once listed, so the highlight stays where it is."""
        option_list = self.query_one("#variant-list", OptionList)
        chosen = self.app.preferences.variant
        ids = list(self.definitions)
        if option_list.option_count == len(ids):
            for sop_id in ids:
                option_list.replace_option_prompt(sop_id, self.label(sop_id, chosen))
            return
        option_list.clear_options()
        for sop_id in ids:
            option_list.add_option(Option(self.label(sop_id, chosen), id=sop_id))
        if ids:
            option_list.highlighted = ids.index(chosen) if chosen in ids else 0
            self.show_variant(ids[option_list.highlighted or 0])

    def label(self, sop_id: str, chosen: str | None) -> Text:
        summary = self.app.service.catalog.summaries()[sop_id]  # the listing: nothing parsed
        label = Text()
        label.append("✓ " if sop_id in self.marked else "  ")
        label.append(visible(summary.office_name, one_line=True), style="bold")
        if sop_id == chosen:
            label.append(f" ({t('var.chosen')})", style="italic")
        label.append(f"\n  {visible(summary.name, one_line=True)}")
        return label

    @on(OptionList.OptionHighlighted, "#variant-list")
    def option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id:
            self.show_variant(event.option.id)

    @on(OptionList.OptionSelected, "#variant-list")
    def option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_choose()

    def show_variant(self, sop_id: str) -> None:
        """Identity, then the steps (the columns that fit the width), then the legal basis."""
        self.highlighted = sop_id
        loaded = self.loaded(sop_id)
        if loaded is None:
            return
        self.query_one("#variant-identity", Static).update(identity_text(loaded, False))
        self.query_one("#variant-legal", Static).update(legal_text(loaded))
        table: DataTable[Text] = self.query_one("#variant-steps", DataTable)
        screen_width = self.size.width or self.app.size.width
        columns = step_columns(screen_width)
        # The detail pane: the list takes 30% (24 to 44 cells) and its border, the pane its
        # padding and scrollbar.
        detail = screen_width - min(max(screen_width * 3 // 10, 24), 44) - 6
        if (columns, detail) != self.columns:
            self.columns = (columns, detail)
            table.clear(columns=True)
            widths = step_widths(columns, detail)
            for key in columns:
                table.add_column(t(f"var.col.{key}"), key=key, width=widths[key])
        table.clear()
        for step in loaded.definition.steps:
            table.add_row(*step_cells(loaded.definition, step, columns), height=None)

    def on_resize(self, event: events.Resize) -> None:
        if self.highlighted:
            self.show_variant(self.highlighted)

    def action_choose(self) -> None:
        if self.highlighted:
            self.app.remember_variant(self.highlighted)
            name = self.app.service.catalog.summaries()[self.highlighted].office_name
            self.query_one("#status-line", Static).update(t("var.chosen_ok", name=name))
            self.fill_list()

    def action_mark(self) -> None:
        if not self.highlighted:
            return
        self.marked = toggle_mark(self.marked, self.highlighted)
        self.fill_list()
        summaries = self.app.service.catalog.summaries()
        names = [summaries[m].office_name for m in self.marked]
        self.query_one("#status-line", Static).update(marked_line(names))

    def action_compare(self) -> None:
        pair = compare_pair(self.marked, self.app.preferences.variant, self.highlighted)
        if len(pair) < 2:
            self.query_one("#status-line", Static).update(t("var.compare_need"))
            return
        if all(self.loaded(sop_id) is not None for sop_id in pair):
            self.app.push_screen(CompareScreen(pair[0], pair[1]))

    def loaded(self, sop_id: str) -> LoadedDefinition | None:
        """The definition (parsed on first use), or None with why on the status line: a file
        listed valid may have been edited into an invalid one since."""
        try:
            return self.definitions[sop_id]
        except KeyError as error:
            reason = str(error.args[0]) if error.args else sop_id
            self.query_one("#status-line", Static).update(t("var.problems", text=reason))
            return None

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
        yield TitleBar()
        with VerticalScroll(id="compare-body"), Grid(classes="compare-grid"):
            yield Static(identity_text(a), classes="compare-cell compare-head")
            yield Static(identity_text(b), classes="compare-cell compare-head")
            for left, right in zip_longest(a.definition.steps, b.definition.steps):
                # the cells that differ are highlighted (and marked "*") on both sides
                differs = step_differences(a.definition, left, b.definition, right)
                yield Static(step_block(a.definition, left, differs), classes="compare-cell")
                yield Static(step_block(b.definition, right, differs), classes="compare-cell")
        yield KeyBar()

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
