"""Clean user text before it reaches the Word document (python-docx rejects XML-illegal chars).

Kept: tab, newline, every other character XML 1.0 allows (emoji, RTL text, "<tags>").
Removed: C0 controls other than tab/newline, DEL-free C1 stays, lone surrogates, U+FFFE, U+FFFF.
Carriage returns become newlines, so "\\r\\n" reads back as one line break.
"""

from __future__ import annotations

import re
from typing import Any

# XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(value: Any) -> str:
    """`value` as text that python-docx accepts; None becomes ""."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _ILLEGAL.sub("", text)
