"""Validate an SOP definition's TOML text: syntax, shape (pydantic) and meaning (flow) checks.

Every problem found is reported with the source, the line where it can be found and the key path;
parsing never raises anything but `DefinitionError`. Reading the file is the adapters' job
(`langkah.catalog.load_definition`): the engine never touches the disk.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from pydantic import ValidationError

from langkah.engine.definition import SopDefinition, Symbol, UnitKind
from langkah.engine.toml_lines import (
    KeyPath,
    LazyKeyLines,
    format_path,
    line_of,
    syntax_error,
)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a definition file."""

    source: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        what = f"{self.path}: {self.message}" if self.path else self.message
        return f"{where}: {what}"


class DefinitionError(Exception):
    """A definition file that cannot be used; `problems` lists every reason found."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class LoadedDefinition:
    """A valid definition with where it came from and the hash of its exact text."""

    sop_id: str
    definition: SopDefinition
    source: str
    text: str
    digest: str

    @property
    def version(self) -> str:
        return self.digest[:12]


def digest_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_PYDANTIC_MESSAGES = {
    "missing": "is required but missing",
    "extra_forbidden": "is not a known key (check the spelling)",
}


def _pydantic_problems(
    source: str, error: ValidationError, lines: Mapping[KeyPath, int]
) -> list[Problem]:
    problems = []
    items = error.errors(include_url=False)
    for item in items:
        loc: KeyPath = tuple(p for p in item["loc"] if isinstance(p, int | str))
        # pydantic counts only the valid items for min_length: a single bad step would also be
        # reported as "steps: should have at least 1 item". The real error is enough.
        if item["type"] == "too_short" and any(
            len(other["loc"]) > len(item["loc"]) and other["loc"][: len(item["loc"])] == item["loc"]
            for other in items
        ):
            continue
        message = _PYDANTIC_MESSAGES.get(item["type"], item["msg"])
        message = re.sub(r"^Value error, ", "", message)
        if (
            item["type"] not in _PYDANTIC_MESSAGES
            and "input" in item
            and item["type"] != "value_error"
        ):
            message = f"{message} (found {item['input']!r})"
        problems.append(Problem(source, line_of(lines, loc), format_path(loc), message))
    return problems


def _flow_problems(source: str, d: SopDefinition, lines: Mapping[KeyPath, int]) -> list[Problem]:
    problems: list[Problem] = []

    def add(path: KeyPath, message: str) -> None:
        problems.append(Problem(source, line_of(lines, path), format_path(path), message))

    actor_ids: set[str] = set()
    for i, actor in enumerate(d.actors):
        if actor.id in actor_ids:
            add(("actors", i, "id"), f"actor '{actor.id}' is declared twice")
        actor_ids.add(actor.id)
    numbers: dict[int, int] = {}
    for i, step in enumerate(d.steps):
        if step.number in numbers:
            add(("steps", i, "number"), f"step number {step.number} is used twice")
        numbers.setdefault(step.number, i)
    if problems:
        return problems  # the checks below need unique numbers
    for i, step in enumerate(d.steps):
        for k, actor_id in enumerate(step.actors):
            if actor_id not in actor_ids:
                add(
                    ("steps", i, "actors", k),
                    f"step {step.number}: actor '{actor_id}' is not declared in [[actors]]",
                )
        if step.handoff and len(step.actors) < 2:
            add(
                ("steps", i, "handoff"),
                f"step {step.number}: a handoff needs two actors or more, in the order they act",
            )
        ids: set[str] = set()
        for k, inp in enumerate(step.inputs):
            if inp.id in ids:
                add(
                    ("steps", i, "inputs", k, "id"),
                    f"step {step.number}: input '{inp.id}' is declared twice",
                )
            ids.add(inp.id)
            if inp.type == "choice" and not inp.choices:
                add(
                    ("steps", i, "inputs", k, "choices"),
                    f"step {step.number}: a choice needs choices",
                )
        if (step.symbol == Symbol.DECISION) != (step.decision is not None):
            add(
                ("steps", i, "symbol"),
                f"step {step.number}: a decision step needs a [steps.decision] table, "
                "and only a decision step may have one",
            )
        targets: list[tuple[KeyPath, int | None]] = [(("steps", i, "next"), step.next)]
        if step.decision:
            targets += [
                (("steps", i, "decision", "yes"), step.decision.yes),
                (("steps", i, "decision", "no"), step.decision.no),
            ]
        for path, target in targets:
            if target is not None and target not in numbers:
                add(path, f"step {step.number} leads to step {target}, which does not exist")
    if problems:
        return problems
    # reachability: from the first step, and to the end (None)
    edges = {s.number: list(d.successors(s.number).values()) for s in d.steps}
    reached: set[int] = set()
    todo: list[int | None] = [d.first_step]
    while todo:
        n = todo.pop()
        if n is None or n in reached:
            continue
        reached.add(n)
        todo.extend(edges[n])
    for i, step in enumerate(d.steps):
        if step.number not in reached:
            add(("steps", i), f"step {step.number} cannot be reached from step {d.first_step}")
    # the steps that can reach the end: a walk backwards from the end (linear in steps)
    sources: dict[int | None, list[int]] = {}
    for n, outs in edges.items():
        for out in outs:
            sources.setdefault(out, []).append(n)
    can_end: set[int] = set()
    back: list[int] = list(sources.get(None, []))
    while back:
        n = back.pop()
        if n not in can_end:
            can_end.add(n)
            back.extend(sources.get(n, []))
    for i, step in enumerate(d.steps):
        if step.number in reached and step.number not in can_end:
            add(("steps", i), f"step {step.number} is in a loop with no way out to the end")
    return problems


# What format 2 added: a format-1 file that uses it must say `format = 2` (an older Langkah would
# refuse it with a less helpful message).
_FORMAT_2_IDENTITY = ("unit_kind", "unit_name", "head_title", "place")


def _calendar_problems(d: SopDefinition, add: Callable[[KeyPath, str], None]) -> None:
    """No standard may outlast a year (52 weeks) of the unit's own working time; and a calendar
    needs some working time (otherwise no duration could ever run out)."""
    hours = d.calendar.working_hours
    days = [sum(end - start for start, end in hours.minutes(day)) for day in range(7)]
    week = sum(days)
    if week == 0:
        add(("calendar", "hours"), "has no working time on any day of the week")
        return
    per_day = week / len([m for m in days if m])
    for i, step in enumerate(d.steps):
        standard = step.standard
        minutes = standard.minutes + standard.days * per_day + standard.weeks * week
        if minutes > 52 * week:
            add(
                ("steps", i, "time"),
                f"waktu '{step.time}' is more than a year (52 weeks) of this unit's working time",
            )


def _format_problems(source: str, d: SopDefinition, lines: Mapping[KeyPath, int]) -> list[Problem]:
    problems: list[Problem] = []

    def add(path: KeyPath, message: str) -> None:
        problems.append(Problem(source, line_of(lines, path), format_path(path), message))

    identity = d.identity
    if identity.unit_kind == UnitKind.KECAMATAN and not identity.kecamatan:
        add(("identity", "kecamatan"), "is required for a kecamatan (unit_kind)")
    if identity.unit_kind != UnitKind.KECAMATAN and not identity.unit_name:
        add(
            ("identity", "unit_name"),
            f"is required for a {identity.unit_kind.value}: the unit's name after "
            f"'{identity.office.unit_label}' (e.g. 'Pemberdayaan Masyarakat dan Desa')",
        )
    _calendar_problems(d, add)
    if d.format >= 2:
        return problems
    needs = "needs format = 2 (write format = 2 at the top of the file)"
    for key in _FORMAT_2_IDENTITY:
        if key in identity.model_fields_set:
            add(("identity", key), needs)
    for key in ("created", "revised", "effective"):
        value = getattr(identity, key)
        if value is not None and not isinstance(value, dt.date):
            add(("identity", key), f"a value other than a date {needs}")
    if "time_unit" in d.model_fields_set:
        add(("time_unit",), needs)
    for i, step in enumerate(d.steps):
        if "handoff" in step.model_fields_set:
            add(("steps", i, "handoff"), needs)
    return problems


def parse_definition(text: str, source: str, sop_id: str = "") -> LoadedDefinition:
    """Validate a definition's text; `source` names it in messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line, clean = syntax_error(error, text)
        raise DefinitionError([Problem(source, line, "", f"TOML syntax error: {clean}")]) from None
    lines = LazyKeyLines(text)  # scanned only when a problem needs its line
    try:
        unit = data.get("time_unit")
        context = {"time_unit": unit if data.get("format") == 2 else None}
        definition = SopDefinition.model_validate(data, context=context)
    except ValidationError as error:
        raise DefinitionError(_pydantic_problems(source, error, lines)) from None
    problems = _format_problems(source, definition, lines)
    problems += _flow_problems(source, definition, lines)
    if problems:
        raise DefinitionError(problems)
    return LoadedDefinition(sop_id, definition, source, text, digest_of(text))
