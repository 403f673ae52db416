"""The "waktu" column of a step: the SOP's own text, parsed into a typed standard.

"15 Menit", "1 Jam", "120 menit" are working time; "1 hari", "2 Hari" are working days;
"Paling Lambat Tanggal 5 triwulan Berikutnya" is a deadline relative to the cycle's period.
An empty text means the SOP sets no time. Anything else is an error, never a silent zero.
"""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class StandardKind(StrEnum):
    NONE = "none"
    DURATION = "duration"  # working minutes
    WORKDAYS = "workdays"  # whole working days
    DEADLINE = "deadline"  # day N of the period after the cycle's period


class PeriodUnit(StrEnum):
    MONTH = "bulan"
    QUARTER = "triwulan"
    SEMESTER = "semester"
    YEAR = "tahun"


class StandardTime(BaseModel):
    """A parsed waktu: the text as written plus what it means."""

    model_config = ConfigDict(frozen=True)

    text: str
    kind: StandardKind
    minutes: int = 0
    days: int = 0
    deadline_day: int = 0
    deadline_unit: PeriodUnit | None = None


_DURATION = re.compile(r"^(\d{1,5})\s*(menit|mnt|jam|hari)$")
_DEADLINE = re.compile(
    r"^paling\s+lambat\s+(?:pada\s+)?tanggal\s+(\d{1,2})\s+"
    r"(bulan|triwulan|tribulan|semester|tahun)\s+berikutnya$"
)
_UNITS = {"tribulan": PeriodUnit.QUARTER}


def parse_standard_time(text: str) -> StandardTime:
    """Parse a waktu text. Raises ValueError naming the text when it is not understood."""
    normal = " ".join(text.strip().lower().split())
    if not normal:
        return StandardTime(text=text, kind=StandardKind.NONE)
    if match := _DURATION.match(normal):
        amount, unit = int(match.group(1)), match.group(2)
        if amount <= 0:
            raise ValueError(f"waktu '{text}' must be more than zero")
        if unit == "hari":
            return StandardTime(text=text, kind=StandardKind.WORKDAYS, days=amount)
        minutes = amount * 60 if unit == "jam" else amount
        return StandardTime(text=text, kind=StandardKind.DURATION, minutes=minutes)
    if match := _DEADLINE.match(normal):
        day, unit = int(match.group(1)), match.group(2)
        if not 1 <= day <= 28:
            raise ValueError(f"waktu '{text}': tanggal {day} must be from 1 to 28")
        unit_value = _UNITS.get(unit) or PeriodUnit(unit)
        return StandardTime(
            text=text, kind=StandardKind.DEADLINE, deadline_day=day, deadline_unit=unit_value
        )
    raise ValueError(
        f"waktu '{text}' is not understood: write e.g. '15 menit', '1 jam', '2 hari' "
        "or 'paling lambat tanggal 5 triwulan berikutnya' (or leave it empty)"
    )
