"""Name, NIP and pangkat for each actor role of an SOP (used when starting and later)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label

from langkah.display import visible
from langkah.engine.cycle import Person
from langkah.engine.definition import SopDefinition
from langkah.tui.presenters.signers import nip_problem, role_slots
from langkah.tui.strings import t
from langkah.tui.widgets.safe_input import SafeInput


class RolesForm(Vertical):
    """One line per actor: three inputs. `people()` returns only the roles with something typed."""

    def __init__(
        self,
        definition: SopDefinition,
        roles: dict[str, Person],
        blink: bool = True,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.definition = definition
        self.roles = roles
        self.blink = blink

    def compose(self) -> ComposeResult:
        for role, title in role_slots(self.definition):  # the actors, then the two signers
            person = self.roles.get(role, Person())
            yield Label(Text(visible(title, one_line=True), style="bold"), classes="role-title")
            with Horizontal(classes="role-row"):
                for field, value in (
                    ("name", person.name),
                    ("nip", person.nip),
                    ("rank", person.rank),
                ):
                    widget = SafeInput(
                        value=value,
                        placeholder=t(f"roles.{field}"),
                        id=f"role-{role}-{field}",
                        classes=f"role-{field}",
                    )
                    widget.cursor_blink = self.blink
                    yield widget

    def people(self) -> dict[str, Person]:
        result = {}
        for role, _title in role_slots(self.definition):
            values = {
                field: self.query_one(f"#role-{role}-{field}", Input).value.strip()
                for field in ("name", "nip", "rank")
            }
            old = self.roles.get(role, Person())
            person = Person(**values)
            if person != old and (any(values.values()) or role in self.roles):
                result[role] = person
        return result

    def problem(self) -> str | None:
        """Why the typed people cannot be saved (a NIP that is not plausible), else None."""
        for role, title in role_slots(self.definition):
            value = self.query_one(f"#role-{role}-nip", Input).value
            if value.strip() and value.strip() != self.roles.get(role, Person()).nip:
                problem = nip_problem(title, value)
                if problem:
                    return problem
        return None
