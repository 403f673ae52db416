"""Prompts and dialogs: a reason or note, the people per role, help, monitoring rows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import Input, Label, Select, Static

from langkah.display import visible
from langkah.engine.cycle import Person
from langkah.engine.definition import SopDefinition
from langkah.tui.base import LangkahModal
from langkah.tui.presenters.cells import edited_cell, one_line
from langkah.tui.strings import t, translate_bindings
from langkah.tui.widgets.roles_form import RolesForm
from langkah.tui.widgets.safe_input import SafeInput

DRAFT_DELAY = 0.5  # seconds of quiet typing before a dialog's text is kept as a draft
DraftKeeper = Callable[[Any], None]


class ConfirmModal(LangkahModal[bool]):
    """A yes/no question; returns True only for yes (Esc and n answer no)."""

    BINDINGS = [
        Binding("y", "answer(True)", "key.yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "key.no", id="confirm.no"),
    ]

    def __init__(self, question: str):
        super().__init__()
        translate_bindings(self)
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(visible(self.question), style="bold"), id="confirm-question")
            yield Label(t("confirm.keys"), classes="dim", id="confirm-keys")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class _Drafted:
    """What a drafted dialog shares: typing kept (debounced) through `keep`, the keeper's
    acknowledgement shown on the dialog's draft line, and Esc that asks before discarding."""

    _draft_timer: Timer | None = None

    def schedule_keep(self: Any) -> None:
        if self.keep is None:
            return
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(DRAFT_DELAY, self.keep_now)

    def keep_now(self: Any) -> None:
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        if self.keep is None or not self.is_mounted:
            return
        typed = self.typed()
        if typed == getattr(self, "_kept", None):
            return  # unchanged since kept (or since the dialog opened)
        self._kept = typed
        self.keep(typed)

    def keep_pending(self: Any) -> None:
        """Keep the typing now if its draft is still waiting for the typing to stop (quit)."""
        if self._draft_timer is not None:
            self.keep_now()

    def draft_saved(self: Any, error: str | None = None) -> None:
        """The keeper's answer: the draft is on disk (or why not)."""
        lines = list(self.query(".draft-line").results(Static)) if self.is_mounted else []
        if not lines:
            return  # closed (or closing) before the answer came
        line = lines[0]
        line.update(t("draft.failed", message=error) if error else t("draft.saved"))
        line.set_class(error is not None, "error-line")

    async def ask_then_cancel(self: Any) -> None:
        if not self.has_typing():
            self.dismiss(None)
            return
        if await self.app.push_screen_wait(ConfirmModal(t("discard.confirm"))):
            self.dismiss(None)
        else:
            self.focus_first()


class TextPrompt(_Drafted, LangkahModal[str | None]):
    """Asks for one line of text (a reason, a note); returns it, or None when cancelled.

    What is typed is handed to `keep` half a second after the typing stops (the run screen
    keeps it as a draft); Esc with text typed asks before it is thrown away."""

    BINDINGS = [
        Binding("escape", "cancel", "key.cancel", id="prompt.cancel"),
    ]

    def __init__(
        self,
        title: str,
        placeholder: str,
        required: bool = True,
        initial: str = "",
        keep: DraftKeeper | None = None,
    ):
        super().__init__()
        translate_bindings(self)
        self.title_text = title
        self.placeholder = placeholder
        self.required = required
        self.initial = initial
        self.keep = keep

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(visible(self.title_text), style="bold"), id="prompt-title")
            widget = SafeInput(value=self.initial, placeholder=self.placeholder, id="prompt-input")
            widget.cursor_blink = self.app.blink
            yield widget
            yield Static("", id="prompt-error", classes="error-line", markup=False)
            with Horizontal(classes="dialog-keys"):
                yield Label(t("prompt.keys"), classes="dim")
                yield Static("", classes="draft-line dim", markup=False)

    def on_mount(self) -> None:
        self._kept = self.initial
        self.focus_first()

    def focus_first(self) -> None:
        self.query_one("#prompt-input", Input).focus()

    def typed(self) -> str:
        return self.query_one("#prompt-input", Input).value

    def has_typing(self) -> bool:
        return bool(self.typed().strip())

    @on(Input.Changed, "#prompt-input")
    def _changed(self) -> None:
        self.query_one("#prompt-error", Static).update("")
        self.schedule_keep()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        if self.required and not value:
            self.query_one("#prompt-error", Static).update(t("reason.empty"))
            return
        # the typing is kept before the action it goes to is tried: an action that fails (a full
        # disk, a busy lock) leaves it as a draft, however quickly Enter followed the typing
        self.keep_now()
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.run_worker(self.ask_then_cancel(), exclusive=True, group="confirm")


class RolesModal(_Drafted, LangkahModal[dict[str, Person] | None]):
    """Edits name, NIP and pangkat per role; returns the changed roles, or None.

    The roles are the ones the cycle's SOP defines (a role the service adds appears with no
    change here); typing is drafted like a prompt's, and ctrl+s with nothing changed says so."""

    BINDINGS = [
        Binding("ctrl+s", "save", "key.save", id="roles.save"),
        Binding("escape", "cancel", "key.cancel", id="roles.cancel"),
        Binding("down", "move(1)", "key.field_down", id="roles.down", show=False),
        Binding("up", "move(-1)", "key.field_up", id="roles.up", show=False),
    ]

    def __init__(
        self,
        definition: SopDefinition,
        roles: dict[str, Person],
        initial: dict[str, dict[str, str]] | None = None,
        keep: DraftKeeper | None = None,
        role_list: list[tuple[str, str]] | None = None,
    ):
        super().__init__()
        translate_bindings(self)
        self.definition = definition
        self.roles = roles
        self.initial = initial or {}
        self.keep = keep
        self.role_list = role_list

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(Text(t("roles.title"), style="bold"))
            yield Static(t("roles.help"), classes="dim", markup=False)
            scroll = VerticalScroll(id="roles-scroll")
            scroll.can_focus = False  # Tab and the first focus go to the fields
            with scroll:
                yield RolesForm(
                    self.definition, self.roles, self.app.blink, self.role_list, id="roles"
                )
            yield Static("", id="roles-error", classes="error-line", markup=False)
            with Horizontal(classes="dialog-keys"):
                yield Label(t("roles.keys"), classes="dim")
                yield Static("", classes="draft-line dim", markup=False)

    def on_resize(self) -> None:
        # The fields scroll; the dialog's title, message and keys stay on a 24-line terminal.
        self.query_one("#roles-scroll").styles.max_height = max(4, self.size.height - 14)

    def on_mount(self) -> None:
        if self.initial:
            self.query_one(RolesForm).restore(self.initial)
        self._kept = self.typed()
        self.focus_first()

    def focus_first(self) -> None:
        fields = list(self.query(Input))
        if fields:
            fields[0].focus()

    def typed(self) -> dict[str, dict[str, str]]:
        """Every field as typed; empty when nothing differs from the recorded people."""
        form = self.query_one(RolesForm)
        return form.typed() if form.people() else {}

    def has_typing(self) -> bool:
        return bool(self.query_one(RolesForm).people())

    @on(Input.Changed)
    def _changed(self) -> None:
        self.query_one("#roles-error", Static).update("")
        self.schedule_keep()

    def action_move(self, step: int) -> None:
        fields = list(self.query(Input))
        if self.focused in fields:
            index = fields.index(self.focused) + step
            if 0 <= index < len(fields):
                fields[index].focus()

    def action_save(self) -> None:
        form = self.query_one(RolesForm)
        problem = form.problem()  # a NIP the engine would refuse: say so, keep what was typed
        if problem:
            self.query_one("#roles-error", Static).update(problem)
            return
        people = form.people()
        if not people:
            self.query_one("#roles-error", Static).update(t("roles.no_change"))
            return
        self.keep_now()  # kept before the action is tried (see TextPrompt)
        self.dismiss(people)

    def action_cancel(self) -> None:
        self.run_worker(self.ask_then_cancel(), exclusive=True, group="confirm")


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
        Binding("ctrl+s", "save", "key.export", id="monitoring.export"),
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
            yield Static(t("mon.help"), classes="dim", markup=False)
            scroll = VerticalScroll(id="mon-scroll")
            scroll.can_focus = False  # Tab and the first focus go to the fields
            with scroll:
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
                                value=one_line(getattr(row, key)),
                                placeholder=t(label),
                                id=f"mon-{index}-{key}",
                                compact=True,
                            )
                            widget.cursor_blink = blink
                            yield widget
            yield Label(t("mon.keys"), classes="dim")

    def on_resize(self) -> None:
        # The rows scroll; the title, the help and the keys stay on a 24-line terminal.
        self.query_one("#mon-scroll").styles.max_height = max(4, self.size.height - 14)

    def on_mount(self) -> None:
        for widget in self.query("Select, Input"):
            widget.focus()
            break

    def action_save(self) -> None:
        import dataclasses

        edited = []
        for index, row in enumerate(self.rows):
            choice = self.query_one(f"#mon-{index}-assessment", Select).value
            edited.append(
                dataclasses.replace(
                    row,
                    berjalan_baik=None if choice is Select.NULL else choice == "yes",
                    catatan=edited_cell(
                        self.query_one(f"#mon-{index}-catatan", Input).value, row.catatan
                    ),
                    tindakan=edited_cell(
                        self.query_one(f"#mon-{index}-tindakan", Input).value, row.tindakan
                    ),
                )
            )
        self.dismiss(edited)

    def action_cancel(self) -> None:
        self.run_worker(self._ask_then_cancel(), exclusive=True, group="confirm")

    async def _ask_then_cancel(self) -> None:
        typed = any(
            widget.value
            != one_line(getattr(self.rows[int(widget.id.split("-")[1])], widget.id.split("-")[2]))
            for widget in self.query(Input)
            if widget.id
        )
        if not typed or await self.app.push_screen_wait(ConfirmModal(t("discard.confirm"))):
            self.dismiss(None)
