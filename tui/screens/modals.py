"""Prompts and dialogs: a reason or note, the people per role, help, monitoring rows."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Label, Select, Static

from langkah.display import visible
from langkah.engine.cycle import Person
from langkah.engine.definition import SopDefinition
from langkah.tui.base import LangkahModal
from langkah.tui.strings import t, translate_bindings
from langkah.tui.widgets.roles_form import RolesForm
from langkah.tui.widgets.safe_input import SafeInput


class TextPrompt(LangkahModal[str | None]):
    """Asks for one line of text (a reason, a note); returns it, or None when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "key.cancel", id="prompt.cancel"),
    ]

    def __init__(self, title: str, placeholder: str, required: bool = True):
        super().__init__()
        translate_bindings(self)
        self.title_text = title
        self.placeholder = placeholder
        self.required = required

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(visible(self.title_text), style="bold"))
            widget = SafeInput(placeholder=self.placeholder, id="prompt-input")
            widget.cursor_blink = self.app.blink
            yield widget
            yield Static("", id="prompt-error", classes="error-line")
            yield Label(t("prompt.keys"), classes="dim")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        if self.required and not value:
            self.query_one("#prompt-error", Static).update(t("reason.empty"))
            return
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class RolesModal(LangkahModal[dict[str, Person] | None]):
    """Edits name, NIP and pangkat per role; returns the changed roles, or None."""

    BINDINGS = [
        Binding("ctrl+s", "save", "key.save", id="roles.save", priority=True),
        Binding("escape", "cancel", "key.cancel", id="roles.cancel"),
    ]

    def __init__(self, definition: SopDefinition, roles: dict[str, Person]):
        super().__init__()
        translate_bindings(self)
        self.definition = definition
        self.roles = roles

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(Text(t("roles.title"), style="bold"))
            yield Label(t("roles.help"), classes="dim")
            with VerticalScroll():
                yield RolesForm(self.definition, self.roles, self.app.blink, id="roles")
            yield Label(t("modal.keys"), classes="dim")

    def action_save(self) -> None:
        form = self.query_one(RolesForm)
        problem = form.problem()  # a NIP the engine would refuse: say so, keep what was typed
        if problem:
            self.notify(problem, severity="error", markup=False)
            return
        self.dismiss(form.people())

    def action_cancel(self) -> None:
        self.dismiss(None)


class HelpScreen(LangkahModal[None]):
    """Every key of the screen below (and of the app) with what it does now."""

    BINDINGS = [
        Binding("escape,q,f1,question_mark", "close", "key.back", id="help.close"),
    ]

    def __init__(self, rows: list[tuple[str, str, bool]]):
        super().__init__()
        translate_bindings(self)
        self.rows = rows

    def compose(self) -> ComposeResult:
        text = Text()
        width = max((len(k) for k, _, _ in self.rows), default=4) + 2
        for key, description, enabled in self.rows:
            text.append(f"{key:<{width}}", style="bold")
            text.append(description)
            if not enabled:
                text.append(f"  {t('help.unavailable')}", style="dim")
            text.append("\n")
        with Vertical(classes="dialog wide"):
            yield Label(Text(t("help.title"), style="bold"))
            with VerticalScroll():
                yield Static(text, id="help-keys")
            yield Static(t("help.footer"), classes="dim", markup=False)

    def action_close(self) -> None:
        self.dismiss(None)


class MonitoringModal(LangkahModal[list[Any] | None]):
    """Review and edit the monitoring rows (penilaian, catatan, tindakan) before export."""

    BINDINGS = [
        Binding("ctrl+s", "save", "key.export", id="monitoring.export", priority=True),
        Binding("escape", "cancel", "key.cancel", id="monitoring.cancel"),
    ]

    def __init__(self, rows: list[Any]):
        super().__init__()
        translate_bindings(self)
        self.rows = rows

    def compose(self) -> ComposeResult:
        blink = self.app.blink
        assessments = [(t("mon.good"), "yes"), (t("mon.not_good"), "no")]
        with Vertical(classes="dialog wide"):
            yield Label(Text(t("mon.title"), style="bold"))
            yield Label(t("mon.help"), classes="dim")
            with VerticalScroll():
                for index, row in enumerate(self.rows):
                    yield Label(
                        Text(
                            f"{row.no}. {visible(row.prosedur, one_line=True)}",
                            no_wrap=True,
                            overflow="ellipsis",
                        )
                    )
                    value = {True: "yes", False: "no"}.get(row.berjalan_baik, Select.NULL)
                    with Horizontal(classes="monitoring-row"):
                        yield Select(
                            assessments,
                            value=value,
                            prompt=t("mon.assessment"),
                            compact=True,
                            id=f"mon-{index}-assessment",
                        )
                        for key, label in (("catatan", "mon.notes"), ("tindakan", "mon.action")):
                            widget = SafeInput(
                                value=getattr(row, key),
                                placeholder=t(label),
                                id=f"mon-{index}-{key}",
                                compact=True,
                            )
                            widget.cursor_blink = blink
                            yield widget

    def action_save(self) -> None:
        import dataclasses

        edited = []
        for index, row in enumerate(self.rows):
            choice = self.query_one(f"#mon-{index}-assessment", Select).value
            edited.append(
                dataclasses.replace(
                    row,
                    berjalan_baik=None if choice is Select.NULL else choice == "yes",
                    catatan=self.query_one(f"#mon-{index}-catatan", Input).value,
                    tindakan=self.query_one(f"#mon-{index}-tindakan", Input).value,
                )
            )
        self.dismiss(edited)

    def action_cancel(self) -> None:
        self.dismiss(None)
