"""What a report export can be asked for, the monitoring row type, and the report's error."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from langkah.messages import Text

# (width, height) in millimetres, portrait.
PAPERS: dict[str, tuple[float, float]] = {"A4": (210.0, 297.0), "F4": (215.0, 330.0)}


class ReportError(Exception):
    """An export that could not be written; the message names the path and the cause."""

    text: Text | None = None

    def __init__(self, message: str | Text, path: Path | None = None):
        if isinstance(message, Text):
            self.text = message
            message = message.message("en")
        super().__init__(message)
        self.message = message  # the English text (`text` has both languages)
        self.path = path


@dataclass
class MonitoringRow:
    """One row of the "Monitoring Pelaksanaan SOP" table (PermenPAN-RB 35/2012).

    `berjalan_baik` is None when the step cannot be assessed yet (not reached).
    """

    no: int
    prosedur: str
    berjalan_baik: bool | None = True
    catatan: str = ""
    tindakan: str = ""
    paraf: str = ""


@dataclass
class ReportOptions:
    """Layout and content choices of one export."""

    draft: bool = False
    paper: Literal["A4", "F4"] = "A4"
    font: str = "Arial"
    font_size: int = 12
    monitoring: list[MonitoringRow] | None = None
    place: str | None = None  # default: the kecamatan's name
    date: dt.date | None = None  # default: the cycle's end date, else today (local)
    author: str | None = None  # the core properties' author; default: the unit's name
    logo: Path | None = None  # an image for the kop's left side (PNG or JPEG)

    def __post_init__(self) -> None:
        paper = str(self.paper).upper()
        if paper not in PAPERS:
            raise ValueError(f"paper '{self.paper}' must be A4 or F4")
        self.paper = paper  # type: ignore[assignment]
        if not 6 <= int(self.font_size) <= 24:
            raise ValueError(f"font size {self.font_size} must be from 6 to 24")
        if not str(self.font).strip():
            self.font = "Arial"
