"""JSON values kept exactly in PostgreSQL's JSONB.

JSONB refuses two things Python's JSON has, and changes a third:
- the character U+0000 in a string, and lone surrogates (undecodable bytes typed at a
  terminal arrive in Python that way): JSONB text is UTF-8 without NUL;
- floats: JSONB keeps numbers as `numeric`, so 1e+20 comes back as the integer
  100000000000000000000, -0.0 as 0.0, and NaN/Infinity are refused.

A stored event is hashed as it is read back (langkah.store.chain), so each of these would break
a log's hash chain or lose what a person typed. `to_jsonb` therefore writes such a value as a
marked string: MARK followed by the value's JSON text in ASCII (`\\u0000`, `\\ud800`, `1e+20`),
and `from_jsonb` turns every marked string back into its value. A string that itself starts
with MARK (a private-use character) is marked too, so the encoding is exact both ways. Keys
are treated like strings. Everything else (the common case) is stored as it is, so the rows
stay readable and queryable in SQL.
"""

from __future__ import annotations

import json
import re
from typing import Any

MARK = "\ue000"
"""A private-use character that starts an encoded value (docs/store-format.md)."""

_UNSAFE = re.compile("[\x00\ud800-\udfff]")
_PLAIN_FLOAT = re.compile(r"-?[0-9]+\.[0-9]+")


def _string_needs_mark(text: str) -> bool:
    return text.startswith(MARK) or _UNSAFE.search(text) is not None


def _float_needs_mark(value: float) -> bool:
    text = repr(value)
    return _PLAIN_FLOAT.fullmatch(text) is None or text.startswith("-0.0") and value == 0


def _marked(value: Any) -> str:
    return MARK + json.dumps(value, ensure_ascii=True)


def to_jsonb(value: Any) -> Any:
    """`value` with every string or float JSONB would refuse or change written as a marked
    string (see the module docstring); the same object when nothing needs it."""
    if isinstance(value, str):
        return _marked(value) if _string_needs_mark(value) else value
    if isinstance(value, bool) or value is None or isinstance(value, int):
        return value
    if isinstance(value, float):
        return _marked(value) if _float_needs_mark(value) else value
    if isinstance(value, dict):
        return {
            (_marked(k) if isinstance(k, str) and _string_needs_mark(k) else k): to_jsonb(v)
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [to_jsonb(item) for item in value]
    return value


def _unmark(text: str) -> Any:
    return json.loads(text[len(MARK) :])


def from_jsonb(value: Any) -> Any:
    """The value `to_jsonb` was given (marked strings decoded), from JSONB as read."""
    if isinstance(value, str):
        return _unmark(value) if value.startswith(MARK) else value
    if isinstance(value, dict):
        return {(_unmark(k) if k.startswith(MARK) else k): from_jsonb(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_jsonb(item) for item in value]
    return value


def loads(text: str | bytes) -> Any:
    """A JSONB value as PostgreSQL sends it, decoded (the loader psycopg is given): marked
    strings are looked for only when the text holds MARK at all."""
    if isinstance(text, bytes | bytearray | memoryview):
        text = bytes(text).decode("utf-8")
    value = json.loads(text)
    return from_jsonb(value) if MARK in text else value


def dumps(value: Any) -> str:
    """A value as JSONB text (already encoded with `to_jsonb`)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


# `json.dumps(value, ensure_ascii=False, separators=(",", ":"))` with the C encoder made once
# (json.dumps makes a new encoder on every call with these options), as langkah.engine.events
# does for the canonical text; no check for circular structures: JSON values have none.
_MAKE_C_ENCODER: Any = getattr(json.encoder, "c_make_encoder", None)  # private to json
_C_PLAIN = (
    _MAKE_C_ENCODER(
        None, json.JSONEncoder().default, json.encoder.encode_basestring, None, ":", ",",
        False, False, True,
    )
    if _MAKE_C_ENCODER is not None
    else None
)  # fmt: skip


def _plain(value: Any) -> str:
    if _C_PLAIN is None:  # pragma: no cover - CPython has the C encoder
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return "".join(_C_PLAIN(value, 0))


# What in a value's plain JSON text (json.dumps, or the canonical text langkah.engine.events
# hashes) may need `to_jsonb`: a lone surrogate or MARK (only in text that is not ASCII; the
# canonical text escapes a lone surrogate: "\\udXXX"), an escaped U+0000, or a number token
# JSONB would change:
# NaN, Infinity, -0.0, or an exponent, which a float's repr always writes with a sign ("1e+20",
# "1e-05"): "e+" or a digit then "e-". Looked for with str methods, not one regular expression:
# a search of a regular expression with alternatives tries them at every character (65 us for
# a cycle's summary of 750 characters; 1 us this way). Text inside strings may match too: only
# a reason to look closer (`to_jsonb`), never a miss.
_UNSAFE_TEXT = re.compile("[\ud800-\udfff\ue000]")


def _suspect(text: str) -> bool:
    if not text.isascii() and _UNSAFE_TEXT.search(text) is not None:
        return True
    if "\\u0000" in text or "\\ud" in text or "NaN" in text or "Infinity" in text or "-0.0" in text:
        return True
    if "e+" in text:
        return True
    at = text.find("e-", 1)
    while at > 0:
        if text[at - 1] in "0123456789":
            return True
        at = text.find("e-", at + 2)
    return False


def encode(value: Any) -> str:
    """`dumps(to_jsonb(value))`, without walking the value when its plain JSON text shows
    nothing that needs a mark (the common case: one encoding and a few substring looks)."""
    return encode_as(value, _plain(value))


def encode_as(value: Any, text: str) -> str:
    """JSONB text of `value` whose JSON text (any key order: JSONB keeps its own) is `text`:
    `text` itself when nothing in it needs a mark (`encode`)."""
    return dumps(to_jsonb(value)) if _suspect(text) else text
