"""The overview's columns, most telling first, so that a narrow terminal shows what matters
without scrolling. Imports nothing: the first screen reads it before the domain is loaded."""

from __future__ import annotations

COLUMNS = (
    "ov.col.kecamatan",
    "ov.col.period",
    "ov.col.step",
    "ov.col.overdue",
    "ov.col.time",
    "ov.col.holder",
    "ov.col.returns",
    "ov.col.status",
    "ov.col.sop",
)
