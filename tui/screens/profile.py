"""The first-run prompt: the user's name (and NIP), asked once when no profile is saved.

The name records every action from then on and is the report's author; it is never taken from
the operating-system login. Esc leaves it for later (asked again at the next start).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from langkah.service import Langkah
from langkah.tui.base import LangkahModal
from langkah.tui.presenters.signers import nip_problem
from langkah.tui.strings import said, t, translate_bindings
from langkah.tui.widgets.safe_input import SafeInput


class ProfileScreen(LangkahModal[str | None]):
    """Asks for name and NIP, saves them through the service (in a thread worker) and returns
    the saved name; None when left for later."""

    BINDINGS = [
        Binding("ctrl+s", "save", "key.save", id="profile.save"),
        Binding("escape", "cancel", "key.cancel", id="profile.cancel"),
    ]

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)
        self.saving = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(t("profile.title"), style="bold"))
            yield Static(t("profile.help"), classes="dim")  # wraps in a narrow terminal
            for field in ("name", "nip"):
                widget = SafeInput(placeholder=t(f"profile.{field}"), id=f"profile-{field}")
                widget.cursor_blink = self.app.blink
                yield widget
            yield Static("", id="profile-error", classes="error-line")
            yield Label(t("profile.keys"), classes="dim")

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        self.action_save()

    def _error(self, text: str) -> None:
        self.query_one("#profile-error", Static).update(Text(text))

    def action_save(self) -> None:
        if self.saving:
            return
        name = " ".join(self.query_one("#profile-name", Input).value.split())
        number = self.query_one("#profile-nip", Input).value
        if not name:
            self._error(t("profile.empty"))
            return
        problem = nip_problem(t("roles.nip"), number) if number.strip() else None
        if problem:
            self._error(problem)
            return
        self.saving = True
        service = self.app.service

        def save() -> None:
            try:
                service.save_profile(name, number)
            except Exception as error:  # a data folder that cannot be written
                self.app.call_from_thread(self._failed, said(error))
                return
            self.app.call_from_thread(self._saved, name)

        self.run_worker(save, thread=True, group="profile", exit_on_error=False)

    def _failed(self, message: str) -> None:
        self.saving = False
        self._error(t("profile.failed", message=message))

    def _saved(self, name: str) -> None:
        self.app.notify(t("profile.saved", name=name), markup=False)
        self.dismiss(name)

    def action_cancel(self) -> None:
        self.dismiss(None)


def needs_profile(service: Langkah) -> bool:
    """True when no profile was ever saved in the service's data folder (read in a worker)."""
    return service.data_root is not None and service.profile() is None
