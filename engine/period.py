"""Reporting periods (triwulan, semester, tahun) and the calendar deadlines tied to them.

A cycle of a periodic SOP belongs to one period, written "2026-T3", "2026-S1" or "2026";
"paling lambat tanggal 5 triwulan berikutnya" is resolved by `Period.deadline`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class PeriodUnit(StrEnum):
    """The period a deadline standard counts in (engine/standard_time.py re-exports it)."""

    MONTH = "bulan"
    QUARTER = "triwulan"
    SEMESTER = "semester"
    YEAR = "tahun"


_MONTHS = {"bulan": 1, "triwulan": 3, "semester": 6, "tahun": 12}
_COUNT = {"triwulan": 4, "semester": 2, "tahun": 1}
_LETTER = {"triwulan": "T", "semester": "S"}
_KIND_OF_LETTER = {"T": "triwulan", "S": "semester"}
_ROMAN = ("I", "II", "III", "IV")
_WORDS = {
    "id": {"triwulan": "Triwulan", "semester": "Semester", "tahun": "Tahun"},
    "en": {"triwulan": "Quarter", "semester": "Semester", "tahun": "Year"},
}
_PATTERN = re.compile(r"^(\d{4})(?:-([TS])(\d))?$", re.IGNORECASE)
_FORMS = "write 2026-T3 (triwulan III), 2026-S1 (semester I) or 2026 (tahun)"

_PROBLEMS: dict[str, tuple[str, str]] = {
    # code: (Bahasa Indonesia, English)
    "not_period": (
        "'{text}' bukan periode: tulis 2026-T3 (triwulan III), 2026-S1 (semester I) atau "
        "2026 (tahun)",
        "'{text}' is not a period: " + _FORMS,
    ),
    "index": (
        "'{text}' bukan periode: {kind} bernomor 1 sampai {count}; tulis 2026-T3 (triwulan "
        "III), 2026-S1 (semester I) atau 2026 (tahun)",
        "'{text}' is not a period: a {kind} is numbered 1 to {count}; " + _FORMS,
    ),
    "out_of_span": (
        "periode {text} di luar tahun yang bisa dihitung ({first} sampai {last}): periksa "
        "tahunnya; untuk tahun sesudah {last} perbarui paket holidays atau tambahkan "
        "hari_libur.toml (docs/holidays.md)",
        "the period {text} is outside the years Langkah can count ({first} to {last}): check "
        "its year; for years after {last} upgrade the holidays package or add hari_libur.toml "
        "(docs/holidays.md)",
    ),
}


class PeriodError(ValueError):
    """A text that is not a period; `str()` is the English, `message(lang)` either language."""

    def __init__(self, code: str, **params: object):
        self.code, self.params = code, params
        super().__init__(self.message("en"))

    def message(self, lang: str = "id") -> str:
        return _PROBLEMS[self.code][1 if lang == "en" else 0].format(**self.params)


def _kind(kind: str | PeriodUnit) -> str:
    value = str(kind.value if isinstance(kind, PeriodUnit) else kind).lower()
    if value not in _COUNT:
        raise ValueError(f"period kind '{kind}' must be triwulan, semester or tahun")
    return value


@dataclass(frozen=True)
class Period:
    """One triwulan (index 1-4), semester (1-2) or tahun (index 1) of a year."""

    kind: str
    year: int
    index: int = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", _kind(self.kind))
        if not 1 <= self.year <= 9999:
            raise ValueError(f"year {self.year} is out of range")
        if not 1 <= self.index <= _COUNT[self.kind]:
            raise ValueError(f"a {self.kind} index must be from 1 to {_COUNT[self.kind]}")

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read "2026-T3", "2026-s1" or "2026"; raises ValueError showing the accepted forms."""
        match = _PATTERN.match(text.strip()) if isinstance(text, str) else None
        if not match:
            raise PeriodError("not_period", text=text)
        year, letter, number = match.groups()
        if letter is None:
            return cls("tahun", int(year))
        kind = _KIND_OF_LETTER[letter.upper()]
        if not 1 <= int(number) <= _COUNT[kind]:
            raise PeriodError("index", text=text, kind=kind, count=_COUNT[kind])
        return cls(kind, int(year), int(number))

    @classmethod
    def containing(cls, day: dt.date, kind: str | PeriodUnit) -> Period:
        """The period of the given kind that contains `day`."""
        kind = _kind(kind)
        return cls(kind, day.year, (day.month - 1) // _MONTHS[kind] + 1)

    def __str__(self) -> str:
        if self.kind == "tahun":
            return f"{self.year:04d}"
        return f"{self.year:04d}-{_LETTER[self.kind]}{self.index}"

    def label(self, lang: str = "id") -> str:
        """ "Triwulan III Tahun 2026" (id) or "Quarter III 2026" (en)."""
        words = _WORDS["en" if lang == "en" else "id"]
        if self.kind == "tahun":
            return f"{words['tahun']} {self.year}"
        year = f"Tahun {self.year}" if lang != "en" else str(self.year)
        return f"{words[self.kind]} {_ROMAN[self.index - 1]} {year}"

    @property
    def first_month(self) -> int:
        return (self.index - 1) * _MONTHS[self.kind] + 1

    @property
    def start(self) -> dt.date:
        """The first day of the period."""
        return dt.date(self.year, self.first_month, 1)

    @property
    def end(self) -> dt.date:
        """The last day of the period (inclusive)."""
        last = self.first_month + _MONTHS[self.kind] - 1
        if last == 12:
            return dt.date(self.year, 12, 31)
        return dt.date(self.year, last + 1, 1) - dt.timedelta(days=1)

    def deadline(self, day: int, unit: PeriodUnit | str) -> dt.date:
        """Day `day` of the first month of the first `unit`-period starting after this one ends.

        T3 2026 with triwulan -> 2026-10-05; T1 2026 with tahun -> 2027-01-05 (for day 5).
        """
        months = _MONTHS[str(unit.value if isinstance(unit, PeriodUnit) else unit).lower()]
        end = self.end
        # the unit-period containing `end` starts at this month (0-based); the next one follows it
        next_start = ((end.month - 1) // months) * months + months
        year = end.year + next_start // 12
        try:
            return dt.date(year, next_start % 12 + 1, day)
        except ValueError:
            raise ValueError(
                f"day {day} does not exist in {year}-{next_start % 12 + 1:02d}"
            ) from None

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        """In pydantic models a Period is read from its text ("2026-T3") and written as text."""
        from pydantic_core import core_schema

        def validate(value: Any) -> Period:
            if isinstance(value, Period):
                return value
            if isinstance(value, int) and not isinstance(value, bool):
                value = str(value)
            if isinstance(value, str):
                return cls.parse(value)
            raise ValueError(f"a period must be text: {_FORMS}")

        return core_schema.no_info_plain_validator_function(
            validate,
            json_schema_input_schema=core_schema.str_schema(),
            serialization=core_schema.plain_serializer_function_ser_schema(str),
        )
