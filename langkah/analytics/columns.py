"""The figures straight from kept facts (facts_codec's payloads), without a `CycleFacts` per
cycle or a `StepFact` per visit: what the database does on PostgreSQL (langkah/analytics/sql.py),
done in Python for the embedded store's warm `langkah stats`.

Each selected cycle's payload is counted into its group (SOP id, kecamatan, period) as the
queries of sql.py count it, its running visit timed at `now` as `decode` times it, and the
result handed to `sql.assemble` as the rows those queries return, so the same `Stats` come
out: medians by `statistics.median`, percentiles by `quantile.percentile`, as `compute` makes
them. tests/analytics/test_sql_stats.py holds the three paths to the same JSON.

Pure: payloads, definitions, calendars and `now` in; no file read here.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from langkah.analytics.facts import _Shape as Shape
from langkah.analytics.facts import _shape
from langkah.analytics.facts_codec import _CODE, time_running
from langkah.analytics.quantile import percentile
from langkah.analytics.sql import SqlRows
from langkah.engine.calendar import WorkingCalendar
from langkah.engine.definition import SopDefinition

Kept = tuple[str, list[Any], SopDefinition, WorkingCalendar]  # cycle id, payload, definition


@dataclass
class _Group:
    """One group's (or variant's) counts, as the queries of sql.py give them."""

    started: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    returns: int = 0
    leads: list[float] = field(default_factory=list)
    sums: list[float] = field(default_factory=list)
    digests: dict[str, int] = field(default_factory=dict)  # digest -> its first cycle's place
    answers: Counter[int] = field(default_factory=Counter)
    returned: Counter[int] = field(default_factory=Counter)
    verdicts: Counter[tuple[int, str]] = field(default_factory=Counter)  # (step, code) -> visits
    delays: dict[int, list[float]] = field(default_factory=dict)  # step -> judged visits' delays

    def merge(self, other: _Group) -> None:
        self.started += other.started
        self.statuses.update(other.statuses)
        self.returns += other.returns
        self.leads += other.leads
        self.sums += other.sums
        for digest, place in other.digests.items():
            self.digests[digest] = min(place, self.digests.get(digest, place))
        self.answers.update(other.answers)
        self.returned.update(other.returned)
        self.verdicts.update(other.verdicts)
        for step, delays in other.delays.items():
            self.delays.setdefault(step, []).extend(delays)


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def rows(kept: Iterable[Kept], now: dt.datetime) -> tuple[SqlRows, dict[str, Shape]]:
    """The rows sql.py's queries would return for these cycles (in the listing's order), and
    each digest's definition shape, for `sql.assemble`."""
    groups: dict[tuple[str, str, str], _Group] = {}
    shapes: dict[str, Shape] = {}
    for place, (_, payload, definition, calendar) in enumerate(kept):
        (digest, sop_id, period, status, steps, _, codes, delays, _, answers, returns,
         lead, standard_sum, running) = payload  # fmt: skip
        shape = shapes.get(digest)
        if shape is None:
            shape = shapes[digest] = _shape(definition)
        key = (sop_id, shape.kecamatan, period)
        group = groups.get(key)
        if group is None:
            group = groups[key] = _Group()
        group.started += 1
        group.statuses[status] += 1
        group.digests.setdefault(digest, place)
        for step, count in answers:
            group.answers[int(step)] += int(count)
        for step, count in returns:
            group.returned[int(step)] += int(count)
            group.returns += int(count)
        if lead is not None:
            group.leads.append(lead)
        group.sums.append(standard_sum)
        group.verdicts.update(zip(steps, codes, strict=True))
        by_step = group.delays
        for step, delay in zip(steps, delays, strict=True):
            if delay is not None:
                if step in by_step:
                    by_step[step].append(delay)
                else:
                    by_step[step] = [delay]
        if running is not None:
            fact = time_running(running, period, definition, calendar, now)
            group.verdicts[(fact.step, _CODE[fact.verdict])] += 1
            if fact.delay_minutes is not None:
                by_step.setdefault(fact.step, []).append(fact.delay_minutes)
    variants: dict[tuple[str, str], _Group] = {}
    for (sop_id, kecamatan, _), group in groups.items():
        variants.setdefault((sop_id, kecamatan), _Group()).merge(group)
    out = SqlRows([], [], [], [])
    everything: list[tuple[tuple[str, str, str | None, int], _Group]]
    everything = [((s, k, p, 0), g) for (s, k, p), g in groups.items()]
    everything += [((s, k, None, 1), g) for (s, k), g in variants.items()]
    for head, group in everything:
        _emit(out, list(head), group)
    return out, shapes


def _emit(out: SqlRows, head: list[Any], group: _Group) -> None:
    statuses = group.statuses
    out.cycles.append(
        [
            *head,
            group.started,
            statuses["finished"],
            statuses["cancelled"],
            statuses["active"] + statuses["paused"],
            group.returns,
            len(group.leads),
            _median(group.leads),
            _median(group.sums),
        ]  # fmt: skip
    )
    out.digests.extend([*head, digest, place] for digest, place in group.digests.items())
    for step in sorted(set(group.answers) | set(group.returned)):
        out.decisions.append([*head, step, group.answers[step], group.returned[step]])
    visits: Counter[int] = Counter()
    for (step, _), count in group.verdicts.items():
        visits[step] += count
    for step, count in visits.items():
        delays = group.delays.get(step, [])
        verdicts = group.verdicts
        out.steps.append(
            [
                *head,
                step,
                count,
                verdicts[(step, "o")],
                verdicts[(step, "l")],
                verdicts[(step, "p")],
                percentile(delays, 50),
                percentile(delays, 90),
            ]  # fmt: skip
        )
