"""The current step's kelengkapan as a form of typed inputs, one widget per item.

The form only shows and collects what was typed; parsing and checking stay in `engine.inputs`,
and recording goes through the service (the run screen decides when).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.validation import ValidationResult, Validator
from textual.widgets import Checkbox, Input, Label, Select

from langkah.display import visible
from langkah.engine.definition import InputKind, InputSpec, Step
from langkah.engine.errors import ActionRefused
from langkah.engine.inputs import document_date, format_value, is_filled, parse_value
from langkah.tui.strings import language, t, translate_bindings
from langkah.tui.widgets.safe_input import SafeInput


class ValueValidator(Validator):
    """Accepts what `engine.inputs.parse_value` accepts for one item (empty is fine)."""

    def __init__(self, spec: InputSpec, date_only: bool = False):
        super().__init__()
        self.spec = spec
        self.date_only = date_only

    def validate(self, value: str) -> ValidationResult:
        if not value.strip():
            return self.success()
        try:
            if self.date_only:  # worded as the engine words a letter's date
                document_date(self.spec, value)
            else:
                parse_value(self.spec, value)
        except ActionRefused as error:
            return self.failure(error.message(language()))
        return self.success()


def shown_value(spec: InputSpec, value: Any) -> Any:
    """A recorded value as the widget holds it (so typed and recorded values compare)."""
    if spec.type == InputKind.CHECK:
        return value is True
    if spec.type == InputKind.DOCUMENT:
        if isinstance(value, dict):
            return (str(value.get("nomor", "")), str(value.get("tanggal", "")))
        return ("", "")
    if spec.type == InputKind.CHOICE:
        return value if value is not None else Select.NULL
    if value is None:
        return ""
    if spec.type == InputKind.NUMBER:
        return format_value(spec, value, language())
    return str(value)


def raw_for_service(spec: InputSpec, shown: Any) -> Any:
    """What the form holds, in the form `service.record_inputs` accepts."""
    if spec.type == InputKind.DOCUMENT:
        nomor, tanggal = shown
        if not nomor.strip() and not tanggal.strip():
            return ""
        return {"nomor": nomor, "tanggal": tanggal}
    if spec.type == InputKind.CHOICE:
        return "" if shown is Select.NULL else shown
    return shown


class InputRow(Vertical):
    """One kelengkapan item: its label and its widget(s)."""

    def __init__(self, spec: InputSpec, value: Any, blink: bool):
        super().__init__(classes="input-row", id=f"row-{spec.id}")
        self.spec = spec
        self.value = value
        self.blink = blink

    def _input(
        self, value: str, widget_id: str, placeholder: str, date_only: bool = False
    ) -> Input:
        widget = SafeInput(
            value=value,
            placeholder=visible(placeholder, one_line=True),
            id=widget_id,
            validators=[ValueValidator(self.spec, date_only)],
            validate_on=["changed", "blur"],
        )
        widget.cursor_blink = self.blink
        return widget

    def compose(self) -> ComposeResult:
        spec, shown = self.spec, shown_value(self.spec, self.value)
        label = visible(spec.label, one_line=True)
        label += "" if spec.required else f" {t('run.optional')}"
        if spec.type == InputKind.CHECK:
            yield Checkbox(Text(label), shown, id=f"in-{spec.id}")  # Text: no markup
            return
        yield Label(label, classes="input-label", markup=False)
        if spec.type == InputKind.DOCUMENT:
            with Horizontal(classes="document"):
                nomor = SafeInput(
                    value=shown[0], placeholder=t("run.nomor"), id=f"in-{spec.id}-nomor"
                )
                nomor.cursor_blink = self.blink
                yield nomor
                yield self._input(shown[1], f"in-{spec.id}-tanggal", t("run.tanggal"), True)
        elif spec.type == InputKind.CHOICE:
            yield Select(
                [(Text(visible(c, one_line=True)), c) for c in spec.choices],
                value=shown,
                prompt=t("run.choose"),
                id=f"in-{spec.id}",
            )
        else:
            hint = {
                InputKind.DATE: t("run.date_hint"),
                InputKind.NUMBER: t("run.number_hint"),
            }.get(spec.type, spec.help)
            yield self._input(shown, f"in-{spec.id}", hint)
        if spec.help and spec.type not in (InputKind.TEXT,):
            yield Label(visible(spec.help), classes="input-help", markup=False)

    def shown(self) -> Any:
        spec = self.spec
        if spec.type == InputKind.DOCUMENT:
            nomor = self.query_one(f"#in-{spec.id}-nomor", Input).value
            tanggal = self.query_one(f"#in-{spec.id}-tanggal", Input).value
            return (nomor, tanggal)
        if spec.type == InputKind.CHECK:
            return self.query_one(f"#in-{spec.id}", Checkbox).value
        if spec.type == InputKind.CHOICE:
            return self.query_one(f"#in-{spec.id}", Select).value
        return self.query_one(f"#in-{spec.id}", Input).value

    def set_shown(self, shown: Any) -> None:
        spec = self.spec
        if spec.type == InputKind.DOCUMENT:
            nomor, tanggal = shown if isinstance(shown, list | tuple) else ("", "")
            self.query_one(f"#in-{spec.id}-nomor", Input).value = str(nomor)
            self.query_one(f"#in-{spec.id}-tanggal", Input).value = str(tanggal)
        elif spec.type == InputKind.CHECK:
            self.query_one(f"#in-{spec.id}", Checkbox).value = bool(shown)
        elif spec.type == InputKind.CHOICE:
            if shown in spec.choices:
                self.query_one(f"#in-{spec.id}", Select).value = shown
        else:
            self.query_one(f"#in-{spec.id}", Input).value = str(shown)

    def mark(self, missing: bool) -> None:
        self.set_class(missing, "-missing")


class InputForm(Vertical):
    """The form of one step; rebuilt when the cycle moves to another step or visit.

    Up and down move between its fields (before the scrolling pane around it takes them)."""

    BINDINGS = [
        Binding("down", "field(1)", "key.field_down", id="form.down", show=False),
        Binding("up", "field(-1)", "key.field_up", id="form.up", show=False),
    ]

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        translate_bindings(self)
        self.step: Step | None = None
        self.recorded: dict[str, Any] = {}
        self.blink = True

    async def set_step(self, step: Step | None, recorded: dict[str, Any]) -> None:
        await self.remove_children()
        self.step = step
        self.recorded = dict(recorded)
        if step is None:
            return
        rows = [InputRow(spec, recorded.get(spec.id), self.blink) for spec in step.inputs]
        if rows:
            await self.mount_all(rows)
        self.mark_missing()

    def rows(self) -> list[InputRow]:
        return list(self.query(InputRow))

    def row_of(self, widget: Any) -> InputRow | None:
        node = widget
        while node is not None and node is not self:
            if isinstance(node, InputRow):
                return node
            node = node.parent
        return None

    def set_recorded(self, recorded: dict[str, Any]) -> None:
        """New recorded values for the same visit, in place (no rebuild, focus kept): a row
        showing its old recorded value shows the new one; a row holding typing keeps it."""
        for row in self.rows():
            spec = row.spec
            new = recorded.get(spec.id)
            if new != self.recorded.get(spec.id) and not self.differs(row):
                row.set_shown(shown_value(spec, new))
        self.recorded = dict(recorded)
        self.mark_missing()

    def differs(self, row: InputRow) -> bool:
        """Whether a row holds something other than its recorded value (5/10/2026 = 2026-10-05)."""
        spec, shown = row.spec, row.shown()
        recorded = self.recorded.get(spec.id)
        if shown == shown_value(spec, recorded):
            return False
        try:
            return bool(parse_value(spec, raw_for_service(spec, shown)) != recorded)
        except ActionRefused:
            return True

    def pending(self, only: str | None = None) -> dict[str, Any]:
        """Items whose widget differs from what is recorded: {item id: value for the service}."""
        changed = {}
        for row in self.rows():
            if only is not None and row.spec.id != only:
                continue
            if self.differs(row):
                changed[row.spec.id] = raw_for_service(row.spec, row.shown())
        return changed

    def draft(self) -> dict[str, Any]:
        """The typed-but-unrecorded values, JSON-ready, keyed by item id."""
        values = {}
        for row in self.rows():
            if self.differs(row):
                shown = row.shown()
                values[row.spec.id] = None if shown is Select.NULL else shown
        return values

    def restore(self, values: dict[str, Any]) -> None:
        for row in self.rows():
            if row.spec.id in values and values[row.spec.id] is not None:
                row.set_shown(values[row.spec.id])

    def mark_missing(self) -> None:
        for row in self.rows():
            spec = row.spec
            row.mark(spec.required and not is_filled(spec, self.recorded.get(spec.id)))

    def first_field(self) -> Any:
        for widget in self.query("Input, Checkbox, Select"):
            return widget
        return None

    def fields(self) -> list[Any]:
        """The form's widgets that take focus, top to bottom."""
        return list(self.query("Input, Checkbox, Select"))

    def action_field(self, step: int) -> None:
        fields = self.fields()
        focused = self.screen.focused
        if focused in fields:
            index = fields.index(focused) + step
            if 0 <= index < len(fields):
                fields[index].focus()
