"""The NIP of a civil servant (PNS), checked where a person types one; other identity numbers.

A NIP has 18 digits: birth date YYYYMMDD (digits 1-8), appointment (TMT CPNS) YYYYMM (9-14),
gender 1 or 2 (15), serial (16-18). It is accepted with or without spaces (and with a leading
"NIP" / "NIP."), stored as its 18 digits and printed "19700626 199003 1 006".

Staff who are not PNS carry other numbers. Such a number is *marked* by writing its label first,
in letters, then a space, then the number: "NI PPPK 1990...", "NIK 3507...", "NRPTT 12/34".
A marked number is stored and printed exactly as written. Anything else is refused with what is
wrong, part by part (`NipError.part` and its message in either language).
"""

from __future__ import annotations

import datetime as dt
import re

# A label of letters (words, dots allowed: "NI PPPK", "N.I.K."), a space, then a number.
_MARKED = re.compile(r"^(?P<label>[^\W\d_][^\W\d_.]*(?:[ .]+[^\W\d_]+)*\.?)\s+(?P<rest>\S.*)$")
_NIP_LABEL = re.compile(r"^\s*nip\s*[.:]?\s*", re.IGNORECASE)
_SPACING = re.compile(r"[\s.\-]")

# Plausible ranges (a NIP of a person serving today; generous on both ends).
BIRTH_YEARS = (1930, 2012)
APPOINTMENT_YEARS = (1950, 2099)
AGE_AT_APPOINTMENT = (15, 60)

PARTS: dict[str, tuple[str, str]] = {
    "length": (
        "NIP harus 18 angka (yang ditulis {count} angka{letters})",
        "a NIP has 18 digits (this has {count}{letters_en})",
    ),
    "birth": (
        "tanggal lahir (angka ke-1 s.d. 8: {value}) bukan tanggal yang masuk akal",
        "the birth date (digits 1-8: {value}) is not a plausible date",
    ),
    "appointment": (
        "TMT pengangkatan (angka ke-9 s.d. 14: {value}) bukan tahun-bulan yang masuk akal",
        "the appointment year-month (digits 9-14: {value}) is not plausible",
    ),
    "age": (
        "TMT pengangkatan ({appointed}) tidak cocok dengan tanggal lahir ({born})",
        "the appointment ({appointed}) does not fit the birth date ({born})",
    ),
    "gender": (
        "angka ke-15 (jenis kelamin) harus 1 atau 2, bukan {value}",
        "digit 15 (gender) must be 1 or 2, not {value}",
    ),
}
HINT = (
    'Jika ini nomor identitas lain, tulis jenisnya di depan, misalnya "NI PPPK {value}".',
    'If this is another identity number, write its kind first, e.g. "NI PPPK {value}".',
)


class NipError(ValueError):
    """A typed NIP that is not plausible: `part` names what is wrong (a key of PARTS)."""

    def __init__(self, typed: str, part: str, **details: object):
        self.value = typed
        self.part = part
        self.details = details
        super().__init__(self.describe("en"))

    def describe(self, lang: str = "id") -> str:
        index = 0 if lang == "id" else 1
        return PARTS[self.part][index].format(**self.details)

    def message(self, lang: str = "id") -> str:
        """What is wrong and how to mark another identity number."""
        index = 0 if lang == "id" else 1
        shown = " ".join(self.value.split())
        return f"{self.describe(lang)}. {HINT[index].format(value=shown)}"


def is_marked(value: str) -> bool:
    """True when `value` is another identity number marked with its label ("NI PPPK ...")."""
    text = value.strip()
    if _NIP_LABEL.match(text) and not re.match(r"^\s*nip\s*[a-z]", text, re.IGNORECASE):
        return False
    match = _MARKED.match(text)
    return bool(match and any(ch.isdigit() for ch in match.group("rest")))


def normalize(value: str) -> str:
    """The identity number as stored: "" for none, a NIP's 18 digits, a marked number as
    written (outer spaces trimmed). Raises NipError for anything else."""
    text = value.strip()
    if not text:
        return ""
    if is_marked(text):
        return text
    bare = _NIP_LABEL.sub("", text)
    digits = _SPACING.sub("", bare)
    if not digits.isdigit() or len(digits) != 18:
        count = sum(ch.isdigit() for ch in bare)
        letters = any(not ch.isdigit() and not _SPACING.match(ch) for ch in bare)
        raise NipError(
            text,
            "length",
            count=count,
            letters=" dan tanda lain" if letters else "",
            letters_en=" and other characters" if letters else "",
        )
    check_digits(digits)
    return digits


def check_digits(digits: str) -> None:
    """Raise NipError naming the first implausible part of an 18-digit NIP."""
    try:
        born = dt.date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        born = None
    if born is None or not BIRTH_YEARS[0] <= born.year <= BIRTH_YEARS[1]:
        raise NipError(digits, "birth", value=digits[0:8])
    year, month = int(digits[8:12]), int(digits[12:14])
    if not (APPOINTMENT_YEARS[0] <= year <= APPOINTMENT_YEARS[1] and 1 <= month <= 12):
        raise NipError(digits, "appointment", value=digits[8:14])
    age = year - born.year - (1 if month < born.month else 0)
    if not AGE_AT_APPOINTMENT[0] <= age <= AGE_AT_APPOINTMENT[1]:
        raise NipError(
            digits, "age", appointed=f"{year}-{month:02d}", born=born.isoformat(), value=digits
        )
    if digits[14] not in "12":
        raise NipError(digits, "gender", value=digits[14])


def printed(value: str) -> str:
    """As printed: an 18-digit NIP spaced 8-6-1-3, a marked number as written."""
    text = value.strip()
    digits = _SPACING.sub("", _NIP_LABEL.sub("", text)) if not is_marked(text) else ""
    if len(digits) == 18 and digits.isdigit():
        return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"
    return text
