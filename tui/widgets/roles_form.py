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
        for actor in self.definition.actors:
            person = self.roles.get(actor.id, Person())
            yield Label(
                Text(visible(actor.title, one_line=True), style="bold"), classes="role-title"
            )
            with Horizontal(classes="role-row"):
                for field, value in (
                    ("name", person.name),
                    ("nip", person.nip),
                    ("rank", person.rank),
                ):
                    widget = SafeInput(
                        value=value,
                        placeholder=t(f"roles.{field}"),
                        id=f"role-{actor.id}-{field}",
                        classes=f"role-{field}",
                    )
                    widget.cursor_blink = self.blink
                    yield widget

    def people(self) -> dict[str, Person]:
        result = {}
        for actor in self.definition.actors:
            values = {
                field: self.query_one(f"#role-{actor.id}-{field}", Input).value.strip()
                for field in ("name", "nip", "rank")
            }
            old = self.roles.get(actor.id, Person())
            person = Person(**values)
            if person != old and (any(values.values()) or actor.id in self.roles):
                result[actor.id] = person
        return result
