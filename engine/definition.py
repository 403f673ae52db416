"""The SOP definition: what one kecamatan's written SOP says, as validated, frozen data.

Field names are English; each maps to a column or block of the PermenPAN-RB 35/2012 SOP format
(see docs/definition-format.md for the mapping and the TOML layout).
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from langkah.engine.standard_time import StandardTime, parse_standard_time

Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_\-]*$", max_length=64)]
Text = Annotated[str, StringConstraints(strip_whitespace=True)]
NonEmptyText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Signatory(_Frozen):
    """Who signed the SOP into force ("Disahkan oleh")."""

    position: NonEmptyText
    name: Text = ""
    rank: Text = ""
    nip: Text = ""


class Identity(_Frozen):
    """The identity block of the SOP document."""

    government: NonEmptyText
    unit: NonEmptyText
    kecamatan: NonEmptyText
    address: Text = ""
    sub_unit: Text = ""
    number: Text = ""
    name: NonEmptyText
    created: dt.date | None = None
    revised: dt.date | None = None
    effective: dt.date | None = None
    approved_by: Signatory | None = None


class Sections(_Frozen):
    """The text lists under the identity block."""

    legal_basis: tuple[NonEmptyText, ...] = ()
    qualifications: tuple[NonEmptyText, ...] = ()
    related: tuple[NonEmptyText, ...] = ()
    equipment: tuple[NonEmptyText, ...] = ()
    warnings: tuple[NonEmptyText, ...] = ()
    records: tuple[NonEmptyText, ...] = ()


_INTERVAL = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class WorkingHours(_Frozen):
    """Working intervals per weekday, local time, breaks excluded ("07:30-12:00")."""

    mon: tuple[str, ...] = ()
    tue: tuple[str, ...] = ()
    wed: tuple[str, ...] = ()
    thu: tuple[str, ...] = ()
    fri: tuple[str, ...] = ()
    sat: tuple[str, ...] = ()
    sun: tuple[str, ...] = ()

    @field_validator(*WEEKDAYS)
    @classmethod
    def _check_intervals(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        previous_end = -1
        for item in value:
            match = _INTERVAL.match(item)
            if not match:
                raise ValueError(f"'{item}' is not an interval like 07:30-12:00")
            h1, m1, h2, m2 = (int(g) for g in match.groups())
            start, end = h1 * 60 + m1, h2 * 60 + m2
            if end <= start or start < previous_end:
                raise ValueError(f"'{item}' must end after it starts and after the interval before")
            previous_end = end
        return value

    def minutes(self, weekday: int) -> list[tuple[int, int]]:
        """The intervals of a weekday (0 = Monday) as (start, end) minutes after midnight."""
        result = []
        for item in getattr(self, WEEKDAYS[weekday]):
            h1, m1, h2, m2 = (int(g) for g in _INTERVAL.match(item).groups())  # type: ignore[union-attr]
            result.append((h1 * 60 + m1, h2 * 60 + m2))
        return result


# Perpres 21/2023: Mon-Thu 07.30-16.00 with a 60-minute break, Fri 07.30-16.30 with 90 minutes.
DEFAULT_HOURS = WorkingHours(
    mon=("07:30-12:00", "13:00-16:00"),
    tue=("07:30-12:00", "13:00-16:00"),
    wed=("07:30-12:00", "13:00-16:00"),
    thu=("07:30-12:00", "13:00-16:00"),
    fri=("07:30-11:30", "13:00-16:30"),
)


class CalendarSpec(_Frozen):
    """The kecamatan's time zone and, if they differ from the default, its working hours."""

    timezone: NonEmptyText
    hours: WorkingHours | None = None

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        import zoneinfo

        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"'{value}' is not an IANA time zone (e.g. Asia/Jakarta)") from None
        return value

    @property
    def working_hours(self) -> WorkingHours:
        return self.hours or DEFAULT_HOURS


class Actor(_Frozen):
    """A pelaksana column of the SOP table."""

    id: Identifier
    title: NonEmptyText


class InputKind(StrEnum):
    """The type of one kelengkapan item."""

    CHECK = "check"  # a document or condition that is present or not
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    DOCUMENT = "document"  # a reference: nomor + tanggal
    CHOICE = "choice"


class InputSpec(_Frozen):
    """One item of a step's kelengkapan (required inputs)."""

    id: Identifier
    label: NonEmptyText
    type: InputKind
    required: bool = True
    choices: tuple[NonEmptyText, ...] = ()
    help: Text = ""

    @field_validator("choices")
    @classmethod
    def _unique_choices(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(value)) != len(value):
            raise ValueError("choices must be different from each other")
        return value


class Symbol(StrEnum):
    """The flowchart symbol of a step (PermenPAN-RB 35/2012)."""

    TERMINATOR = "terminator"
    PROCESS = "process"
    DECISION = "decision"


class Decision(_Frozen):
    """A decision step's question and where each answer leads."""

    question: NonEmptyText
    yes_label: NonEmptyText = "ya"
    no_label: NonEmptyText = "tidak"
    yes: int | None = None  # default: the following step (or the end)
    no: int


class Step(_Frozen):
    """One row of the SOP table."""

    number: int = Field(ge=1)
    activity: NonEmptyText
    actors: tuple[Identifier, ...] = ()
    symbol: Symbol = Symbol.PROCESS
    inputs: tuple[InputSpec, ...] = ()
    time: Text = ""
    output: Text = ""
    remarks: Text = ""
    decision: Decision | None = None
    next: int | None = None  # default: the following step (or the end)

    @field_validator("time")
    @classmethod
    def _parse_time(cls, value: str) -> str:
        parse_standard_time(value)  # raises ValueError with a clear message
        return value

    @property
    def standard(self) -> StandardTime:
        return parse_standard_time(self.time)


class SopDefinition(_Frozen):
    """One SOP variant of one kecamatan, as written in its TOML file."""

    format: int = 1
    identity: Identity
    sections: Sections = Sections()
    calendar: CalendarSpec
    actors: tuple[Actor, ...]
    steps: tuple[Step, ...] = Field(min_length=1)

    def step(self, number: int) -> Step:
        for step in self.steps:
            if step.number == number:
                return step
        raise KeyError(number)

    def actor(self, actor_id: str) -> Actor:
        for actor in self.actors:
            if actor.id == actor_id:
                return actor
        raise KeyError(actor_id)

    @property
    def first_step(self) -> int:
        return self.steps[0].number

    def successors(self, number: int) -> dict[str, int | None]:
        """Where a step leads: {"next": n}, or {"yes": n, "no": m} for a decision; None = end."""
        index = [s.number for s in self.steps].index(number)
        following = self.steps[index + 1].number if index + 1 < len(self.steps) else None
        step = self.steps[index]
        if step.decision is not None:
            yes = step.decision.yes if step.decision.yes is not None else following
            return {"yes": yes, "no": step.decision.no}
        return {"next": step.next if step.next is not None else following}

    def actor_titles(self, step: Step) -> str:
        return ", ".join(self.actor(a).title for a in step.actors) if step.actors else "-"
