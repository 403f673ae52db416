"""Tim SAKIP's analytics: where SOPs are late, across kecamatan and periods (docs/analytics.md).

Pure: every figure is computed from replayed cycle states, their definitions and working
calendars, and an injected `now`. No file, clock, store or interface is touched here; the
`langkah stats` command loads the logs through the service and hands the states in.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

# Where each name lives, imported when first asked for (PEP 562): importing one submodule
# (e.g. analytics.sql for `langkah stats`' lean path) does not import the engine through
# analytics.facts
_HOMES = {
    "DecisionStats": "aggregate",
    "GroupStats": "aggregate",
    "Stats": "aggregate",
    "StepColumn": "aggregate",
    "StepRow": "aggregate",
    "StepStats": "aggregate",
    "compute": "aggregate",
    "CycleFacts": "facts",
    "StepFact": "facts",
    "Verdict": "facts",
    "cycle_facts": "facts",
    "verdict": "facts",
    "percentile": "quantile",
    "PeriodRange": "selection",
    "Selection": "selection",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


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
