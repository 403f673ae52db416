"""The overview's decisions: which rows a filter admits, and each row's cells and tones.

Imported by the overview's loading worker (it needs the engine), never before the first screen.
"""

from __future__ import annotations

from dataclasses import dataclass

from langkah.display import visible as shown
from langkah.engine.cycle import CycleStatus
from langkah.engine.period import Period
from langkah.engine.timing import TimeStatus
from langkah.formatting import duration
from langkah.service import OverviewRow
from langkah.tui.presenters.filters import Filters
from langkah.tui.strings import t

STEP_WIDTH = 30
HOLDER_WIDTH = 26


@dataclass(frozen=True)
class Cell:
    """One cell's text and its tone: "" (plain), "warning", "error" or "error-bold".

    The text is ready to show: what came from people or files went through the sanitiser.
    """

    text: str
    tone: str = ""


def clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def is_overdue(row: OverviewRow) -> bool:
    return row.timing is not None and row.timing.status == TimeStatus.OVERDUE


def accepts(filters: Filters, row: OverviewRow) -> bool:
    """Whether a row passes the filters (the overdue choice admits only overdue rows)."""
    if filters.kecamatan and row.kecamatan != filters.kecamatan:
        return False
    if filters.period and row.period != filters.period:
        return False
    if filters.status == "open":
        return row.status_is_open
    if filters.status == "overdue":
        return is_overdue(row)
    if filters.status in (CycleStatus.FINISHED.value, CycleStatus.CANCELLED.value):
        return row.status.value == filters.status
    return True


def visible(rows: list[OverviewRow], filters: Filters) -> list[OverviewRow]:
    return [row for row in rows if accepts(filters, row)]


def cells(row: OverviewRow, lang: str) -> list[Cell]:
    """The cells of one row, in COLUMNS order; durations in the SOP's own working days."""
    timing = row.timing
    step = ""
    if row.current_step is not None:
        step = clip(f"{row.current_step}. {shown(row.step_activity, one_line=True)}", STEP_WIDTH)
    holder = shown(row.actors + (f" ({row.holders})" if row.holders else ""), one_line=True)
    time_cell, overdue_cell = Cell("-"), Cell("")
    if timing is not None:
        per_day = row.day_minutes
        standard = timing.standard.text or "-"
        text = f"{duration(timing.elapsed_minutes, lang, per_day)} / {standard}"
        if timing.status == TimeStatus.OVERDUE:
            overdue_cell = Cell(duration(timing.overdue_minutes, lang, per_day), "error-bold")
            time_cell = Cell(text, "error")
        elif timing.status == TimeStatus.NEAR_LIMIT:
            time_cell = Cell(text, "warning")
        else:
            time_cell = Cell(text)
    status = t(f"status.{row.status.value}")
    if row.status_is_open and is_overdue(row):
        status = f"{status}, {t('time.overdue')}"
    status_tone = ""
    if row.uncovered_years:
        years = ", ".join(str(year) for year in row.uncovered_years)
        status, status_tone = f"{status} {t('ov.uncovered', years=years)}", "warning"
    if row.integrity_problem is not None:
        status, status_tone = f"{t('ov.unverified')} · {status}", "error-bold"
    return [
        Cell(shown(row.kecamatan, one_line=True)),
        Cell(shown(row.period, one_line=True)),
        Cell(step),
        overdue_cell,
        time_cell,
        Cell(clip(holder or "-", HOLDER_WIDTH)),
        Cell(str(row.returns) if row.returns else ""),
        Cell(status, status_tone),
        Cell(shown(row.sop_name, one_line=True)),
    ]


def filter_options(
    rows: list[OverviewRow], lang: str
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(kecamatan, period) choices offered by the filter dialog: those present in the data."""
    kecamatan = sorted({r.kecamatan for r in rows})
    periods = sorted({r.period for r in rows}, reverse=True)
    return [(shown(k, one_line=True), k) for k in kecamatan], [
        (Period.parse(p).label(lang), p) for p in periods
    ]
