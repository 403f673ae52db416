"""`langkah stats` on PostgreSQL: the figures aggregated in SQL, from the facts kept as rows.

The facts are those of langkah/analytics/facts_codec.py, one row per cycle (`stats_cycles`,
keyed by its log's version and head and the calendar stamp), one per finished visit
(`stats_visits`) and one per decision step answered (`stats_decisions`); see
langkah/store/pg_facts.py for the tables and how they are kept. The running visits are timed at
`now` by the database too (`_RUNNING_TIMED`, over langkah/store/pg_working_time.py's rows), as
the engine times them. The queries below
give per group (and per variant, `GROUPING(period)` = 1) the counts, medians and percentiles;
`assemble` turns their rows into the same `Stats` that `compute` makes from `CycleFacts`, so
`langkah stats --json` prints the same bytes on both paths (tests/analytics/test_sql_stats.py).

Pure: SQL text and plain rows in, `Stats` out; nothing here connects to a database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:  # (the engine's models: not imported by `langkah stats`' lean path)
    from langkah.analytics.facts import _Shape as Shape
    from langkah.engine.standard_time import StandardTime

# The selected cycles: the kept rows of the wanted (SOP id, kecamatan, period). After the
# refresh (langkah/stats_in_sql.py) every such row is that of its log now: the outdated ones
# were made again, those of logs left out and of cycles gone were deleted.
_WANTED = """
    (sop_id, kecamatan, period) IN (
        SELECT * FROM unnest(%(w_sop)s::text[], %(w_kec)s::text[], %(w_period)s::text[]))
"""

_SETS = "GROUPING SETS ((sop_id, kecamatan, period{extra}), (sop_id, kecamatan{extra}))"


# (from stats_groups: the cycles of each group and definition, and the least id, kept by
# triggers on stats_cycles)
DIGESTS = f"""
SELECT sop_id, kecamatan, period, GROUPING(period), digest, min(first_cycle)
FROM stats_groups WHERE stamp = %(stamp)s AND {_WANTED}
GROUP BY {_SETS.format(extra=", digest")}
"""

# (from stats_decision_counts: each group's decision rows added up by triggers on
# stats_decisions, schema 9)
DECISIONS = f"""
SELECT sop_id, kecamatan, period, GROUPING(period), step, sum(answers), sum(returns)
FROM stats_decision_counts WHERE {_WANTED}
GROUP BY GROUPING SETS ((sop_id, kecamatan, period, step), (sop_id, kecamatan, step))
"""


def _minute(local: str) -> str:
    """engine/calendar.py's `_minute_of_day` of the local timestamp `local`, in float8 the
    same way: hour * 60 + minute + (second + microsecond / 1e6) / 60."""
    second = f"floor(date_part('second', {local}))"
    micro = f"(date_part('microseconds', {local}) - {second} * 1000000)"
    return (
        f"(date_part('hour', {local})::int * 60 + date_part('minute', {local})::int"
        f" + ({second} + {micro} / 1000000::float8) / 60::float8)"
    )


def _position(end: str) -> str:
    """`WorkingCalendar._position` of one end (a or b) of a span of `spans`, from the values
    looked up for it: the minutes of the days before its day from the table's first day (the
    origin), plus, on a working day, those of the weekday's intervals up to its minute (the
    interval it falls in found by its start), added in the engine's order. NULL (an error)
    when its day, or the next (which tells whether it is a working day), is not covered."""
    x = end
    base = f"c{x} - co + (c{x}1 - c{x}1)"
    done = (
        f"CASE WHEN i{x} = o{x} THEN 0.0::float8"
        f" WHEN m{x} >= e{x} THEN (before{x} + e{x} - s{x})::float8"
        f" ELSE before{x}::float8 + (m{x} - s{x}) END"
    )
    return (
        f"(coalesce({base}, stats_not_covered(l{x}::text))::float8"
        f" + CASE WHEN c{x}1 <> c{x} THEN {done} ELSE 0.0::float8 END)"
    )


_CAL = """
cal AS MATERIALIZED (  -- (array_cat: each calendar's arrays read once, not once per use)
    SELECT id, zone, first_day, width, array_cat(cum, '{}') AS cum,
           array_cat(starts, '{}') AS starts, array_cat(ends, '{}') AS ends,
           array_cat(before, '{}') AS before
    FROM stats_calendars WHERE id IN (
        SELECT value->>2 FROM jsonb_each(%(std)s::jsonb))
)"""


def _run(source: str) -> str:
    """The running visits of the cycles of `source` (a FROM clause over stats_cycles `s` and
    the wanted groups `g`), with what they are timed with: each visit numbered (`vno`), its
    end `fin` (now, or its start if after now), its step's standard from %(std)s, its
    deadline from %(dues)s."""
    return f"""
run AS MATERIALIZED (
    SELECT row_number() OVER () AS vno,  -- (an integer to group each visit's spans by)
           r.cycle_id, r.sop_id, r.kecamatan, r.gid, r.vid, r.digest, r.period, r.step,
           r.started, r.pauses, r.outcome,
           greatest(%(now)s::timestamptz, r.started) AS fin,
           (r.st->>0)::float8 AS limit_min, (r.st->>1)::boolean AS timed, r.st->>2 AS calendar,
           (%(dues)s::jsonb->>(r.digest || '/' || r.step || '/' || r.period))::timestamptz AS due
    FROM (
        SELECT s.cycle_id, s.sop_id, s.kecamatan, g.gid, g.vid, s.digest, s.period,
               (s.running->>0)::int AS step, (s.running->>2)::timestamptz AS started,
               s.running->3 AS pauses, s.running->>4 AS outcome,
               %(std)s::jsonb->(s.digest || '/' || (s.running->>0)) AS st
        FROM {source}
    ) AS r
)"""


def _spans(name: str, marks: str) -> str:
    """Each mark of `marks` (a visit's instants a and b, `o` whether it is an open pause) with
    `w`, the working minutes from a to b (`working_minutes(a, b)`: 0 unless b > a, else the
    difference of the two positions, both from the first day of the year before the visit's
    start: the table the engine makes for it), and `pa`, the position of a alone."""
    return f"""
{name} AS (  -- each step fenced (OFFSET 0): its values computed once, not once per use
    SELECT vno, cycle_id, gid, vid, digest, period, step, outcome, limit_min, timed, due, k, o,
           a, b, {_position("a")} AS pa,
           CASE WHEN b <= a THEN 0.0::float8 ELSE {_position("b")} - {_position("a")} END AS w
    FROM (
        SELECT y.*, starts[ia] AS sa, ends[ia] AS ea, before[ia] AS beforea,
               starts[ib] AS sb, ends[ib] AS eb, before[ib] AS beforeb
        FROM (
            SELECT x.*, cum[da] AS ca, cum[da + 1] AS ca1, cum[db] AS cb, cum[db + 1] AS cb1,
                   cum[dorigin] AS co,
                   oa + width_bucket(ma, starts[oa + 1:oa + width]) AS ia,
                   ob + width_bucket(mb, starts[ob + 1:ob + width]) AS ib
            FROM (
                SELECT m.*, la::date - first_day + 1 AS da, lb::date - first_day + 1 AS db,
                       make_date(date_part('year', ls)::int - 1, 1, 1) - first_day + 1
                           AS dorigin,
                       (extract(isodow FROM la)::int - 1) * width AS oa,
                       (extract(isodow FROM lb)::int - 1) * width AS ob,
                       {_minute("la")} AS ma, {_minute("lb")} AS mb
                FROM (
                    SELECT m.vno, m.cycle_id, m.gid, m.vid, m.digest, m.period, m.step, m.outcome,
                           m.limit_min, m.timed, m.due, m.k, m.o, m.a, m.b, c.first_day, c.width,
                           c.cum, c.starts, c.ends, c.before, m.a AT TIME ZONE c.zone AS la,
                           m.b AT TIME ZONE c.zone AS lb, m.started AT TIME ZONE c.zone AS ls
                    FROM {marks} m LEFT JOIN cal c ON c.id = m.calendar OFFSET 0
                ) AS m OFFSET 0
            ) AS x OFFSET 0
        ) AS y OFFSET 0
    ) AS z
)"""


# The running visits of the wanted groups (`g`), timed at %(now)s in SQL as engine/timing.py's
# `time_step` times them (langkah/analytics/facts_codec.py's `time_running`), their verdicts as
# `verdict_of` gives them. %(std)s: each step's standard by "digest/step" ([its limit in working
# minutes or null, whether it is timed at all (a limit or a deadline), its calendar's key]);
# %(dues)s: each deadline by "digest/step/period" (the instant it ends: `end_of_day` of
# `Period.deadline`); the working minutes from stats_calendars
# (langkah/store/pg_working_time.py). Each span (`marks`: the visit itself, each pause, the
# deadline to the end) is `working_minutes(a, b)`.
#
# What of a visit does not depend on now is kept (stats_running, schema 9, made by
# FILL_RUNNING): the positions of its start, of its open pause's start and of its deadline, and
# its closed pauses' working minutes added in their order. A visit is then timed from the
# position of now alone (`now_at`: once per calendar and year of start, by the same
# expression), with the same float operations in the same order as the whole computation
# (`slow`, below) gives: the same bits. The whole computation is kept for the visits whose kept
# figures do not hold at now (started after now, a closed pause ending after now) and for those
# the kept rows cannot time (no standard, no calendar or deadline: the errors are raised there).
_SLOW_MARKS = """
marks AS (  -- (visit, what, a, b): 0 the visit, 1.. its pauses, -1 its deadline to its end
    SELECT r.*, 0::bigint AS k, false AS o, r.started AS a, r.fin AS b FROM run r
    WHERE r.timed IS NOT false
    UNION ALL
    SELECT r.*, p.k, false, (p.pause->>0)::timestamptz,
           least(coalesce((p.pause->>1)::timestamptz, r.fin), r.fin)
    FROM run r, jsonb_array_elements(r.pauses) WITH ORDINALITY AS p (pause, k)
    WHERE r.timed IS NOT false AND r.pauses <> '[]'
    UNION ALL
    SELECT r.*, -1, false, r.due, r.fin FROM run r
    WHERE r.limit_min IS NULL AND r.timed AND r.due < r.fin
)"""


def _verdicts(worked: str, untimed: str) -> str:
    """`timed`: each visit's verdict and delay, from the visits `worked` (gross, paused and
    past-deadline minutes) and those of steps without a standard (`untimed`)."""
    return f"""
overdue AS (
    SELECT cycle_id, gid, vid, step, timed, outcome,
           CASE WHEN timed IS NULL
                    THEN stats_not_covered('step ' || step || ' of ' || digest)::float8
                WHEN limit_min IS NOT NULL THEN
                    CASE WHEN greatest(gross - paused, 0.0::float8) > limit_min
                         THEN greatest(gross - paused, 0.0::float8) - limit_min
                         ELSE 0.0::float8 END
                WHEN due IS NULL
                    THEN stats_not_covered('the deadline of step ' || step || ' of ' || digest
                                           || ' in ' || period)::float8
                ELSE past_due END AS overdue
    FROM ({worked}) AS w
),
timed AS (
    SELECT cycle_id, gid, vid, step,
           CASE WHEN overdue > 0 THEN 'l' WHEN outcome = 'cancelled' THEN 's' ELSE 'p' END
               AS verdict,
           CASE WHEN overdue > 0 THEN overdue END AS delay_min
    FROM overdue
    UNION ALL
    SELECT cycle_id, gid, vid, step, 'n', NULL FROM {untimed} WHERE timed IS false  -- no standard
)"""


_WORKED = """
worked AS (  -- per visit: its span, its pauses' (added in their order, as the engine adds
             -- them), the time past its deadline
    SELECT cycle_id, gid, vid, digest, period, step, outcome, limit_min, timed, due,
           max(w) FILTER (WHERE k = 0) AS gross,
           coalesce(sum(w ORDER BY k) FILTER (WHERE k > 0), 0.0::float8) AS paused,
           coalesce(max(w) FILTER (WHERE k = -1), 0.0::float8) AS past_due
    FROM spans  -- (vno first: the other keys are those of the visit)
    GROUP BY vno, cycle_id, gid, vid, digest, period, step, outcome, limit_min, timed, due
)"""

# The same, every visit by the whole computation (what tests compare the kept rows' with)
_RUNNING_TIMED_WHOLE = f"""
{_CAL},
{_run("stats_cycles s JOIN g USING (sop_id, kecamatan, period) WHERE s.running IS NOT NULL")},
{_SLOW_MARKS},
{_spans("spans", "marks")},
{_WORKED},
{_verdicts("SELECT * FROM worked", "run")}"""


# Whether a kept row (`p`) times its visit at %(now)s: a timed step with a limit or a deadline,
# its open pause (if any) its last, started by now, its closed pauses ended by now
_KEPT_HOLDS = """(
    p.timed AND (p.limit_min IS NOT NULL OR p.p_due IS NOT NULL) AND p.open_last
    AND p.started <= %(now)s::timestamptz
    AND (p.paused_until IS NULL OR p.paused_until <= %(now)s::timestamptz))"""

_RUNNING_TIMED = f"""
{_CAL},
kept AS MATERIALIZED (
    SELECT p.*, g.gid, g.vid, coalesce({_KEPT_HOLDS}, false) AS holds
    FROM stats_running p JOIN g USING (sop_id, kecamatan, period)
),
{
    _run(
        "stats_cycles s JOIN kept k ON k.cycle_id = s.cycle_id AND k.timed IS NOT false"
        " AND NOT k.holds JOIN g ON g.gid = k.gid"
    )
},
{_SLOW_MARKS},
{_spans("spans", "marks")},
{_WORKED},
now_marks AS (  -- now, once per calendar and year of start (any start of that year)
    SELECT row_number() OVER () AS vno, ''::text AS cycle_id, 0 AS gid, 0 AS vid,
           ''::text AS digest, ''::text AS period, 0 AS step, ''::text AS outcome,
           NULL::float8 AS limit_min, true AS timed, NULL::timestamptz AS due, 0::bigint AS k,
           false AS o, %(now)s::timestamptz AS a, %(now)s::timestamptz AS b, calendar, origin,
           started
    FROM (SELECT calendar, origin, min(started) AS started FROM kept WHERE holds
          GROUP BY 1, 2) AS n
),
{_spans("now_spans", "now_marks")},
now_at AS (
    SELECT m.calendar, m.origin, s.pa AS p_now FROM now_marks m JOIN now_spans s USING (vno)
),
kept_worked AS (
    SELECT p.cycle_id, p.gid, p.vid, p.digest, p.period, p.step, p.outcome, p.limit_min,
           p.timed, p.due,
           CASE WHEN %(now)s::timestamptz <= p.started THEN 0.0::float8
                ELSE n.p_now - p.p_start END AS gross,
           CASE WHEN p.open_from IS NULL THEN coalesce(p.paused, 0.0::float8)
                WHEN p.paused IS NULL THEN o.w
                ELSE p.paused + o.w END AS paused,
           CASE WHEN p.limit_min IS NULL AND p.due < %(now)s::timestamptz
                THEN n.p_now - p.p_due ELSE 0.0::float8 END AS past_due
    FROM kept p JOIN now_at n USING (calendar, origin),
         LATERAL (SELECT CASE WHEN %(now)s::timestamptz <= p.open_from THEN 0.0::float8
                              ELSE n.p_now - p.p_open END AS w) AS o
    WHERE p.holds
),
{_verdicts("SELECT * FROM worked UNION ALL SELECT * FROM kept_worked", "kept")}"""

_GROUPS = """
g AS MATERIALIZED (  -- the wanted groups numbered (1..), each variant by its first
    SELECT sop_id, kecamatan, period, gid::int,
           min(gid::int) OVER (PARTITION BY sop_id, kecamatan) AS vid
    FROM unnest(%(w_sop)s::text[], %(w_kec)s::text[], %(w_period)s::text[])
        WITH ORDINALITY AS w (sop_id, kecamatan, period, gid)
)"""

# Per group and per variant (`total` 1): the cycles started, finished, cancelled and open, their
# returns, those with a lead time, and the medians of the lead times and of the sums of
# standards (statistics.median: the middle value, or the two middle values added then halved),
# from their counts per group kept by triggers (stats_cycle_values, schema 9): the values at
# the middle positions found from running sums of the counts
CYCLES = f"""
WITH {_GROUPS},
v AS MATERIALIZED (
    SELECT g.gid, g.vid, t.kind, t.value, t.n
    FROM stats_cycle_values t JOIN g USING (sop_id, kecamatan, period)
),
counts AS (
    SELECT k, sum(n) FILTER (WHERE kind LIKE 'st:%%')::bigint AS started,
           coalesce(sum(n) FILTER (WHERE kind = 'st:finished'), 0)::bigint AS finished,
           coalesce(sum(n) FILTER (WHERE kind = 'st:cancelled'), 0)::bigint AS cancelled,
           coalesce(sum(n) FILTER (WHERE kind IN ('st:active', 'st:paused')), 0)::bigint
               AS open,
           coalesce(sum(n) FILTER (WHERE kind = 'returns'), 0)::bigint AS returns,
           coalesce(sum(n) FILTER (WHERE kind = 'lead'), 0)::bigint AS lead_cycles
    FROM (SELECT gid AS k, kind, n FROM v UNION ALL SELECT -vid, kind, n FROM v) AS x
    GROUP BY k
),
ranked AS (
    SELECT k, kind, value,
           sum(n) OVER (PARTITION BY k, kind ORDER BY value ROWS UNBOUNDED PRECEDING) AS upto,
           sum(n) OVER (PARTITION BY k, kind)::bigint AS total
    FROM (SELECT gid AS k, kind, value, n FROM v WHERE kind IN ('lead', 'sum')
          UNION ALL
          SELECT -vid, kind, value, sum(n) FROM v WHERE kind IN ('lead', 'sum')
          GROUP BY vid, kind, value) AS x
),
med AS (
    SELECT k, kind, CASE WHEN total %% 2 = 1 THEN lo ELSE (lo + hi) / 2 END AS median
    FROM (SELECT k, kind, total,
                 min(value) FILTER (WHERE upto > (total - 1) / 2) AS lo,
                 min(value) FILTER (WHERE upto > total / 2) AS hi
          FROM ranked GROUP BY 1, 2, 3) AS m
)
SELECT g.sop_id, g.kecamatan, CASE WHEN c.k > 0 THEN g.period END, (c.k < 0)::int, c.started,
       c.finished, c.cancelled, c.open, c.returns, c.lead_cycles, l.median, s.median
FROM counts c JOIN g ON g.gid = abs(c.k)
    LEFT JOIN med l ON l.k = c.k AND l.kind = 'lead'
    LEFT JOIN med s ON s.k = c.k AND s.kind = 'sum'
"""

# The running visits timed, one row each (what STEPS counts; tests compare it with the engine)
TIMED = f"""
WITH {_GROUPS},
{_RUNNING_TIMED}
SELECT cycle_id, step, verdict, delay_min FROM timed ORDER BY cycle_id
"""
TIMED_WHOLE = f"""
WITH {_GROUPS},
{_RUNNING_TIMED_WHOLE}
SELECT cycle_id, step, verdict, delay_min FROM timed ORDER BY cycle_id
"""

# What of each running visit of the wanted groups does not depend on now (see _RUNNING_TIMED),
# kept once per facts row (stats_running, schema 9; its rows go with their stats_cycles row),
# for the facts rows listed in stats_running_todo (then taken off it: FILL_RUNNING_DONE):
# the positions of its start, of its open pause's start and of its deadline, its closed
# pauses' working minutes added in their order and the last of their ends. Run under the
# facts' refresh lock before the figures' queries, in their transaction: every running visit
# they count has its row.
FILL_RUNNING = f"""
WITH {_GROUPS},
{_CAL},
{
    _run(
        "(SELECT DISTINCT cycle_id FROM stats_running_todo) AS t"
        " JOIN stats_cycles s ON s.cycle_id = t.cycle_id"
        " JOIN g USING (sop_id, kecamatan, period) WHERE s.running IS NOT NULL"
        " AND NOT EXISTS (SELECT FROM stats_running p WHERE p.cycle_id = s.cycle_id)"
    )
},
fill_marks AS (  -- 0 the start, 1.. each pause (o: open), -1 the deadline
    SELECT r.*, 0::bigint AS k, false AS o, r.started AS a, r.started AS b FROM run r
    WHERE r.timed
    UNION ALL
    SELECT r.*, p.k, p.pause->>1 IS NULL, (p.pause->>0)::timestamptz,
           coalesce((p.pause->>1)::timestamptz, (p.pause->>0)::timestamptz)
    FROM run r, jsonb_array_elements(r.pauses) WITH ORDINALITY AS p (pause, k)
    WHERE r.timed AND r.pauses <> '[]'
    UNION ALL
    SELECT r.*, -1, false, r.due, r.due FROM run r
    WHERE r.limit_min IS NULL AND r.timed AND r.due IS NOT NULL
),
{_spans("spans", "fill_marks")},
per_visit AS (
    SELECT vno, max(pa) FILTER (WHERE k = 0) AS p_start,
           sum(w ORDER BY k) FILTER (WHERE k > 0 AND NOT o) AS paused,
           max(b) FILTER (WHERE k > 0 AND NOT o) AS paused_until,
           max(a) FILTER (WHERE o) AS open_from, max(pa) FILTER (WHERE o) AS p_open,
           coalesce(max(k) FILTER (WHERE o) = max(k) FILTER (WHERE k > 0), true)
               AND count(*) FILTER (WHERE o) <= 1 AS open_last,
           max(pa) FILTER (WHERE k = -1) AS p_due
    FROM spans GROUP BY vno
)
INSERT INTO stats_running (cycle_id, sop_id, kecamatan, period, digest, step, outcome,
                           limit_min, timed, due, calendar, origin, started, p_start, paused,
                           paused_until, open_from, p_open, open_last, p_due)
SELECT r.cycle_id, r.sop_id, r.kecamatan, r.period, r.digest, r.step, r.outcome, r.limit_min,
       r.timed, r.due, r.calendar, date_part('year', r.started AT TIME ZONE c.zone)::int,
       r.started, v.p_start, v.paused, v.paused_until, v.open_from, v.p_open,
       coalesce(v.open_last, true), v.p_due
FROM run r LEFT JOIN per_visit v USING (vno) LEFT JOIN cal c ON c.id = r.calendar
ON CONFLICT (cycle_id) DO NOTHING
"""
# Whether a running visit of the wanted groups has no stats_running row yet (one listed in
# stats_running_todo: the others have theirs)
RUNNING_MISSING = f"""
WITH {_GROUPS}
SELECT EXISTS (
    SELECT FROM stats_running_todo t JOIN stats_cycles s ON s.cycle_id = t.cycle_id
        JOIN g USING (sop_id, kecamatan, period)
    WHERE s.running IS NOT NULL
        AND NOT EXISTS (SELECT FROM stats_running p WHERE p.cycle_id = s.cycle_id))
"""
FILL_RUNNING_DONE = """
DELETE FROM stats_running_todo t
WHERE EXISTS (SELECT FROM stats_running p WHERE p.cycle_id = t.cycle_id)
    OR NOT EXISTS (SELECT FROM stats_cycles s WHERE s.cycle_id = t.cycle_id
                   AND s.running IS NOT NULL)
"""

# Each visit: the finished ones counted per group and step with their delays kept ranked
# (stats_delay_ranks, schema 11: the distinct delays ascending and the visits up to each, per
# group and per variant over every period, redone by triggers whenever stats_visits' rows
# change), the running ones timed now (`timed`, above); per group and per variant (`k` < 0)
# and step, the counts by verdict and the delays' median and 90th percentile as
# percentile_cont gives them over every visit: the values at the positions floor(p (n - 1))
# and ceil(p (n - 1)) of all the delays sorted, interpolated as PostgreSQL does
# (lo + (hi - lo) * fraction, in float8), so the same bits as sorting every visit.
#
# The value at a position `pos` (from 0) of the finished delays F merged with the running
# ones R (r_1 <= ... <= r_m): with `rt[i]` the delays of both up to r_i counted (the finished
# by binary search in F's running sums), i the first index with rt[i] > pos and j = i - 1
# (`width_bucket(pos, rt)`: the rt up to pos), the value is r_i or, if smaller, F's value at
# position pos - j (NULL past F's end): the j running delays below it and pos - j finished ones
# put it at pos. (pos - j >= 0 and that value is above r_j: rt[j] <= pos counts r_1..r_j and
# the finished delays up to r_j, so at most pos - j of those.) A variant whose selected periods
# are not all its kept ones (a --period or --from/--to selection) has its delays ranked here
# from its groups' counts (stats_delays), as before.
STEPS = f"""
WITH {_GROUPS},
{_RUNNING_TIMED},
ranks AS MATERIALIZED (  -- (array_cat: each array read once, not once per use)
    SELECT g.gid, g.vid, r.step, r.visits, r.on_time, r.late, r.pending,
           array_cat(r.delays, '{{}}') AS delays, array_cat(r.upto, '{{}}') AS upto
    FROM stats_delay_ranks r JOIN g USING (sop_id, kecamatan, period)
),
group_counts AS MATERIALIZED (  -- per group and step, the visits by verdict
    SELECT gid AS k, vid, step, sum(visits) AS visits, sum(on_time) AS on_time,
           sum(late) AS late, sum(pending) AS pending
    FROM (SELECT gid, vid, step, visits, on_time, late, pending FROM ranks
          UNION ALL
          SELECT gid, vid, step, 1, (verdict = 'o')::int, (verdict = 'l')::int,
                 (verdict = 'p')::int
          FROM timed) AS v
    GROUP BY 1, 2, 3
),
counts AS (  -- k: the group's number, or minus its variant's (its groups' counts added: whole
             -- numbers, the same as counting its visits)
    SELECT k, step, visits, on_time, late, pending FROM group_counts
    UNION ALL
    SELECT -vid, step, sum(visits), sum(on_time), sum(late), sum(pending)
    FROM group_counts GROUP BY vid, step
),
variants AS MATERIALIZED (  -- whole: every period of the variant with kept delays is selected
    SELECT v.vid, v.sop_id, v.kecamatan, NOT EXISTS (
        SELECT FROM stats_delay_ranks r
        WHERE r.sop_id = v.sop_id AND r.kecamatan = v.kecamatan AND r.period IS NOT NULL
            AND NOT EXISTS (SELECT FROM g WHERE g.vid = v.vid AND g.period = r.period)) AS whole
    FROM (SELECT DISTINCT vid, sop_id, kecamatan FROM g) AS v
),
finished AS MATERIALIZED (  -- per group and variant and step: F's delays and running sums
    SELECT gid AS k, step, delays, upto FROM ranks
    UNION ALL
    SELECT -v.vid, r.step, array_cat(r.delays, '{{}}'), array_cat(r.upto, '{{}}')
    FROM stats_delay_ranks r JOIN variants v USING (sop_id, kecamatan)
    WHERE r.period IS NULL AND v.whole
    UNION ALL
    SELECT k, step, array_agg(delay_min ORDER BY delay_min), array_agg(upto ORDER BY delay_min)
    FROM (SELECT -g.vid AS k, d.step, d.delay_min,
                 (sum(sum(d.visits)) OVER (PARTITION BY g.vid, d.step ORDER BY d.delay_min
                                           ROWS UNBOUNDED PRECEDING))::bigint AS upto
          FROM g JOIN variants v ON v.vid = g.vid AND NOT v.whole,
              LATERAL (SELECT * FROM stats_delays d  -- (through its key: no scan of all)
                       WHERE d.sop_id = g.sop_id AND d.kecamatan = g.kecamatan
                           AND d.period = g.period AND d.delay_min IS NOT NULL OFFSET 0) AS d
          GROUP BY g.vid, d.step, d.delay_min) AS x
    GROUP BY 1, 2
),
running AS (  -- R per group and variant and step, each delay with the delays up to it
    SELECT k, step, delay_min,
           count(*) OVER (PARTITION BY k, step ORDER BY delay_min) + fin AS rt
    FROM (  -- (fenced: the finished delays up to each found before sorting, not the arrays)
        SELECT t.k, t.step, t.delay_min,
               coalesce(f.upto[width_bucket(t.delay_min, f.delays)], 0) AS fin
        FROM (SELECT gid AS k, step, delay_min FROM timed WHERE delay_min IS NOT NULL
              UNION ALL
              SELECT -vid, step, delay_min FROM timed WHERE delay_min IS NOT NULL) AS t
            LEFT JOIN finished f USING (k, step) OFFSET 0
    ) AS t
),
merged AS MATERIALIZED (
    SELECT k, step, f.delays, f.upto, r.rd, r.rt,
           (coalesce(f.upto[cardinality(f.upto)], 0) + coalesce(cardinality(r.rd), 0))::float8
               - 1 AS last
    FROM finished f
        FULL JOIN (SELECT k, step, array_agg(delay_min ORDER BY delay_min) AS rd,
                          array_agg(rt ORDER BY delay_min) AS rt
                   FROM running GROUP BY 1, 2) AS r USING (k, step)
),
at AS (  -- the value at each of the four positions
    SELECT k, step, last, q, least(rd[j + 1], delays[width_bucket(pos - j, upto) + 1]) AS v
    FROM (SELECT m.*, p.q, p.pos, coalesce(width_bucket(p.pos, m.rt), 0) AS j
          FROM merged m,
               LATERAL (VALUES (1, floor(0.5::float8 * last)::bigint),
                               (2, ceil(0.5::float8 * last)::bigint),
                               (3, floor(0.9::float8 * last)::bigint),
                               (4, ceil(0.9::float8 * last)::bigint)) AS p (q, pos)
          WHERE last >= 0) AS x
),
ends AS (
    SELECT k, step, 0.5::float8 * last AS p50, 0.9::float8 * last AS p90,
           min(v) FILTER (WHERE q = 1) AS p50_lo, min(v) FILTER (WHERE q = 2) AS p50_hi,
           min(v) FILTER (WHERE q = 3) AS p90_lo, min(v) FILTER (WHERE q = 4) AS p90_hi
    FROM at GROUP BY 1, 2, 3, 4
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
