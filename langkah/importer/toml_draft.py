"""Writing the TOML draft as text, so that every value can carry its comment.

Written by hand rather than with tomlkit: the draft is a flat sequence of `key = value  # why`
lines, comment lines and table headers, and the line number of every `# PERIKSA:` comment must be
known for the checklist; escaping a TOML basic string is a few lines (below). The result is always
parsed back (tomllib, then the engine's loader) before it is written.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
CHECK = "PERIKSA"


def toml_string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    out = []
    for ch in text:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F or _invisible(ch):
            # control, bidi and zero-width characters as escapes: the value is the same, the
            # file shows them (the draft is read by a person before it is used)
            out.append(_escape(ch))
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, list | tuple):
        items = [toml_value(v) for v in value]
        one_line = "[" + ", ".join(items) + "]"
        if len(one_line) <= 80:
            return one_line
        return "[\n" + "".join(f"  {item},\n" for item in items) + "]"
    raise TypeError(f"no TOML form for {type(value).__name__}")


def _escape(ch: str) -> str:
    return f"\\u{ord(ch):04X}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08X}"


def _invisible(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cf", "Zl", "Zp")


def comment_text(text: str) -> str:
    """One comment line's text: control characters (newlines too) become spaces, bidi and
    zero-width characters visible escapes."""
    text = "".join(_escape(ch) if _invisible(ch) else ch for ch in text)
    return " ".join(_CONTROL.sub(" ", text).split())


class DraftWriter:
    """Lines of the draft, and the PERIKSA items with their line numbers (1-based)."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.checks: list[tuple[int, str]] = []
        self.indent = ""

    def blank(self) -> None:
        self.lines.append("")

    def comment(self, text: str) -> None:
        self.lines.append(f"{self.indent}# {comment_text(text)}")

    def check(self, text: str) -> None:
        """A `# PERIKSA:` comment: something the importer could not decide."""
        clean = comment_text(text)
        self.lines.append(f"{self.indent}# {CHECK}: {clean}")
        self.checks.append((len(self.lines), clean))

    def header(self, name: str, array: bool = False) -> None:
        self.lines.append(f"{self.indent}[[{name}]]" if array else f"{self.indent}[{name}]")

    def value(self, key: str, value: object, note: str = "") -> None:
        line = f"{self.indent}{key} = {toml_value(value)}"
        if note:
            note = comment_text(note)
            if "\n" in line or len(line) + len(note) > 100:
                self.comment(note)
            else:
                line += f"  # {note}"
        self.lines.extend(line.split("\n"))  # one entry per line: PERIKSA lines are counted

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"
