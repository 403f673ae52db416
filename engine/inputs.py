"""Typed values for a step's kelengkapan: parse what a person typed, check what is still missing.

Values are stored as JSON: check -> bool, text -> str, number -> int/float, date -> "YYYY-MM-DD",
document -> {"nomor": str, "tanggal": "YYYY-MM-DD"}, choice -> one of the declared choices.
An empty text clears a value. docs/cli-json.md lists the accepted spellings.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from langkah.engine.definition import InputKind, InputSpec, Step
from langkah.engine.errors import ActionRefused

_TRUE = {"ya", "y", "yes", "true", "1", "ada", "lengkap", "x", "v", "✓", "sudah"}
_FALSE = {"tidak", "t", "no", "n", "false", "0", "belum", "tidak ada"}
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")


# The years a typed date may lie in: the documents and meetings of an SOP cycle. A date outside
# them is a typing slip (1899 for 1989, 9999 for a placeholder, 2206 for 2026), refused.
DATE_YEARS = (2000, 2099)


class DateOutOfSpan(ValueError):
    """A real date outside DATE_YEARS."""


def parse_date(text: str) -> dt.date:
    """A date typed as 2026-10-05 or 5/10/2026; ValueError if it is not a real date,
    DateOutOfSpan (a ValueError) if its year is outside DATE_YEARS."""
    text = text.strip()
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        match = _DMY.match(text)
        if not match:
            raise ValueError(text) from None
        date, month, year = (int(g) for g in match.groups())
        day = dt.date(year, month, date)
    if not DATE_YEARS[0] <= day.year <= DATE_YEARS[1]:
        raise DateOutOfSpan(text)
    return day


# Indonesian numbers: "." groups thousands, "," marks decimals ("1.234,5" = 1234.5). A lone "."
# not followed by groups of three digits is read as a decimal point, as typed on English keyboards
# and as JSON writes it ("12.5"); anything else ("1,2,3", "1,234.5", "1.23,4") is refused.
_GROUPED = r"[1-9]\d{0,2}(?:\.\d{3})+"  # 1.234 and 12.345.678, not 0.500
_DECIMAL_COMMA = re.compile(rf"[+-]?(?:{_GROUPED}|\d+),\d+", re.ASCII)
_THOUSANDS = re.compile(rf"[+-]?{_GROUPED}", re.ASCII)
_DECIMAL_POINT = re.compile(r"[+-]?\d+(?:\.\d+)?", re.ASCII)


def _number(text: str) -> int | float:
    raw = text.strip().replace(" ", "").replace("\u00a0", "")
    if _DECIMAL_COMMA.fullmatch(raw):
        raw = raw.replace(".", "").replace(",", ".")
    elif _THOUSANDS.fullmatch(raw):
        raw = raw.replace(".", "")
    elif not _DECIMAL_POINT.fullmatch(raw):
        raise ValueError(text)
    return _whole_if_exact(float(raw))


def _whole_if_exact(value: float) -> int | float:
    if not math.isfinite(value):
        raise ValueError(value)
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def parse_value(spec: InputSpec, raw: Any) -> Any:
    """Turn what was typed (a string) or given (a JSON value) into the stored value.

    Returns None for an empty value (which clears it). Raises ActionRefused naming the item.
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        match spec.type:
            case InputKind.CHECK:
                if isinstance(raw, bool):
                    return raw
                word = str(raw).strip().lower()
                if word in _TRUE:
                    return True
                if word in _FALSE:
                    return False
                raise ValueError(raw)
            case InputKind.TEXT:
                return str(raw)
            case InputKind.NUMBER:
                if isinstance(raw, bool):
                    raise ValueError(raw)
                if isinstance(raw, int):  # a JSON number is already a number
                    return raw
                if isinstance(raw, float):
                    return _whole_if_exact(raw)
                return _number(str(raw))
            case InputKind.DATE:
                try:
                    return parse_date(str(raw)).isoformat()
                except DateOutOfSpan:
                    raise _out_of_span(spec, raw) from None
            case InputKind.DOCUMENT:
                if isinstance(raw, dict):
                    nomor, tanggal = str(raw.get("nomor", "")), str(raw.get("tanggal", ""))
                else:
                    nomor, _, tanggal = str(raw).rpartition(";")
                    if not _:
                        nomor, tanggal = str(raw), ""
                if not nomor.strip() or not tanggal.strip():
                    raise ValueError(raw)
                day = document_date(spec, tanggal)
                return {"nomor": nomor.strip(), "tanggal": day.isoformat()}
            case InputKind.CHOICE:
                for choice in spec.choices:
                    if choice.lower() == str(raw).strip().lower():
                        return choice
                raise ValueError(raw)
    except (ValueError, TypeError):
        raise ActionRefused(
            "bad_value",
            item=spec.label,
            kind=spec.type.value,
            value=_preview(raw),
            choices=", ".join(spec.choices),
        ) from None
    raise AssertionError(spec.type)  # pragma: no cover


def document_date(spec: InputSpec, text: str) -> dt.date:
    """A letter's date as typed for the document item `spec`; ActionRefused worded for a
    letter's date when it is not a real date or its year is outside DATE_YEARS."""
    try:
        return parse_date(text)
    except DateOutOfSpan:
        raise _out_of_span(spec, text) from None
    except ValueError:
        raise ActionRefused(
            "bad_value", item=spec.label, kind="document_date", value=_preview(text), choices=""
        ) from None


def _out_of_span(spec: InputSpec, raw: Any) -> ActionRefused:
    first, last = DATE_YEARS
    return ActionRefused(
        "bad_value",
        item=spec.label,
        kind="date_span",
        value=_preview(raw),
        choices=f"{first}-{last}",
    )


def _preview(raw: Any) -> str:
    """What was typed, as a person would write it (a document as "nomor; tanggal", not a dict)."""
    if isinstance(raw, dict):
        raw = "; ".join(str(raw.get(key, "")) for key in ("nomor", "tanggal"))
    text = str(raw)
    return text if len(text) <= 40 else text[:37] + "..."


def is_filled(spec: InputSpec, value: Any) -> bool:
    """A required check must be ticked; any other item must have a value."""
    if spec.type == InputKind.CHECK:
        return value is True
    return value is not None


def missing_inputs(step: Step, values: dict[str, Any]) -> list[InputSpec]:
    """The required items of a step that have no acceptable value yet."""
    return [s for s in step.inputs if s.required and not is_filled(s, values.get(s.id))]


def format_value(spec: InputSpec, value: Any, lang: str = "id") -> str:
    """A recorded value as people read it."""
    if value is None:
        return "-"
    if spec.type == InputKind.CHECK:
        return (
            ("ada" if value else "tidak ada")
            if lang == "id"
            else ("present" if value else "absent")
        )
    if spec.type == InputKind.DOCUMENT:
        return (
            f"{value['nomor']} ({value['tanggal']})"
            if lang == "en"
            else f"{value['nomor']} tgl. {value['tanggal']}"
        )
    if spec.type == InputKind.NUMBER and isinstance(value, float):
        return f"{value:g}".replace(".", ",") if lang == "id" else f"{value:g}"
    return str(value)
