"""`langkah stats` on PostgreSQL: the figures aggregated in SQL, from the facts kept as rows.

The facts are those of langkah/analytics/facts_codec.py, one row per cycle (`stats_cycles`,
keyed by its log's version and head and the calendar stamp), one per finished visit
(`stats_visits`) and one per decision step answered (`stats_decisions`); see
langkah/store/pg_facts.py for the tables and how they are kept. The running visits are timed at
`now` in Python (the engine's timing) and handed to the queries as arrays. The queries below
give per group (and per variant, `GROUPING(period)` = 1) the counts, medians and percentiles;
`assemble` turns their rows into the same `Stats` that `compute` makes from `CycleFacts`, so
`langkah stats --json` prints the same bytes on both paths (tests/analytics/test_sql_stats.py).

Pure: SQL text and plain rows in, `Stats` out; nothing here connects to a database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from langkah.analytics.aggregate import (
    DecisionStats,
    GroupStats,
    Stats,
    StepColumn,
    StepRow,
    StepStats,
    _most_late,
    _period_key,
    share,
)
from langkah.analytics.facts import _Shape as Shape
from langkah.engine.standard_time import StandardTime

# The selected cycles: the kept rows of the wanted (SOP id, kecamatan, period). After the
# refresh (langkah/stats_in_sql.py) every such row is that of its log now: the outdated ones
# were made again, those of logs left out and of cycles gone were deleted.
_WANTED = """
    (sop_id, kecamatan, period) IN (
        SELECT * FROM unnest(%(w_sop)s::text[], %(w_kec)s::text[], %(w_period)s::text[]))
"""

RUNNING = f"""
SELECT cycle_id, digest, sop_id, period, running
FROM stats_cycles WHERE running IS NOT NULL AND {_WANTED}
"""

_SETS = "GROUPING SETS ((sop_id, kecamatan, period{extra}), (sop_id, kecamatan{extra}))"


def _median(values: str) -> str:
    """statistics.median of the sorted array `values` (the mean of the two middle values for
    an even count, added then halved as Python does); NULL for none."""
    n = f"cardinality({values})"
    return (
        f"CASE WHEN coalesce({n}, 0) = 0 THEN NULL"
        f" WHEN mod({n}, 2) = 1 THEN {values}[({n} + 1) / 2]"
        f" ELSE ({values}[{n} / 2] + {values}[{n} / 2 + 1]) / 2 END"
    )


CYCLES = f"""
SELECT sop_id, kecamatan, period, total, started, finished, cancelled, open, returns,
       lead_cycles, {_median("leads")}, {_median("sums")}
FROM (
    SELECT sop_id, kecamatan, period, GROUPING(period) AS total, count(*) AS started,
           count(*) FILTER (WHERE status = 'finished') AS finished,
           count(*) FILTER (WHERE status = 'cancelled') AS cancelled,
           count(*) FILTER (WHERE status IN ('active', 'paused')) AS open,
           sum(returns) AS returns, count(lead_min) AS lead_cycles,
           array_agg(lead_min ORDER BY lead_min) FILTER (WHERE lead_min IS NOT NULL) AS leads,
           array_agg(standard_sum_min ORDER BY standard_sum_min) AS sums
    FROM stats_cycles WHERE {_WANTED}
    GROUP BY {_SETS.format(extra="")}
) AS g
"""

DIGESTS = f"""
SELECT sop_id, kecamatan, period, GROUPING(period), digest, min(cycle_id COLLATE "C")
FROM stats_cycles WHERE {_WANTED} GROUP BY {_SETS.format(extra=", digest")}
"""

DECISIONS = """
SELECT p.sop_id, p.kecamatan, p.period, GROUPING(p.period), d.step, sum(d.answers),
       sum(d.returns)
FROM stats_decisions d JOIN stats_cycles p USING (cycle_id)
WHERE (p.sop_id, p.kecamatan, p.period) IN (
    SELECT * FROM unnest(%(w_sop)s::text[], %(w_kec)s::text[], %(w_period)s::text[]))
GROUP BY GROUPING SETS ((p.sop_id, p.kecamatan, p.period, d.step),
                        (p.sop_id, p.kecamatan, d.step))
"""

# Each visit: the finished ones counted per group, step, verdict and delay (stats_delays, kept
# by triggers from the rows of stats_visits), the running ones timed now (the arrays, with
# their cycles' groups); per group and per variant (`total` 1) and step, the counts by verdict
# and the delays' median and 90th percentile as percentile_cont gives them over every visit:
# the values at the positions floor(p (n - 1)) and ceil(p (n - 1)) of the sorted delays
# (found from the running sums of the counts), interpolated as PostgreSQL does
# (lo + (hi - lo) * fraction, in float8), so the same bits as sorting every visit.
STEPS = """
WITH g AS MATERIALIZED (  -- the wanted groups numbered (1..), each variant by its first
    SELECT sop_id, kecamatan, period, gid::int,
           min(gid::int) OVER (PARTITION BY sop_id, kecamatan) AS vid
    FROM unnest(%(w_sop)s::text[], %(w_kec)s::text[], %(w_period)s::text[])
        WITH ORDINALITY AS w (sop_id, kecamatan, period, gid)
),
v AS (
    SELECT g.gid, g.vid, d.step, d.verdict, d.delay_min, d.visits
    FROM stats_delays d JOIN g USING (sop_id, kecamatan, period)
    UNION ALL
    SELECT g.gid, g.vid, r.step, r.verdict, r.delay_min, 1
    FROM unnest(%(r_sop)s::text[], %(r_kec)s::text[], %(r_period)s::text[],
                %(r_step)s::int[], %(r_verdict)s::text[], %(r_delay)s::float8[])
        AS r (sop_id, kecamatan, period, step, verdict, delay_min)
    JOIN g USING (sop_id, kecamatan, period)
),
levels AS MATERIALIZED (  -- k: the group's number, or minus its variant's
    SELECT gid AS k, step, verdict, delay_min, visits FROM v
    UNION ALL
    SELECT -vid, step, verdict, delay_min, visits FROM v
),
counts AS (
    SELECT k, step, sum(visits) AS visits,
           coalesce(sum(visits) FILTER (WHERE verdict = 'o'), 0) AS on_time,
           coalesce(sum(visits) FILTER (WHERE verdict = 'l'), 0) AS late,
           coalesce(sum(visits) FILTER (WHERE verdict = 'p'), 0) AS pending
    FROM levels GROUP BY 1, 2
),
ranked AS MATERIALIZED (
    SELECT k, step, delay_min,
           sum(visits) OVER (PARTITION BY k, step ORDER BY delay_min
                             ROWS UNBOUNDED PRECEDING) AS upto,
           sum(visits) OVER (PARTITION BY k, step)::float8 - 1 AS last
    FROM (SELECT k, step, delay_min, sum(visits) AS visits FROM levels
          WHERE delay_min IS NOT NULL GROUP BY 1, 2, 3) AS delays
),
ends AS (
    SELECT k, step, p50, p90,
           min(delay_min) FILTER (WHERE upto > floor(p50)) AS p50_lo,
           min(delay_min) FILTER (WHERE upto > ceil(p50)) AS p50_hi,
           min(delay_min) FILTER (WHERE upto > floor(p90)) AS p90_lo,
           min(delay_min) FILTER (WHERE upto > ceil(p90)) AS p90_hi
    FROM (SELECT *, 0.5::float8 * last AS p50, 0.9::float8 * last AS p90 FROM ranked) AS r
    GROUP BY 1, 2, 3, 4
)
SELECT g.sop_id, g.kecamatan, g.period, (c.k < 0)::int, c.step, c.visits::bigint,
       c.on_time::bigint, c.late::bigint, c.pending::bigint,
       CASE WHEN floor(e.p50) = ceil(e.p50) THEN e.p50_lo
            ELSE e.p50_lo + (e.p50_hi - e.p50_lo) * (e.p50 - floor(e.p50)) END,
       CASE WHEN floor(e.p90) = ceil(e.p90) THEN e.p90_lo
            ELSE e.p90_lo + (e.p90_hi - e.p90_lo) * (e.p90 - floor(e.p90)) END
FROM counts c JOIN g ON g.gid = abs(c.k) LEFT JOIN ends e USING (k, step)
"""


_Key = tuple[str, str, str | None]  # (SOP id, kecamatan, period); period None: the variant


def _key(row: Any) -> _Key:
    return (row[0], row[1], None if row[3] else row[2])


@dataclass(frozen=True)
class SqlRows:
    """The rows of CYCLES, DIGESTS, DECISIONS and STEPS."""

    cycles: list[Any]
    digests: list[Any]
    decisions: list[Any]
    steps: list[Any]


def _standards(
    parts: Iterable[list[tuple[str, str]]], shapes: Mapping[str, Shape]
) -> dict[int, StandardTime]:
    """Each step's standard as `compute` picks it: the first cycle's that has the step, over
    `parts` (each a group's (first cycle id, digest) pairs) in the order given."""
    standards: dict[int, StandardTime] = {}
    for part in parts:
        for _, digest in sorted(part):
            for number, text in shapes[digest].standards.items():
                standards.setdefault(number, text)
    return standards


def _step(number: int, standard: StandardTime | None, row: Any | None) -> StepStats:
    if row is None:
        return StepStats(number, standard, 0, 0, 0, 0, 0, None, None, None)
    visits, on_time, late, pending, median, p90 = row[5:11]
    judged = on_time + late
    return StepStats(
        step=number,
        standard=standard,
        visits=visits,
        judged=judged,
        on_time=on_time,
        late=late,
        pending=pending,
        on_time_pct=share(on_time, judged),
        delay_median_minutes=median,
        delay_p90_minutes=p90,
    )


def assemble(rows: SqlRows, shapes: Mapping[str, Shape]) -> Stats:
    """The `Stats` that `compute` gives for the same cycles, from the queries' rows; `shapes`:
    each digest's definition shape."""
    digests: dict[_Key, list[tuple[str, str]]] = defaultdict(list)
    for row in rows.digests:
        digests[_key(row)].append((row[5], row[4]))
    steps: dict[_Key, dict[int, Any]] = defaultdict(dict)
    for row in rows.steps:
        steps[_key(row)][row[4]] = row
    decisions: dict[_Key, dict[int, tuple[int, int]]] = defaultdict(dict)
    for row in rows.decisions:
        decisions[_key(row)][row[4]] = (int(row[5]), int(row[6]))
    groups_of: dict[tuple[str, str], list[_Key]] = defaultdict(list)
    for row in rows.cycles:
        key = _key(row)
        if key[2] is not None:
            groups_of[(key[0], key[1])].append(key)

    def first_digest(key: _Key) -> str:
        return min(digests[key])[1]

    def group(row: Any) -> GroupStats:
        key = _key(row)
        (started, finished, cancelled, open_, returns, lead_cycles, lead, standard) = row[4:12]
        if key[2] is not None:
            standards = _standards([digests[key]], shapes)
        else:  # the groups' parts in the order their first cycles come
            parts = sorted(groups_of[(key[0], key[1])], key=lambda k: min(digests[k])[0])
            standards = _standards((digests[k] for k in parts), shapes)
        numbers = sorted(set(standards) | set(steps[key]))
        step_stats = tuple(_step(n, standards.get(n), steps[key].get(n)) for n in numbers)
        on_time = sum(s.on_time for s in step_stats)
        late = sum(s.late for s in step_stats)
        used = {d for _, d in digests[key]}
        decision_steps = sorted({n for d in used for n in shapes[d].decision_steps})
        answered = decisions[key]
        first = shapes[first_digest(key)]
        returns = int(returns)
        return GroupStats(
            sop_id=key[0],
            sop_name=first.sop_name,
            kecamatan=key[1],
            period=key[2],
            cycles_started=started,
            cycles_finished=finished,
            cycles_cancelled=cancelled,
            cycles_open=open_,
            steps_judged=on_time + late,
            steps_on_time=on_time,
            steps_late=late,
            steps_pending=sum(s.pending for s in step_stats),
            on_time_pct=share(on_time, on_time + late),
            most_late_step=_most_late(step_stats),
            returns=returns,
            returns_per_cycle=returns / started,
            decisions=tuple(
                DecisionStats(
                    step=n,
                    answers=(given := answered.get(n, (0, 0))[0]),
                    returns=(back := answered.get(n, (0, 0))[1]),
                    return_pct=share(back, given),
                    returns_per_cycle=back / started,
                )
                for n in decision_steps
            ),
            lead_time_cycles=lead_cycles,
            lead_time_median_minutes=lead,
            standard_sum_minutes=standard or None,
            lead_time_ratio=lead / standard if lead is not None and standard else None,
            unsummed_steps=tuple(sorted({n for d in used for n in shapes[d].unsummed_steps})),
            steps=step_stats,
            day_minutes=first.day_minutes,
        )

    totals_rows = {(_key(r)[0], _key(r)[1]): r for r in rows.cycles if r[3]}
    variant_order = sorted(totals_rows, key=lambda k: (k[1].lower(), k[0]))
    position = {key: i for i, key in enumerate(variant_order)}
    group_rows = sorted(
        (r for r in rows.cycles if not r[3]),
        key=lambda r: (position[(r[0], r[1])], _period_key(r[2])),
    )
    groups = tuple(group(r) for r in group_rows)
    totals = tuple(group(totals_rows[key]) for key in variant_order)
    columns = tuple(StepColumn(t.sop_id, t.kecamatan) for t in totals)
    numbers = sorted({s.step for t in totals for s in t.steps})
    table = tuple(
        StepRow(n, tuple(next((s for s in t.steps if s.step == n), None) for t in totals))
        for n in numbers
    )
    return Stats(sum(t.cycles_started for t in totals), groups, totals, columns, table)
