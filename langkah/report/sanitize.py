"""Clean user text before it reaches the Word document: the display sanitiser's convention.

python-docx rejects XML-illegal characters, and an official record must not hide or reorder
anything, so the report shows text the way the terminal does (langkah.display.visible): C0
controls other than tab/newline, DEL, C1, bidi controls, line separators, lone surrogates and
U+FFFE/U+FFFF are written as escapes (``\\x1b``, ``\\u202e``). Tab and newline are kept;
carriage returns become newlines first, so "\\r\\n" reads back as one line break.
"""

from __future__ import annotations

from typing import Any

from langkah.display import visible


def clean(value: Any) -> str:
    """`value` as text that python-docx accepts and that shows every control; None becomes ""."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return visible(text)
