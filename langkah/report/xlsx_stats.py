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
from langkah.report.xlsx_writer import NUMBER, Column, Workbook
from langkah.views import CycleView

GROUPS_SHEET = "Statistik"
STEPS_SHEET = "Statistik langkah"
ALL_PERIODS = "Semua periode terpilih"


def _pct(value: float | None) -> float | None:
    """A percentage as the fraction a "0.00%" cell shows, rounded as the JSON rounds it."""
    return None if value is None else round(value, 2) / 100


def _num(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _int(title: str, width: float, get: Callable[[Any], Any]) -> Column:
    return Column(title, width, get, NUMBER)


def _pct_column(title: str, width: float, get: Callable[[Any], float | None]) -> Column:
    return Column(title, width, lambda item: _pct(get(item)), NUMBER, "0.00%")


def _num_column(title: str, width: float, get: Callable[[Any], float | None]) -> Column:
    return Column(title, width, lambda item: _num(get(item)), NUMBER, "0.00")


def _most(g: GroupStats) -> StepStats | None:
    return g.most_late_step


GROUP_COLUMNS: tuple[Column, ...] = (
    Column("SOP", 30, lambda g: g.sop_id),
    Column("Nama SOP", 26, lambda g: g.sop_name),
    Column("Kecamatan", 16, lambda g: g.kecamatan),
    Column("Periode", 12, lambda g: g.period or ALL_PERIODS),
    _int("Siklus dimulai", 10, lambda g: g.cycles_started),
    _int("Siklus selesai", 10, lambda g: g.cycles_finished),
    _int("Siklus dibatalkan", 10, lambda g: g.cycles_cancelled),
    _int("Siklus berjalan", 10, lambda g: g.cycles_open),
    _int("Langkah dinilai", 10, lambda g: g.steps_judged),
    _int("Langkah tepat waktu", 10, lambda g: g.steps_on_time),
    _int("Langkah terlambat", 10, lambda g: g.steps_late),
    _int("Berjalan dalam waktu", 10, lambda g: g.steps_pending),
    _pct_column("Tepat waktu (%)", 10, lambda g: g.on_time_pct),
    _int("Paling terlambat: langkah", 11, lambda g: m.step if (m := _most(g)) else None),
    _int("Paling terlambat: kali terlambat", 11,
        lambda g: m.late if (m := _most(g)) else None),
    _int("Paling terlambat: kali dinilai", 11,
        lambda g: m.judged if (m := _most(g)) else None),
    _int("Pengembalian", 10, lambda g: g.returns),
    _num_column("Pengembalian per siklus", 11, lambda g: g.returns_per_cycle),
    _int("Siklus selesai diukur", 10, lambda g: g.lead_time_cycles),
    _num_column("Lama siklus median (menit)", 12, lambda g: g.lead_time_median_minutes),
    _num_column("Jumlah waktu standar (menit)", 12, lambda g: g.standard_sum_minutes),
    _num_column("Rasio lama / standar", 10, lambda g: g.lead_time_ratio),
    Column("Langkah di luar jumlah standar", 14,
        lambda g: ", ".join(str(n) for n in g.unsummed_steps)),
)  # fmt: skip

STEP_COLUMNS: tuple[Column, ...] = (
    Column("SOP", 30, lambda r: r[0].sop_id),
    Column("Kecamatan", 16, lambda r: r[0].kecamatan),
    Column("Periode", 12, lambda r: r[0].period or ALL_PERIODS),
    _int("No langkah", 8, lambda r: r[1].step),
    Column("Waktu standar", 18,
        lambda r: " ".join(r[1].standard.text.split()) if r[1].standard is not None else ""),
    Column("Jenis standar", 11,
        lambda r: r[1].standard.kind.value if r[1].standard is not None else "none"),
    _int("Pelaksanaan", 10, lambda r: r[1].visits),
    _int("Dinilai", 9, lambda r: r[1].judged),
    _int("Tepat waktu", 9, lambda r: r[1].on_time),
    _int("Terlambat", 9, lambda r: r[1].late),
    _int("Berjalan dalam waktu", 10, lambda r: r[1].pending),
    _pct_column("Tepat waktu (%)", 10, lambda r: r[1].on_time_pct),
    _num_column("Keterlambatan median (menit)", 12, lambda r: r[1].delay_median_minutes),
    _num_column("Keterlambatan P90 (menit)", 12, lambda r: r[1].delay_p90_minutes),
)  # fmt: skip


def facts_of(view: CycleView, now: dt.datetime) -> CycleFacts | None:
    """A cycle's analytics facts from its opened view, as `langkah stats` takes them; None for
    a cycle whose log does not verify (the figures leave it out, as `langkah stats` does)."""
    if view.integrity_problem is not None:
        return None
    return cycle_facts(view.state, view.definition, view.calendar, now)


def add_stats_sheets(workbook: Workbook, stats: Stats) -> None:
    """Append the two statistics sheets to the recap's workbook."""
    groups = [*stats.groups, *stats.totals]
    workbook.add_table(GROUPS_SHEET, GROUP_COLUMNS, groups)
    steps = [(g, s) for g in groups for s in g.steps]
    workbook.add_table(STEPS_SHEET, STEP_COLUMNS, steps)


def stats_sheets(facts: Sequence[CycleFacts]) -> Callable[[Workbook], None]:
    """The hook `export_recap` calls with its workbook: the figures of `facts`."""
    stats = compute(facts)
    return lambda workbook: add_stats_sheets(workbook, stats)
