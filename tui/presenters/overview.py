"""The overview's decisions: each row's cells and tones, and the filter dialog's choices (which
rows a filter admits is decided in the store: `Langkah.overview_page`).

Imported by the overview's loading worker (it needs the engine), never before the first screen.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len

from langkah.display import visible as shown
from langkah.engine.cycle import CycleStatus
from langkah.engine.period import Period
from langkah.engine.timing import TimeStatus
from langkah.formatting import duration
from langkah.service import OverviewRow
from langkah.tui.strings import t


@dataclass(frozen=True)
class Cell:
    """One cell's text and its tone: "" (plain), "warning", "error" or "error-bold".

    The text is ready to show: what came from people or files went through the sanitiser.
    """

    text: str
    tone: str = ""


def coarse(text: str) -> str:
    """A duration to its two largest units, for a narrow column: "4 hari 4 jam 30 menit" ->
    "4 hari 4 jam" (the time column and the run screen keep the minutes)."""
    words = text.split()
    return " ".join(words[:4])


def _status(row: OverviewRow, lang: str) -> Cell:
    """The status and lateness in one cell: "terlambat 6 hari", "dijeda", "selesai", ..."""
    timing = row.timing
    text, tone = t(f"status.{row.status.value}"), ""
    if row.status_is_open and timing is not None:
        late = coarse(duration(timing.overdue_minutes, lang, row.day_minutes))
        if timing.status == TimeStatus.OVERDUE:
            text = t("ov.late", late=late)
            if row.status == CycleStatus.PAUSED:
                text = f"{t('status.paused')}, {text}"
            tone = "error-bold"
        elif timing.status == TimeStatus.NEAR_LIMIT:
            text, tone = f"{text}, {t('time.near_limit')}", "warning"
    if row.uncovered_years:
        years = ", ".join(str(year) for year in row.uncovered_years)
        text, tone = f"{text} {t('ov.uncovered', years=years)}", tone or "warning"
    if row.integrity_problem is not None:
        text, tone = f"{t('ov.unverified')} · {text}", "error-bold"
    return Cell(text, tone)


def _step(row: OverviewRow) -> Cell:
    """The current step ("4. Menyusun ..."), or for an ended cycle when it ended."""
    if row.current_step is not None:
        return Cell(f"{row.current_step}. {shown(row.step_activity, one_line=True)}")
    if row.ended_at is not None:
        return Cell(t("ov.ended", date=row.ended_at.date().isoformat()))
    return Cell("-")


def cells(row: OverviewRow, lang: str) -> dict[str, Cell]:
    """The cells of one row by column key; durations in the SOP's own working days.

    Every row has text in its first columns: an ended cycle shows its status and end date.
    """
    timing = row.timing
    holder = shown(row.actors + (f" ({row.holders})" if row.holders else ""), one_line=True)
    time_cell = Cell("-")
    if timing is not None:
        standard = timing.standard.text or "-"
        text = f"{duration(timing.elapsed_minutes, lang, row.day_minutes)} / {standard}"
        tone = {TimeStatus.OVERDUE: "error", TimeStatus.NEAR_LIMIT: "warning"}
        time_cell = Cell(text, tone.get(timing.status, ""))
    return {
        "ov.col.kecamatan": Cell(shown(row.kecamatan, one_line=True)),
        "ov.col.status": _status(row, lang),
        "ov.col.step": _step(row),
        "ov.col.holder": Cell(holder or "-"),
        "ov.col.period": Cell(shown(row.period, one_line=True)),
        "ov.col.time": time_cell,
        "ov.col.sop": Cell(shown(row.sop_name, one_line=True)),
        "ov.col.returns": Cell(str(row.returns) if row.returns else ""),
    }


def natural_widths(rows: list[dict[str, Cell]], headers: dict[str, str]) -> dict[str, int]:
    """Each column's widest text (header included), for `columns.layout`."""
    widths = {key: cell_len(header) for key, header in headers.items()}
    for row in rows:
        for key, cell in row.items():
            widths[key] = max(widths.get(key, 0), cell_len(cell.text))
    return widths


def choice_options(
    kecamatan: list[str], periods: list[str], lang: str
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(kecamatan, period) choices from the values the store holds (`OverviewPage`)."""
    return [(shown(k, one_line=True), k) for k in sorted(kecamatan)], [
        (Period.parse(p).label(lang), p) for p in sorted(periods, reverse=True)
    ]
