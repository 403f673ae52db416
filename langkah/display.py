"""The one display sanitiser: text from people or files, made safe to put on a terminal or a page.

Stored text stays byte-exact; only what is shown passes through here. `visible()` writes every
character that could steer a terminal or reorder a line as the escape Python's repr() would use
for it, so a reader sees that it is there and what it is:

- C0 controls (U+0000–U+001F), DEL (U+007F) and C1 controls (U+0080–U+009F): ``\\x1b``, ``\\x7f``,
  ``\\x9b``; tab, newline and carriage return as ``\\t``, ``\\n``, ``\\r``;
- bidi controls: embeddings and overrides U+202A–U+202E, isolates U+2066–U+2069, the marks
  U+200E/U+200F and the Arabic letter mark U+061C: ``\\u202e``;
- the line and paragraph separators U+2028/U+2029, lone surrogates (undecodable bytes that Python
  keeps as U+DC80–U+DCFF, or any unpaired U+D800–U+DFFF) and the noncharacters U+FFFE/U+FFFF.

Tab and newline are kept where the context allows several lines (`one_line=False`); a carriage
return is always shown, so "ok\\rFAKE" cannot overwrite a line. Everything else — Indonesian text,
Arabic and Hebrew letters, emoji (with their joiners and variation selectors), CJK, "[bold]" —
is left exactly as it is. `json_text()` is the JSON counterpart: lossless, with the same
characters written as JSON escapes (``\\u001b``) so that printing JSON to a terminal is safe too.
"""

from __future__ import annotations

import re
from typing import Any

_UNSAFE = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f"  # C0 except tab and newline, DEL, C1
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"  # bidi marks, embeddings, overrides, isolates
    "\u2028\u2029"  # line and paragraph separators
    "\ud800-\udfff"  # lone surrogates
    "\ufffe\uffff"
)
_MULTI_LINE = re.compile(f"[{_UNSAFE}]")
_ONE_LINE = re.compile(f"[{_UNSAFE}\t\n]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def escape(char: str) -> str:
    """The visible form of one character: ``\\t``, ``\\x1b``, ``\\u202e``."""
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def _escape_match(match: re.Match[str]) -> str:
    return escape(match.group())


def visible(text: object, one_line: bool = False) -> str:
    """`text` with every control, bidi and unpaired character written visibly (see module doc).

    `one_line=True` (table cells, one-line messages) also shows tab and newline as ``\\t``/``\\n``.
    None becomes "".
    """
    if text is None:
        return ""
    value = text if isinstance(text, str) else str(text)
    pattern = _ONE_LINE if one_line else _MULTI_LINE
    if pattern.search(value) is None:  # the usual case: nothing to do, no copy
        return value
    return pattern.sub(_escape_match, value)


# Characters json.dumps(ensure_ascii=False) leaves raw although a terminal would act on them or
# UTF-8 cannot encode them (it escapes C0 itself): DEL, C1, bidi, separators, lone surrogates.
# (a pattern, compiled by `re` on first use: the app's start-up does not need it)
_JSON_RAW = "[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]"


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_text(value: Any, indent: int | None = 2) -> str:
    """`value` as JSON that is lossless (json.loads gives it back exactly), valid UTF-8, and
    safe on a terminal: readable non-ASCII text stays as it is, controls become escapes."""
    import json  # not at module level: the app's first screen imports this module, not json

    text = json.dumps(value, ensure_ascii=False, indent=indent)
    # these characters only ever occur inside JSON strings, where \\uXXXX means the same
    return re.sub(_JSON_RAW, _json_escape, text)


__all__ = ["escape", "json_text", "visible"]
