"""The one percentile method of the analytics: linear interpolation, inclusive.

The p-th percentile of n sorted values x[0..n-1] sits at position h = (n - 1) * p / 100:
x[floor(h)] + (h - floor(h)) * (x[floor(h) + 1] - x[floor(h)]). It is Excel's PERCENTILE.INC,
numpy's default and `statistics.quantiles(method="inclusive")`, so an evaluator can check a
figure in a spreadsheet; the 50th percentile is the usual median.
"""

from __future__ import annotations

import math
from collections.abc import Iterable


def percentile(values: Iterable[float], p: float) -> float | None:
    """The p-th percentile (0 <= p <= 100) of `values`; None when there are none."""
    if not 0 <= p <= 100:
        raise ValueError(f"a percentile must be from 0 to 100, not {p}")
    ordered = sorted(values)
    if not ordered:
        return None
    position = (len(ordered) - 1) * p / 100
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (position - low) * (ordered[high] - ordered[low])
