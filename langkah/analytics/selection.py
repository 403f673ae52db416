"""Which cycles a `langkah stats` run looks at: SOP ids, kecamatan, a range of periods."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from langkah.engine.period import Period


class SelectionError(ValueError):
    """Periods given in the wrong order; `str()` is the English, `message(lang)` either."""

    def __init__(self, first: str, last: str):
        self.first, self.last = first, last
        super().__init__(self.message("en"))

    def message(self, lang: str = "id") -> str:
        first, last = self.first, self.last
        if lang == "en":
            return (
                f"--from {first} comes after --to {last}: give the earlier period first "
                f"(e.g. --from {last} --to {first})"
            )
        return (
            f"--from {first} jatuh sesudah --to {last}: beri periode yang lebih awal dulu "
            f"(mis. --from {last} --to {first})"
        )


@dataclass(frozen=True)
class PeriodRange:
    """Periods from `first` to `last`, inclusive; either end may be open (None).

    A cycle's period is in the range when it lies wholly inside it: it starts on or after the
    first period's first day and ends on or before the last period's last day. So 2026-T1 to
    2026-T2 holds 2026-T1, 2026-T2 and 2026-S1, but not the year 2026.
    """

    first: Period | None = None
    last: Period | None = None

    def __post_init__(self) -> None:
        if self.first is not None and self.last is not None and self.first.start > self.last.end:
            raise SelectionError(str(self.first), str(self.last))

    @classmethod
    def exactly(cls, period: Period) -> PeriodRange:
        return cls(period, period)

    def holds(self, period: Period) -> bool:
        start: dt.date = self.first.start if self.first is not None else dt.date.min
        end: dt.date = self.last.end if self.last is not None else dt.date.max
        return start <= period.start and period.end <= end


@dataclass(frozen=True)
class Selection:
    """The filters, already checked against what exists (None = no filter)."""

    sop_ids: frozenset[str] | None = None
    kecamatan: str | None = None  # compared case-insensitively
    periods: PeriodRange = PeriodRange()

    def wants(self, sop_id: str, kecamatan: str, period: str) -> bool:
        if self.sop_ids is not None and sop_id not in self.sop_ids:
            return False
        if self.kecamatan is not None and kecamatan.lower() != self.kecamatan.lower():
            return False
        if self.periods.first is None and self.periods.last is None:
            return True
        return self.periods.holds(_parsed(period))


@functools.lru_cache(maxsize=4096)
def _parsed(text: str) -> Period:
    """A period's text parsed (50,000 cycles name a few hundred periods)."""
    return Period.parse(text)
