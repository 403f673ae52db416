"""The `langkah stats` figures as two sheets of the evaluators' xlsx recap (docs/analytics.md).

"Statistik": one row per SOP variant x kecamatan x period, then each variant's total over the
exported periods (period "Semua periode terpilih"). "Statistik langkah": one row per step of
each of those rows. Numbers are numbers (percentages as fractions with a % format, working
minutes with two decimals), rounded as `langkah stats --json` rounds them, so a cell equals its
JSON figure; an undefined figure (a share of nothing, a median of no values) is an empty cell,
never 0. Header row frozen, autofilter on every column. The figures are of the cycles the
recap lists, computed by langkah.analytics from the same replayed logs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from langkah.analytics import CycleFacts, GroupStats, Stats, StepStats, compute, cycle_facts
from langkah.report.sanitize import clean
from langkah.views import CycleView

GROUPS_SHEET = "Statistik"
STEPS_SHEET = "Statistik langkah"
ALL_PERIODS = "Semua periode terpilih"

# (header, width, kind, value); kind: "text", "int", "pct" (value in percent), "num"
Column = tuple[str, float, str, Callable[[Any], Any]]


def _most(g: GroupStats) -> StepStats | None:
    return g.most_late_step


GROUP_COLUMNS: tuple[Column, ...] = (
    ("SOP", 30, "text", lambda g: g.sop_id),
    ("Nama SOP", 26, "text", lambda g: g.sop_name),
    ("Kecamatan", 16, "text", lambda g: g.kecamatan),
    ("Periode", 12, "text", lambda g: g.period or ALL_PERIODS),
    ("Siklus dimulai", 10, "int", lambda g: g.cycles_started),
    ("Siklus selesai", 10, "int", lambda g: g.cycles_finished),
    ("Siklus dibatalkan", 10, "int", lambda g: g.cycles_cancelled),
    ("Siklus berjalan", 10, "int", lambda g: g.cycles_open),
    ("Langkah dinilai", 10, "int", lambda g: g.steps_judged),
    ("Langkah tepat waktu", 10, "int", lambda g: g.steps_on_time),
    ("Langkah terlambat", 10, "int", lambda g: g.steps_late),
    ("Berjalan dalam waktu", 10, "int", lambda g: g.steps_pending),
    ("Tepat waktu (%)", 10, "pct", lambda g: g.on_time_pct),
    ("Paling terlambat: langkah", 11, "int", lambda g: m.step if (m := _most(g)) else None),
    ("Paling terlambat: kali terlambat", 11, "int",
     lambda g: m.late if (m := _most(g)) else None),
    ("Paling terlambat: kali dinilai", 11, "int",
     lambda g: m.judged if (m := _most(g)) else None),
    ("Pengembalian", 10, "int", lambda g: g.returns),
    ("Pengembalian per siklus", 11, "num", lambda g: g.returns_per_cycle),
    ("Siklus selesai diukur", 10, "int", lambda g: g.lead_time_cycles),
    ("Lama siklus median (menit)", 12, "num", lambda g: g.lead_time_median_minutes),
    ("Jumlah waktu standar (menit)", 12, "num", lambda g: g.standard_sum_minutes),
    ("Rasio lama / standar", 10, "num", lambda g: g.lead_time_ratio),
    ("Langkah di luar jumlah standar", 14, "text",
     lambda g: ", ".join(str(n) for n in g.unsummed_steps)),
)  # fmt: skip

STEP_COLUMNS: tuple[Column, ...] = (
    ("SOP", 30, "text", lambda r: r[0].sop_id),
    ("Kecamatan", 16, "text", lambda r: r[0].kecamatan),
    ("Periode", 12, "text", lambda r: r[0].period or ALL_PERIODS),
    ("No langkah", 8, "int", lambda r: r[1].step),
    ("Waktu standar", 18, "text",
     lambda r: " ".join(r[1].standard.text.split()) if r[1].standard is not None else ""),
    ("Jenis standar", 11, "text",
     lambda r: r[1].standard.kind.value if r[1].standard is not None else "none"),
    ("Pelaksanaan", 10, "int", lambda r: r[1].visits),
    ("Dinilai", 9, "int", lambda r: r[1].judged),
    ("Tepat waktu", 9, "int", lambda r: r[1].on_time),
    ("Terlambat", 9, "int", lambda r: r[1].late),
    ("Berjalan dalam waktu", 10, "int", lambda r: r[1].pending),
    ("Tepat waktu (%)", 10, "pct", lambda r: r[1].on_time_pct),
    ("Keterlambatan median (menit)", 12, "num", lambda r: r[1].delay_median_minutes),
    ("Keterlambatan P90 (menit)", 12, "num", lambda r: r[1].delay_p90_minutes),
)  # fmt: skip


def facts_of(view: CycleView, now: dt.datetime) -> CycleFacts | None:
    """A cycle's analytics facts from its opened view, as `langkah stats` takes them; None for
    a cycle whose log does not verify (the figures leave it out, as `langkah stats` does)."""
    if view.integrity_problem is not None:
        return None
    return cycle_facts(view.state, view.definition, view.calendar, now)


def _write_sheet(workbook: Any, name: str, columns: Sequence[Column], rows: Sequence[Any],
                 formats: dict[str, Any]) -> None:  # fmt: skip
    sheet = workbook.add_worksheet(name)
    for col, (title, width, _, _) in enumerate(columns):
        sheet.set_column(col, col, width)
        sheet.write_string(0, col, title, formats["header"])
    sheet.freeze_panes(1, 0)
    for row, item in enumerate(rows, 1):
        for col, (_, _, kind, get) in enumerate(columns):
            value = get(item)
            if value is None or value == "":
                continue  # undefined: an empty cell, never 0
            if kind == "text":
                sheet.write_string(row, col, clean(value))
            elif kind == "pct":
                sheet.write_number(row, col, round(value, 2) / 100, formats["pct"])
            elif kind == "num":
                sheet.write_number(row, col, round(value, 2), formats["num"])
            else:
                sheet.write_number(row, col, value)
    sheet.autofilter(0, 0, max(len(rows), 1), len(columns) - 1)


def add_stats_sheets(workbook: Any, stats: Stats) -> None:
    """Append the two statistics sheets to an open XlsxWriter workbook."""
    formats = {
        "header": workbook.add_format(
            {"bold": True, "bg_color": "#D9D9D9", "text_wrap": True, "valign": "top", "border": 1}
        ),
        "pct": workbook.add_format({"num_format": "0.00%"}),
        "num": workbook.add_format({"num_format": "0.00"}),
    }
    groups = [*stats.groups, *stats.totals]
    _write_sheet(workbook, GROUPS_SHEET, GROUP_COLUMNS, groups, formats)
    steps = [(g, s) for g in groups for s in g.steps]
    _write_sheet(workbook, STEPS_SHEET, STEP_COLUMNS, steps, formats)


def stats_sheets(facts: Sequence[CycleFacts]) -> Callable[[Any], None]:
    """The hook `export_recap` calls with its workbook: the figures of `facts`."""
    stats = compute(facts)
    return lambda workbook: add_stats_sheets(workbook, stats)
