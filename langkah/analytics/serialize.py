"""The stable JSON of `langkah stats --json` (keys documented in docs/analytics.md).

Minutes and percentages are rounded to 2 decimals; a figure that is undefined (a share of
nothing, a median of no values) is null, never 0.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from langkah.analytics.aggregate import GroupStats, Stats, StepStats

if TYPE_CHECKING:
    from langkah.analytics.selection import PeriodRange

STATS_SCHEMA = 1
PERCENTILE_METHOD = "linear-inclusive"  # Excel PERCENTILE.INC; see langkah/analytics/quantile.py


def _r(value: float | None) -> float | None:
    return round(value, 2) if value is not None else None


def step_json(s: StepStats) -> dict[str, Any]:
    return {
        "step": s.step,
        "standard": " ".join(s.standard.text.split()) if s.standard is not None else "",
        "standard_kind": s.standard.kind.value if s.standard is not None else "none",
        "visits": s.visits,
        "judged": s.judged,
        "on_time": s.on_time,
        "late": s.late,
        "pending": s.pending,
        "on_time_pct": _r(s.on_time_pct),
        "delay_median_min": _r(s.delay_median_minutes),
        "delay_p90_min": _r(s.delay_p90_minutes),
    }


def group_json(g: GroupStats) -> dict[str, Any]:
    most = g.most_late_step
    return {
        "sop_id": g.sop_id,
        "sop_name": g.sop_name,
        "kecamatan": g.kecamatan,
        "period": g.period,
        "cycles_started": g.cycles_started,
        "cycles_finished": g.cycles_finished,
        "cycles_cancelled": g.cycles_cancelled,
        "cycles_open": g.cycles_open,
        "steps_judged": g.steps_judged,
        "steps_on_time": g.steps_on_time,
        "steps_late": g.steps_late,
        "steps_pending": g.steps_pending,
        "on_time_pct": _r(g.on_time_pct),
        "most_late_step": None
        if most is None
        else {"step": most.step, "late": most.late, "judged": most.judged},
        "returns": g.returns,
        "returns_per_cycle": _r(g.returns_per_cycle),
        "returns_by_decision": [
            {
                "step": d.step,
                "answers": d.answers,
                "returns": d.returns,
                "return_pct": _r(d.return_pct),
                "returns_per_cycle": _r(d.returns_per_cycle),
            }
            for d in g.decisions
        ],
        "lead_time_cycles": g.lead_time_cycles,
        "lead_time_median_min": _r(g.lead_time_median_minutes),
        "standard_sum_min": _r(g.standard_sum_minutes),
        "lead_time_ratio": _r(g.lead_time_ratio),
        "standard_sum_excludes_steps": list(g.unsummed_steps),
        "steps": [step_json(s) for s in g.steps],
    }


def selection_filters(
    sop: str | None, kecamatan: str | None, periods: PeriodRange
) -> dict[str, str | None]:
    """The `filters` of the JSON (and of the Word recap): the options as given."""
    return {
        "sop": sop,
        "kecamatan": kecamatan,
        "from": str(periods.first) if periods.first is not None else None,
        "to": str(periods.last) if periods.last is not None else None,
    }


def stats_json(stats: Stats, now: str, filters: dict[str, str | None]) -> dict[str, Any]:
    return {
        "schema": STATS_SCHEMA,
        "now": now,
        "filters": filters,
        "percentile_method": PERCENTILE_METHOD,
        "cycles": stats.cycles,
        "groups": [group_json(g) for g in stats.groups],
        "totals": [group_json(g) for g in stats.totals],
        "step_table": {
            "columns": [{"sop_id": c.sop_id, "kecamatan": c.kecamatan} for c in stats.columns],
            "rows": [
                {
                    "step": row.step,
                    "cells": [step_json(c) if c is not None else None for c in row.cells],
                }
                for row in stats.step_table
            ],
        },
    }
