"""The "waktu" column of a step: the SOP's own text, parsed into a typed standard.

"15 Menit", "1,5 jam", "120" (with a default unit) are working time; "2 hari", "3 hari kerja",
"1 x 24 jam" are working days; "2 minggu" working weeks of the unit's calendar; "1-2 hari" is a
range whose upper bound is the standard; "Paling Lambat Tanggal 5 triwulan Berikutnya" is a
deadline relative to the cycle's period. An empty text means the SOP sets no time. Anything else
is an error naming the text, never a silent zero. docs/definition-format.md has the table.
"""

from __future__ import annotations

import functools
import re
from enum import StrEnum
from fractions import Fraction

from pydantic import BaseModel, ConfigDict

# defined beside the periods (no pydantic there: `langkah stats`' lean path reads periods)
from langkah.engine.period import PeriodUnit as PeriodUnit


class StandardKind(StrEnum):
    NONE = "none"
    DURATION = "duration"  # working minutes
    WORKDAYS = "workdays"  # working days (an average working day of the calendar each)
    WORKWEEKS = "workweeks"  # working weeks (the calendar's working time of a week each)
    DEADLINE = "deadline"  # day N of the period after the cycle's period


class TimeUnit(StrEnum):
    """The unit a bare waktu number is read in (a definition's `time_unit`)."""

    MINUTES = "menit"
    HOURS = "jam"
    DAYS = "hari"
    WEEKS = "minggu"


class StandardTime(BaseModel):
    """A parsed waktu: the text as written plus what it means."""

    model_config = ConfigDict(frozen=True)

    text: str
    kind: StandardKind
    minutes: float = 0
    days: float = 0
    deadline_day: int = 0
    deadline_unit: PeriodUnit | None = None
    weeks: float = 0

    def meaning(self, lang: str = "id") -> str:
        """What Langkah reads the text as: "3 hari kerja", "90 menit kerja", "-" for none."""
        en = lang == "en"
        amounts = {
            StandardKind.DURATION: (self.minutes, "menit kerja", "working minute"),
            StandardKind.WORKDAYS: (self.days, "hari kerja", "working day"),
            StandardKind.WORKWEEKS: (self.weeks, "minggu kerja", "working week"),
        }
        if self.kind in amounts:
            value, words, english = amounts[self.kind]
            if en:
                return f"{_number(value, en)} {english}{'' if value == 1 else 's'}"
            return f"{_number(value, en)} {words}"
        if self.kind == StandardKind.DEADLINE and self.deadline_unit is not None:
            if en:
                return f"day {self.deadline_day} of the next {self.deadline_unit.value}"
            return f"tanggal {self.deadline_day} {self.deadline_unit.value} berikutnya"
        return "-"

    def shown(self, lang: str = "id") -> str:
        """The text as written, with what it is read as when the text does not say it plainly.

        "15 menit" and "2 hari" stay as they are; "1 x 24 jam (= 1 hari kerja)", "30 (= 30 menit
        kerja)", "1-2 hari (= 2 hari kerja)"; "-" when the SOP sets no time.
        """
        written = " ".join(self.text.split())
        if self.kind == StandardKind.NONE:
            return "-"
        meaning = self.meaning(lang)
        if self.kind == StandardKind.DEADLINE or _PLAIN.match(written.lower()):
            return written
        if written.lower() == meaning.lower():
            return written
        return f"{written} (= {meaning})"


_PLAIN = re.compile(r"^\d+ (menit|mnt|jam|hari)$")


def _number(value: float, english: bool = False) -> str:
    """1.5 -> "1,5" ("1.5" in English), 2.0 -> "2"."""
    if value == int(value):
        return str(int(value))
    text = f"{value:.2f}".rstrip("0")
    return text if english else text.replace(".", ",")


# One year of working time under Perpres 21/2023 (52 weeks of 37 h 30 min): no waktu may exceed it.
DAY_MINUTES = 450
WEEK_MINUTES = 5 * DAY_MINUTES
YEAR_MINUTES = 52 * WEEK_MINUTES
_YEAR_WORDS = "260 hari kerja, 52 minggu, 1950 jam or 117000 menit"

_FRACTIONS = {"½": Fraction(1, 2), "¼": Fraction(1, 4), "¾": Fraction(3, 4)}
_FRACTIONS |= {"⅓": Fraction(1, 3), "⅔": Fraction(2, 3)}
_NUMBER = r"(?:\d+\s*[½¼¾⅓⅔]|[½¼¾⅓⅔]|\d+/\d+|\d+(?:,\d+)?)"
_RANGE = r"\s*(?:-|–|—|s\.?\s?d\.?|s/d|sampai(?:\s+dengan)?)\s*"
_UNIT = (
    r"menit(?:\s+kerja)?|mnt|jam(?:\s+kerja)?|hari(?:\s+kerja)?|hk"
    r"|minggu(?:\s+kerja)?|pekan|(?:x|×|kali)\s*24\s*jam"
)
_PREFIX = r"(?:(?:paling\s+lama|maksimal|maksimum|maks\.?|selama)\s+)?"
_AMOUNT = re.compile(
    rf"^{_PREFIX}(?P<low>{_NUMBER})(?:{_RANGE}(?P<high>{_NUMBER}))?\s*(?P<unit>{_UNIT})?$"
)
_DEADLINE = re.compile(
    r"^paling\s+lambat\s+(?:pada\s+)?tanggal\s+(\d{1,2})\s+"
    r"(bulan|triwulan|tribulan|semester|tahun)\s+berikutnya$"
)
_PERIODS = {"tribulan": PeriodUnit.QUARTER}
_EXAMPLES = (
    "write e.g. '15 menit', '1,5 jam', '2 hari kerja', '1 x 24 jam', '2 minggu', '1-2 hari' "
    "or 'paling lambat tanggal 5 triwulan berikutnya' (or leave it empty)"
)


def _amount(text: str) -> Fraction:
    text = text.replace(" ", "")
    if text[-1] in _FRACTIONS:
        whole = int(text[:-1]) if len(text) > 1 else 0
        return whole + _FRACTIONS[text[-1]]
    if "/" in text:
        top, bottom = text.split("/")
        if int(bottom) == 0:
            raise ZeroDivisionError
        return Fraction(int(top), int(bottom))
    return Fraction(text.replace(",", "."))


_UNIT_WORDS = {
    "menit": TimeUnit.MINUTES,
    "mnt": TimeUnit.MINUTES,
    "jam": TimeUnit.HOURS,
    "hari": TimeUnit.DAYS,
    "hk": TimeUnit.DAYS,
    "minggu": TimeUnit.WEEKS,
    "pekan": TimeUnit.WEEKS,
}
_PER_UNIT = {TimeUnit.MINUTES: 1, TimeUnit.HOURS: 60, TimeUnit.DAYS: DAY_MINUTES}
_PER_UNIT[TimeUnit.WEEKS] = WEEK_MINUTES


def _unit(word: str | None) -> TimeUnit | None:
    """The unit a phrase names; "N x 24 jam" counts N working days (see the format doc)."""
    if word is None:
        return None
    if "24" in word:
        return TimeUnit.DAYS
    return _UNIT_WORDS[word.split()[0]]


@functools.lru_cache(maxsize=4096)
def parse_standard_time(text: str, default_unit: str | None = None) -> StandardTime:
    """Parse a waktu text; a bare number is read in `default_unit` (else it is an error).

    Raises ValueError naming the text when it is not understood or out of range. A result is
    immutable, so one is shared by every step that writes the same text (the cache keeps long
    definitions, where the same few phrases repeat, quick to validate).
    """
    normal = " ".join(text.strip().lower().split())
    if not normal:
        return StandardTime(text=text, kind=StandardKind.NONE)
    if match := _AMOUNT.match(normal):
        unit = _unit(match.group("unit"))
        if unit is None:
            if default_unit is None:
                raise ValueError(
                    f"waktu '{text}' has no unit: write e.g. '{text.strip()} menit', "
                    "or set time_unit for the whole definition (format 2)"
                )
            unit = TimeUnit(default_unit)
        try:
            low = _amount(match.group("low"))
            high = _amount(match.group("high")) if match.group("high") else low
        except ZeroDivisionError:
            raise ValueError(f"waktu '{text}' divides by zero") from None
        if low <= 0 or high <= 0:
            raise ValueError(f"waktu '{text}' must be more than zero")
        if high < low:
            raise ValueError(f"waktu '{text}': a range must go from the smaller to the larger")
        if high * _PER_UNIT[unit] > YEAR_MINUTES:
            raise ValueError(
                f"waktu '{text}' is more than a year of working time (at most {_YEAR_WORDS})"
            )
        if unit == TimeUnit.DAYS:
            return StandardTime(text=text, kind=StandardKind.WORKDAYS, days=float(high))
        if unit == TimeUnit.WEEKS:
            return StandardTime(text=text, kind=StandardKind.WORKWEEKS, weeks=float(high))
        minutes = high * 60 if unit == TimeUnit.HOURS else high
        return StandardTime(text=text, kind=StandardKind.DURATION, minutes=float(minutes))
    if match := _DEADLINE.match(normal):
        day, period = int(match.group(1)), match.group(2)
        if not 1 <= day <= 28:
            raise ValueError(f"waktu '{text}': tanggal {day} must be from 1 to 28")
        return StandardTime(
            text=text,
            kind=StandardKind.DEADLINE,
            deadline_day=day,
            deadline_unit=_PERIODS.get(period) or PeriodUnit(period),
        )
    if re.search(r"\d\.\d", normal):
        raise ValueError(f"waktu '{text}': write a decimal with a comma ('1,5 jam')")
    raise ValueError(f"waktu '{text}' is not understood: {_EXAMPLES}")
