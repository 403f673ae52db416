"""An Input that never draws a raw control or bidi character, while its value stays exact.

A recorded value (a name, a nomor, a typed text) may hold characters a terminal would act on.
The field must keep the value byte-exact (it is compared with what is recorded, and saved when
changed), so only the drawing changes: each character `langkah.display.visible` would escape
is drawn as one visible glyph of one cell (C0 controls and DEL as their Unicode control
pictures ␛ ␀ ␡, everything else as �), so the cursor still lines up with the value.
"""

from __future__ import annotations

from functools import cache

from rich.text import Text
from textual.widgets import Input

from langkah.display import visible

# Where the characters the sanitiser escapes live (C0/DEL/C1, bidi marks, separators and
# isolates, surrogates, noncharacters); which of them it escapes is asked of the sanitiser.
_CANDIDATES = (
    range(0x00, 0xA0),
    range(0x0600, 0x0700),
    range(0x2000, 0x2070),
    range(0xD800, 0xE000),
    range(0xFFF0, 0x10000),
)


@cache
def _glyph_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for block in _CANDIDATES:
        for code in block:
            if visible(chr(code), one_line=True) == chr(code):
                continue
            if code < 0x20:
                table[code] = chr(0x2400 + code)  # ␀ … ␟
            elif code == 0x7F:
                table[code] = "\u2421"  # ␡
            else:
                table[code] = "\ufffd"
    return table


def glyphs(value: str) -> str:
    """`value` with each unsafe character replaced by one visible glyph (same length)."""
    if visible(value, one_line=True) == value:
        return value
    return value.translate(_glyph_table())


class SafeInput(Input):
    """`Input` drawing its value through `glyphs`; the value itself is never changed."""

    @property
    def _value(self) -> Text:
        if self.password:
            return super()._value
        text = Text(glyphs(self.value), no_wrap=True, overflow="ignore", end="")
        if self.highlighter is not None:
            text = self.highlighter(text)
        return text
