"""Tim SAKIP's analytics: where SOPs are late, across kecamatan and periods (docs/analytics.md).

Pure: every figure is computed from replayed cycle states, their definitions and working
calendars, and an injected `now`. No file, clock, store or interface is touched here; the
`langkah stats` command loads the logs through the service and hands the states in.
"""

from langkah.analytics.aggregate import (
    DecisionStats,
    GroupStats,
    Stats,
    StepColumn,
    StepRow,
    StepStats,
    compute,
)
from langkah.analytics.facts import CycleFacts, StepFact, Verdict, cycle_facts, verdict
from langkah.analytics.quantile import percentile
from langkah.analytics.selection import PeriodRange, Selection

__all__ = [
    "CycleFacts",
    "DecisionStats",
    "GroupStats",
    "PeriodRange",
    "Selection",
    "Stats",
    "StepColumn",
    "StepFact",
    "StepRow",
    "StepStats",
    "Verdict",
    "compute",
    "cycle_facts",
    "percentile",
    "verdict",
]
