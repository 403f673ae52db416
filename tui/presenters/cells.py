"""The report's monitoring cells in the export dialog's one-line fields (plain strings: the
dialog imports this at once, without the run screen's domain code)."""

from __future__ import annotations


def one_line(text: str) -> str:
    """A monitoring cell (lines, as the report prints them) in a one-line field: its lines
    joined by "; " (a field would show a line break as a visible mark)."""
    return "; ".join(text.splitlines())


def edited_cell(shown: str, original: str) -> str:
    """What the report prints for a cell edited in a one-line field: the original, its lines
    kept, while the field still holds what it was shown with; else what was typed."""
    return original if shown == one_line(original) else shown
