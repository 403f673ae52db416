"""The SOP definition: what one kecamatan's written SOP says, as validated, frozen data.

Field names are English; each maps to a column or block of the PermenPAN-RB 35/2012 SOP format
(see docs/definition-format.md for the mapping and the TOML layout).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property, lru_cache
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from langkah.engine.standard_time import StandardTime, TimeUnit, parse_standard_time

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


class UnitKind(StrEnum):
    """The kind of office whose SOP it is."""

    KECAMATAN = "kecamatan"
    KELURAHAN = "kelurahan"
    DESA = "desa"
    DINAS = "dinas"
    BADAN = "badan"
    SEKRETARIAT = "sekretariat"
    BAGIAN = "bagian"
    PUSKESMAS = "puskesmas"
    OTHER = "other"


# The word that names a unit of each kind before its own name ("Dinas" Pemberdayaan ...), and
# the title of its head by default ("Kepala Dinas" Pemberdayaan ...).
KIND_WORDS = {
    UnitKind.KECAMATAN: ("Kecamatan", "Camat"),
    UnitKind.KELURAHAN: ("Kelurahan", "Lurah"),
    UnitKind.DESA: ("Desa", "Kepala Desa"),
    UnitKind.DINAS: ("Dinas", "Kepala Dinas"),
    UnitKind.BADAN: ("Badan", "Kepala Badan"),
    UnitKind.SEKRETARIAT: ("Sekretariat", "Sekretaris"),
    UnitKind.BAGIAN: ("Bagian", "Kepala Bagian"),
    UnitKind.PUSKESMAS: ("Puskesmas", "Kepala Puskesmas"),
    UnitKind.OTHER: ("", "Kepala"),
}

EARLIEST_DATE = dt.date(1945, 1, 1)


def _identity_date(value: Any, revision: bool = False) -> Any:
    """A TOML date, or the text written ("…… 2022"); for a revision also a number (`0`)."""
    if isinstance(value, dt.datetime):
        raise ValueError("write a date without a time (2023-10-05) or the text as written")
    if isinstance(value, dt.date):
        if value < EARLIEST_DATE:
            raise ValueError(f"{value.isoformat()} is before 1945")
        return value
    if isinstance(value, bool) or (isinstance(value, int | float) and not revision):
        raise ValueError("write a date (2023-10-05) or the text as written in quotes")
    if isinstance(value, float) or (isinstance(value, int) and value < 0):
        raise ValueError("a revision number is a whole number from 0")
    return value


IdentityDate = Annotated[dt.date | Text, BeforeValidator(_identity_date)]
Revision = Annotated[
    dt.date | int | Text, BeforeValidator(lambda value: _identity_date(value, revision=True))
]


@dataclass(frozen=True)
class Office:
    """How every text names the unit and its head, for any kind of office.

    `unit_label` "Kecamatan Dawarblandong" / "Dinas Pemberdayaan Masyarakat dan Desa";
    `head_label` "Camat Dawarblandong" / "Kepala Dinas Pemberdayaan Masyarakat dan Desa";
    `place` the place on date lines ("Dawarblandong, 5 Oktober 2023").
    """

    kind: UnitKind
    name: str
    unit_label: str
    head_title: str
    head_label: str
    place: str


class Identity(_Frozen):
    """The identity block of the SOP document."""

    government: NonEmptyText
    unit: NonEmptyText
    unit_kind: UnitKind = UnitKind.KECAMATAN
    unit_name: Text = ""  # the unit's own name after its kind word; default: `kecamatan`
    head_title: Text = ""  # default per kind (KIND_WORDS)
    place: Text = ""  # the place on date lines; default: `kecamatan`, else the unit's name
    kecamatan: Text = ""  # required for a kecamatan (checked by the loader, with its line)
    address: Text = ""
    sub_unit: Text = ""
    number: Text = ""
    name: NonEmptyText
    created: IdentityDate | None = None
    revised: Revision | None = None
    effective: IdentityDate | None = None
    approved_by: Signatory | None = None

    @property
    def office(self) -> Office:
        """The one place that says how this unit and its head are named."""
        kind_word, default_head = KIND_WORDS[self.unit_kind]
        name = self.unit_name or self.kecamatan
        head = self.head_title or default_head
        unit_label = f"{kind_word} {name}".strip()
        place = self.place or self.kecamatan or name
        return Office(self.unit_kind, name, unit_label, head, f"{head} {name}".strip(), place)


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
        return [_interval_minutes(item) for item in getattr(self, WEEKDAYS[weekday])]


@lru_cache(maxsize=256)
def _interval_minutes(item: str) -> tuple[int, int]:
    """ "07:30-12:00" as (450, 720) (parsed once: every timed row of the overview asks)."""
    h1, m1, h2, m2 = (int(g) for g in _INTERVAL.match(item).groups())  # type: ignore[union-attr]
    return h1 * 60 + m1, h2 * 60 + m2


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
    handoff: bool = False  # the actors act one after the other, in the order listed

    _standard: StandardTime = PrivateAttr()

    @field_validator("time")
    @classmethod
    def _parse_time(cls, value: str, info: ValidationInfo) -> str:
        parse_standard_time(value, _time_unit(info))  # raises ValueError with a clear message
        return value

    @model_validator(mode="after")
    def _keep_standard(self, info: ValidationInfo) -> Step:
        self._standard = parse_standard_time(self.time, _time_unit(info))
        return self

    @cached_property  # a plain attribute after the first read (private ones are slow)
    def standard(self) -> StandardTime:
        return self._standard

    def join_actors(self, titles: list[str], lines: bool = False) -> str:
        """The step's actor titles as one text: "A, B" together, "A → B" for a handoff.

        With `lines`, one per line ("A\nB", or "A\n→ B" for a handoff). Empty: "-".
        """
        if not titles:
            return "-"
        if lines:
            return ("\n→ " if self.handoff else "\n").join(titles)
        return (" → " if self.handoff else ", ").join(titles)


def _time_unit(info: ValidationInfo) -> str | None:
    """The definition's `time_unit`, handed down by the loader as validation context."""
    context = info.context if isinstance(info.context, dict) else {}
    unit = context.get("time_unit")
    return unit if unit in TimeUnit.__members__.values() else None


def _format_number(value: Any) -> Any:
    """`format = true` or `2.0` is no version: only the whole numbers 1 and 2."""
    if isinstance(value, bool) or not isinstance(value, int):
        shown = str(value).lower() if isinstance(value, bool) else value
        shown = f"'{shown}'" if isinstance(shown, str) and not isinstance(value, bool) else shown
        raise ValueError(f"must be the whole number 1 or 2 (found {shown})")
    return value


class SopDefinition(_Frozen):
    """One SOP variant of one kecamatan, as written in its TOML file."""

    format: Annotated[Literal[1, 2], BeforeValidator(_format_number)] = 1
    time_unit: TimeUnit | None = None  # the unit of a bare waktu number (format 2)
    identity: Identity
    sections: Sections = Sections()
    calendar: CalendarSpec
    actors: tuple[Actor, ...]
    steps: tuple[Step, ...] = Field(min_length=1)

    _positions: dict[int, int] = PrivateAttr(default_factory=dict)
    _actors: dict[str, Actor] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _index(self) -> SopDefinition:
        # Lookups by number and id in constant time (validation stays linear in steps).
        for position, step in enumerate(self.steps):
            self._positions.setdefault(step.number, position)
        for actor in self.actors:
            self._actors.setdefault(actor.id, actor)
        return self

    @cached_property  # a plain attribute after the first read (private ones are slow)
    def step_positions(self) -> dict[int, int]:
        """Each step number's position in `steps`."""
        return self._positions

    @cached_property
    def actors_by_id(self) -> dict[str, Actor]:
        return self._actors

    def step(self, number: int) -> Step:
        return self.steps[self.step_positions[number]]

    def actor(self, actor_id: str) -> Actor:
        return self.actors_by_id[actor_id]

    @property
    def first_step(self) -> int:
        return self.steps[0].number

    def successors(self, number: int) -> dict[str, int | None]:
        """Where a step leads: {"next": n}, or {"yes": n, "no": m} for a decision; None = end."""
        index = self.step_positions[number]
        following = self.steps[index + 1].number if index + 1 < len(self.steps) else None
        step = self.steps[index]
        if step.decision is not None:
            yes = step.decision.yes if step.decision.yes is not None else following
            return {"yes": yes, "no": step.decision.no}
        return {"next": step.next if step.next is not None else following}

    def actor_titles(self, step: Step, lines: bool = False) -> str:
        """The step's actors by title, in order: "A, B", or "A → B" for a handoff."""
        return step.join_actors([self.actor(a).title for a in step.actors], lines)
