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
        role_list: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.definition = definition
        self.roles = roles
        self.blink = blink
        self.role_list = role_list or role_slots(definition)
        """(role id, title) per line: the SOP's actors and the two signers, unless the caller
        names the roles."""

    def compose(self) -> ComposeResult:
        for role_id, title in self.role_list:
            person = self.roles.get(role_id, Person())
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
                        id=f"role-{role_id}-{field}",
                        classes=f"role-{field}",
                    )
                    widget.cursor_blink = self.blink
                    yield widget

    def typed(self) -> dict[str, dict[str, str]]:
        """Every field as typed (exact), by role: what a draft keeps."""
        return {
            role_id: {
                field: self.query_one(f"#role-{role_id}-{field}", Input).value
                for field in ("name", "nip", "rank")
            }
            for role_id, _title in self.role_list
        }

    def restore(self, typed: dict[str, dict[str, str]]) -> None:
        """Put a draft's typing back (roles the SOP no longer has are ignored)."""
        for role_id, _title in self.role_list:
            for field, value in (typed.get(role_id) or {}).items():
                if field in ("name", "nip", "rank") and isinstance(value, str):
                    self.query_one(f"#role-{role_id}-{field}", Input).value = value

    def people(self) -> dict[str, Person]:
        result = {}
        for role_id, _title in self.role_list:
            values = {
                field: self.query_one(f"#role-{role_id}-{field}", Input).value.strip()
                for field in ("name", "nip", "rank")
            }
            old = self.roles.get(role_id, Person())
            person = Person(**values)
            if person != old and (any(values.values()) or role_id in self.roles):
                result[role_id] = person
        return result

    def problem(self) -> str | None:
        """Why the typed people cannot be saved (a NIP that is not plausible), else None."""
        for role, title in self.role_list:
            value = self.query_one(f"#role-{role}-nip", Input).value
            if value.strip() and value.strip() != self.roles.get(role, Person()).nip:
                problem = nip_problem(title, value)
                if problem:
                    return problem
        return None
