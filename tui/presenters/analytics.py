"""The analytics screen's tables (docs/analytics.md), from `langkah.analytics.Stats`.

Two tables: one row per SOP variant x kecamatan x period, and the step table that sets the
variants side by side. Every figure is text beside its count, never only a picture.
"""

from __future__ import annotations

from collections.abc import Callable

from langkah.analytics import GroupStats, Stats, StepStats
from langkah.analytics.labels import compact, number, pct
from langkah.display import visible
from langkah.engine.period import Period
from langkah.formatting import duration
from langkah.tui.presenters.filters import Filters
from langkah.tui.strings import t

GROUP_COLUMNS = (
    "an.col.kecamatan",
    "an.col.period",
    "an.col.cycles",
    "an.col.on_time",
    "an.col.most_late",
    "an.col.returns",
    "an.col.lead",
)


def wants(filters: Filters) -> Callable[[str, str, str], bool]:
    """The overview's kecamatan and period choices as a selection of cycles (its status and
    search do not apply to figures over many cycles)."""

    def chosen(sop_id: str, kecamatan: str, period: str) -> bool:
        if filters.kecamatan and kecamatan != filters.kecamatan:
            return False
        return not (filters.period and period != filters.period)

    return chosen


def filter_line(filters: Filters) -> str:
    parts = [
        visible(filters.kecamatan, one_line=True) if filters.kecamatan else t("an.all_kecamatan"),
        visible(filters.period, one_line=True) if filters.period else t("an.all_periods"),
    ]
    return t("an.filters", chosen=" · ".join(parts))


def _cycles(g: GroupStats) -> str:
    return f"{g.cycles_started}/{g.cycles_finished}/{g.cycles_cancelled}"


def _on_time(g: GroupStats, lang: str) -> str:
    return f"{pct(g.on_time_pct, lang)} ({g.steps_on_time}/{g.steps_judged})"


def _most_late(g: GroupStats) -> str:
    most = g.most_late_step
    return "-" if most is None else f"{most.step} ({most.late}/{most.judged})"


def _lead(g: GroupStats, lang: str) -> str:
    lead = compact(g.lead_time_median_minutes, lang, g.day_minutes)
    standard = compact(g.standard_sum_minutes, lang, g.day_minutes)
    return f"{lead} / {standard}"


def group_rows(stats: Stats, lang: str) -> list[tuple[str, ...]]:
    """One row per group, then one per variant's total ("semua periode")."""
    rows: list[tuple[str, ...]] = []
    for g in (*stats.groups, *stats.totals):
        period = g.period if g.period is not None else t("an.total")
        rows.append(
            (
                visible(g.kecamatan, one_line=True),
                visible(period, one_line=True),
                _cycles(g),
                _on_time(g, lang),
                _most_late(g),
                number(g.returns_per_cycle, lang, 2),
                _lead(g, lang),
            )
        )
    return rows


def step_columns(stats: Stats) -> list[str]:
    return [t("an.col.step")] + [visible(c.kecamatan, one_line=True) for c in stats.columns]


def _cell(s: StepStats | None, lang: str, per_day: float) -> str:
    if s is None:
        return "."
    if not s.judged:
        return "- (0)"
    delays = (
        f"{compact(s.delay_median_minutes, lang, per_day)}/"
        f"{compact(s.delay_p90_minutes, lang, per_day)}"
    )
    return f"{pct(s.on_time_pct, lang)} ({s.judged}) {delays}"


def step_rows(stats: Stats, lang: str) -> list[tuple[str, ...]]:
    days = [g.day_minutes for g in stats.totals]
    return [
        (str(row.step), *(_cell(c, lang, d) for c, d in zip(row.cells, days, strict=True)))
        for row in stats.step_table
    ]


def summary(stats: Stats, lang: str) -> str:
    """One line under the tables: how many cycles, and what the columns hold."""
    if stats.empty:
        return t("an.empty")
    day = duration(stats.totals[0].day_minutes, lang) if stats.totals else ""
    return t("an.summary", cycles=stats.cycles, day=day)


def on_time_series(stats: Stats) -> tuple[list[str], list[tuple[str, list[int], list[float]]]]:
    """The chart of on-time % per period: the periods in time order (the x labels, at 1, 2,
    ...) and, per variant, the positions and values it has. A period without judged steps is
    left out of its line, never drawn as 0."""
    periods = sorted(
        {g.period for g in stats.groups if g.period is not None},
        key=lambda p: (Period.parse(p).start, Period.parse(p).end),
    )
    position = {p: i + 1 for i, p in enumerate(periods)}
    series = []
    for total in stats.totals:
        points = [
            (position[g.period], g.on_time_pct)
            for g in stats.groups
            if (g.sop_id, g.kecamatan) == (total.sop_id, total.kecamatan)
            and g.period is not None
            and g.on_time_pct is not None
        ]
        label = visible(total.kecamatan, one_line=True)
        series.append((label, [x for x, _ in points], [y for _, y in points]))
    return periods, series


def tick_labels(periods: list[str], width: int) -> tuple[list[int], list[str]]:
    """Every n-th period as an x label, so that the labels (about 8 columns each) fit."""
    step = max(1, -(-len(periods) * 9 // max(width, 1)))
    chosen = list(range(0, len(periods), step))
    return [i + 1 for i in chosen], [periods[i] for i in chosen]


def delay_bars(stats: Stats) -> tuple[list[int], list[tuple[str, list[float | None]]]]:
    """The bars of median delay per step (working minutes), a bar per variant: the step
    numbers of the step table, and per variant its medians (None: that variant has no such
    step or none of its visits is judged; the step table shows "." or "-" there)."""
    steps = [row.step for row in stats.step_table]
    series = []
    for index, column in enumerate(stats.columns):
        values: list[float | None] = []
        for row in stats.step_table:
            cell = row.cells[index]
            values.append(cell.delay_median_minutes if cell is not None else None)
        series.append((visible(column.kecamatan, one_line=True), values))
    return steps, series
