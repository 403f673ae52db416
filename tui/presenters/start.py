"""The start form's decisions: the variants offered, the default period, a typed period."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from langkah.display import visible
from langkah.engine.clock_bounds import check_period
from langkah.engine.loader import LoadedDefinition
from langkah.engine.period import Period
from langkah.messages import told
from langkah.service import OverviewRow
from langkah.tui.strings import said, t

if TYPE_CHECKING:
    from langkah.definition_index import DefinitionSummary


def variant_label(loaded: LoadedDefinition) -> str:
    identity = loaded.definition.identity
    return visible(f"{identity.office.name} · {identity.name}", one_line=True)


def variant_options(summaries: Mapping[str, DefinitionSummary]) -> list[tuple[str, str]]:
    """(label, sop id) of every variant, in catalog order (from the catalog's listing: nothing
    is parsed to offer them)."""
    return [
        (visible(f"{s.office_name} · {s.name}", one_line=True), sop_id)
        for sop_id, s in summaries.items()
    ]


def default_period(now: dt.datetime) -> Period:
    """The quarter (triwulan) that contains today."""
    return Period.containing(now.date(), "triwulan")


def _period(text: str, last_year: int | None) -> Period:
    """The typed period; ValueError when it is none, or (given the holiday data's `last_year`)
    lies in a year time cannot be counted in."""
    period = Period.parse(text)
    return period if last_year is None else check_period(period, last_year)


def period_label(text: str, lang: str, last_year: int | None = None) -> str:
    """What a typed period means ("Triwulan IV 2026"), or why it is not one."""
    try:
        return _period(text, last_year).label(lang)
    except ValueError as error:  # quotes what was typed
        return visible(told(error).message(lang), one_line=True)


@dataclass(frozen=True)
class StartRequest:
    """A valid start form (variant and period), or the message saying what is missing."""

    sop_id: str | None = None
    period: Period | None = None
    problem: str = ""


def start_request(
    sop_id: str | None, period_text: str, last_year: int | None = None
) -> StartRequest:
    if not sop_id:
        return StartRequest(problem=t("start.no_variant"))
    try:
        period = _period(period_text, last_year)
    except ValueError as error:
        return StartRequest(problem=t("start.bad_period", message=said(error)))
    return StartRequest(sop_id, period)


def duplicate_warning(rows: list[OverviewRow], lang: str) -> str:
    """What the start form says when the chosen SOP and period already have a cycle ("" when
    not): which cycles, where they stand, and how to go on anyway."""
    if not rows:
        return ""
    listed = "; ".join(
        f"{row.cycle_id} ({t(f'status.{row.status.value}')}"
        + (f", {t('ov.col.step').lower()} {row.current_step}" if row.current_step else "")
        + ")"
        for row in rows
    )
    return t("start.duplicate", n=len(rows), cycles=listed)
