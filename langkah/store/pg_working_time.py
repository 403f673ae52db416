"""Working time in SQL, for timing `langkah stats`' running visits in the database.

The engine counts working minutes with a table of cumulative working minutes per day
(engine/calendar.py, `WorkingCalendar`): an instant's position is the minutes of the days before
its local day plus the minutes worked that day up to its minute; working time between two
instants is the difference of their positions. The same table is kept here as rows, one per
calendar (time zone, working hours, days off as of the facts' stamp) and day, made from the very
`WorkingCalendar` the engine times with (its `day_minutes`, its intervals), so the queries of
langkah/analytics/sql.py (`RUNNING_TIMED`) give the running visits the figures `time_step` gives
them. Derived: deleting the rows costs one write of them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import psycopg

    from langkah.engine.calendar import WorkingCalendar

# Schema migration 7 (langkah/store/pg_schema.py)
WORKING_TIME_DDL = """
-- One row per calendar: `cum` the engine's table (the working minutes of the days from
-- first_day up to each day: cum[1] = 0 for first_day, cum[n + 1] - cum[n] the minutes of day
-- n), and the working intervals of each weekday (minutes after local midnight), `width` to a
-- weekday (Monday first), padded with intervals that never start; `before` the minutes of the
-- weekday's intervals before each
CREATE TABLE stats_calendars (
    id        text PRIMARY KEY,  -- the calendar's key: stamp, time zone and working hours
    stamp     text NOT NULL,     -- the facts' stamp it was made under (holiday data, overrides)
    zone      text NOT NULL,
    first_day date NOT NULL,
    last_day  date NOT NULL,
    cum       bigint[] NOT NULL,
    width     integer NOT NULL,
    starts    double precision[] NOT NULL,
    ends      integer[] NOT NULL,
    before    integer[] NOT NULL
);

-- What a query calls where a day or a standard it needs is missing (never, by construction):
-- an error, rather than a visit counted wrong
CREATE FUNCTION stats_not_covered(what text) RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'langkah: the working-time rows do not cover %', what;
END $$;
"""
WORKING_TIME_DESCRIPTION = (
    "stats_calendars: working minutes per day and hours per weekday, langkah stats' running visits"
)

FIRST_YEAR = 1998  # the rows start here: every instant Langkah records is from 2000 on

_EXISTING = "SELECT id, first_day, last_day FROM stats_calendars WHERE id = ANY(%s)"


def calendar_id(stamp: str, calendar: WorkingCalendar) -> str:
    """The key of `calendar`'s rows: what its working minutes depend on."""
    what = [stamp, calendar.timezone, [calendar.hours.minutes(d) for d in range(7)]]
    return hashlib.sha256(json.dumps(what).encode()).hexdigest()[:32]


def calendar_row(calendar: WorkingCalendar, first: dt.date, last: dt.date) -> list[Any]:
    """cum, width, starts, ends, before (as the table's comment says) for first..last."""
    cum = [0]
    for ordinal in range(first.toordinal(), last.toordinal() + 1):
        cum.append(cum[-1] + calendar.day_minutes(dt.date.fromordinal(ordinal)))
    weekdays = [calendar.hours.minutes(d) for d in range(7)]
    width = max(1, *(len(w) for w in weekdays))
    starts: list[float] = []
    ends: list[int] = []
    before: list[int] = []
    for spans in weekdays:
        done = 0
        for s, e in spans:
            starts.append(float(s))
            ends.append(e)
            before.append(done)
            done += e - s
        pad = width - len(spans)
        starts += [math.inf] * pad
        ends += [0] * pad
        before += [done] * pad
    return [cum, width, starts, ends, before]


def missing(conn: psycopg.Connection[Any], ids: list[str], last_year: int) -> list[str]:
    """Those of the calendars `ids` whose rows are missing or do not cover FIRST_YEAR to
    `last_year`."""
    first = dt.date(FIRST_YEAR, 1, 1)
    last = dt.date(last_year, 12, 31)
    found = {r[0]: r for r in conn.execute(_EXISTING, [ids]).fetchall()}
    return [i for i in ids if i not in found or found[i][1] > first or found[i][2] < last]


def ensure(
    conn: psycopg.Connection[Any],
    stamp: str,
    calendars: dict[str, WorkingCalendar],
    last_year: int,
    lock: int,
) -> None:
    """Make the rows of `calendars` (id -> calendar) that are missing or end before
    `last_year`; those of other stamps go."""
    ids = list(calendars)
    first = dt.date(FIRST_YEAR, 1, 1)
    last = dt.date(last_year, 12, 31)
    if not missing(conn, ids, last_year):
        return
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", [lock])
        todo = missing(conn, ids, last_year)  # again, under the lock: made by another run?
        conn.execute("DELETE FROM stats_calendars WHERE id = ANY(%s) OR stamp <> %s", [todo, stamp])
        for cal_id in todo:
            calendar = calendars[cal_id]
            conn.execute(
                "INSERT INTO stats_calendars (id, stamp, zone, first_day, last_day, cum, width,"
                " starts, ends, before) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [
                    cal_id,
                    stamp,
                    calendar.timezone,
                    first,
                    last,
                    *calendar_row(calendar, first, last),
                ],  # fmt: skip
            )
