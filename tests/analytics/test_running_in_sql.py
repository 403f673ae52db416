"""The running visits of `langkah stats` timed in SQL (langkah/analytics/sql.py's TIMED, over
the working-time rows of langkah/store/pg_working_time.py) give what the engine gives
(facts_codec.time_running): the same verdict and the same delay, bit for bit, for visits
started on a holiday, on a day the office took off, outside working hours, over a weekend,
across a year's end, with pauses (closed, open, ending after now), with seconds, cancelled,
against a calendar deadline and without a standard; and the hand-computed delays of a few."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import psycopg
import pytest

from langkah.analytics import sql as stats_sql
from langkah.analytics.facts_codec import _CODE, time_running
from langkah.engine.holidays_id import calendar_for
from langkah.stats_in_sql import _standards
from langkah.store import pg_working_time
from langkah.store.factory import open_store
from tests.analytics.support import KALIPARE, MENTEBAH
from tests.engine_support import bundled

pytestmark = pytest.mark.needs_postgresql

WIB = dt.timezone(dt.timedelta(hours=7))
NOW = dt.datetime(2026, 10, 7, 8, 0, tzinfo=WIB)  # Wednesday 08.00 WIB
OFF = dt.date(2026, 10, 6)  # a Tuesday the office took off (hari_libur.toml adds it)
STAMP = "test-stamp"


def at(y: int, mo: int, d: int, h: int, mi: int = 0, s: int = 0, us: int = 0) -> str:
    return dt.datetime(y, mo, d, h, mi, s, us, tzinfo=WIB).isoformat()


# (cycle id, SOP, period, running: [step, round, started, pauses, outcome], hand-computed
# delay or None when only the engine's figure is compared)
CASES: list[tuple[str, str, str, list[Any], float | None]] = [
    # Friday 15.00 -> Wednesday 08.00 (see test_hand_computed_delays)
    ("fri-to-mon", KALIPARE, "2026-T4", [2, 1, at(2026, 10, 2, 15), [], None], None),
    # started Monday 17 August 2026 (Independence Day) 09.00: nothing counts until Tuesday
    ("holiday", KALIPARE, "2026-T3", [3, 1, at(2026, 8, 17, 9), [], None], None),
    # Saturday 10.00: from Monday 07.30 on
    ("saturday", KALIPARE, "2026-T4", [1, 1, at(2026, 10, 3, 10), [], None], None),
    # before hours, at the break, after hours
    ("early", KALIPARE, "2026-T4", [3, 1, at(2026, 10, 5, 6, 10), [], None], None),
    ("break", KALIPARE, "2026-T4", [3, 1, at(2026, 10, 5, 12, 20), [], None], None),
    ("late-eve", KALIPARE, "2026-T4", [3, 1, at(2026, 10, 5, 19, 45), [], None], None),
    # Monday 15.00 -> Wednesday 08.00, the office's day off between: 60 + 0 + 30 = 90 of 60
    ("office-off", KALIPARE, "2026-T4", [3, 1, at(2026, 10, 5, 15), [], None], 30.0),
    # seconds and microseconds
    ("seconds", KALIPARE, "2026-T4", [6, 2, at(2026, 10, 5, 9, 17, 41, 250001), [], None], None),
    (
        "seconds-within",
        KALIPARE,
        "2026-T4",
        [3, 1, at(2026, 10, 7, 7, 59, 59, 999999), [], None],
        None,
    ),  # fmt: skip
    # across the year's end (31 December 2025 15.00 -> now)
    ("new-year", KALIPARE, "2025-T4", [4, 1, at(2025, 12, 31, 15), [], None], None),
    # a closed pause, an open one, one ending after now, two in order
    (
        "paused",
        KALIPARE,
        "2026-T4",
        [3, 1, at(2026, 10, 5, 8), [[at(2026, 10, 5, 9), at(2026, 10, 5, 14)]], None],
        None,
    ),
    (
        "held",
        KALIPARE,
        "2026-T4",
        [2, 1, at(2026, 10, 5, 8), [[at(2026, 10, 5, 8, 40, 30), None]], None],
        None,
    ),
    (
        "pause-after-now",
        KALIPARE,
        "2026-T4",
        [2, 1, at(2026, 10, 5, 8), [[at(2026, 10, 5, 10), at(2026, 10, 9, 10)]], None],
        None,
    ),
    (
        "two-pauses",
        KALIPARE,
        "2026-T4",
        [
            3,
            1,
            at(2026, 10, 2, 8),
            [
                [at(2026, 10, 2, 9), at(2026, 10, 2, 9, 5, 7)],
                [at(2026, 10, 5, 13), at(2026, 10, 5, 15, 59, 1)],
            ],
            None,
        ],
        None,
    ),  # fmt: skip
    # cancelled within its standard (stopped), and past it (late)
    ("cancel-in", KALIPARE, "2026-T4", [3, 1, at(2026, 10, 7, 7, 40), [], "cancelled"], None),
    ("cancel-past", KALIPARE, "2026-T4", [1, 1, at(2026, 10, 5, 8), [], "cancelled"], None),
    # started after now (a clock set back): ends at its start, nothing counts
    ("future", KALIPARE, "2026-T4", [1, 1, at(2026, 10, 8, 9), [], None], None),
    # Mentebah (Asia/Pontianak): step 2 is due "tanggal 5 triwulan berikutnya": 2026-T3 ->
    # end of Monday 5 October; overdue Tuesday (the office's day off: 0) and Wednesday
    # 07.30-08.00 (30)
    ("deadline", MENTEBAH, "2026-T3", [2, 1, at(2026, 9, 30, 10), [], None], 30.0),
    ("deadline-ahead", MENTEBAH, "2026-T4", [2, 1, at(2026, 10, 5, 10), [], None], None),
    ("workdays", MENTEBAH, "2026-T4", [6, 1, at(2026, 9, 21, 10, 0, 30), [], None], None),
    ("no-standard", MENTEBAH, "2026-T4", [7, 1, at(2026, 9, 1, 10), [], None], None),
]


@pytest.fixture
def timed(pg_url, tmp_path: Path) -> dict[str, tuple[str, float | None]]:
    """cycle id -> (verdict code, delay) as TIMED gives them."""
    store = open_store(pg_url, tmp_path)  # the schema made
    definitions = {sop: bundled(sop).definition for sop in (KALIPARE, MENTEBAH)}
    calendars = {
        sop: calendar_for(d.calendar, range(2000, 2029), add={OFF: "libur kantor"})
        for sop, d in definitions.items()
    }
    with psycopg.connect(pg_url, autocommit=True) as conn:
        for cycle_id, sop, period, running, _ in CASES:
            conn.execute(
                "INSERT INTO stats_cycles (cycle_id, version, head, stamp, digest, sop_id,"
                " kecamatan, period, status, returns, lead_min, standard_sum_min, running)"
                " VALUES (%s, 1, 'h', %s, %s, %s, 'k', %s, 'active', 0, NULL, 0, %s)",
                [cycle_id, STAMP, "d-" + sop, sop, period, psycopg.types.json.Jsonb(running)],
            )
        groups = sorted({(sop, "k", period) for _, sop, period, _, _ in CASES})
        digests = [(sop, "k", period, 0, "d-" + sop, "") for sop, _, period in groups]
        params, kept, last_year = _standards(
            digests, lambda d, s: (definitions[s], calendars[s]), STAMP, NOW, 2026
        )
        pg_working_time.ensure(conn, STAMP, kept, last_year, 1)
        wanted = {
            "w_sop": [g[0] for g in groups],
            "w_kec": [g[1] for g in groups],
            "w_period": [g[2] for g in groups],
        }
        whole = conn.execute(stats_sql.TIMED_WHOLE, {**wanted, **params}).fetchall()
        conn.execute(stats_sql.FILL_RUNNING, {**wanted, **params})
        conn.execute(stats_sql.FILL_RUNNING_DONE)
        assert conn.execute("SELECT count(*) FROM stats_running_todo").fetchone() == (0,)
        kept = conn.execute("SELECT count(*) FROM stats_running").fetchone()
        assert kept == (len(CASES),)
        whole_only = conn.execute(  # those the kept rows cannot time at NOW
            f"SELECT cycle_id FROM stats_running p WHERE NOT {stats_sql._KEPT_HOLDS}",
            {"now": NOW},
        ).fetchall()
        assert sorted(whole_only) == [("future",), ("no-standard",), ("pause-after-now",)]
        rows = conn.execute(stats_sql.TIMED, {**wanted, **params}).fetchall()
    store.close()
    # the kept rows time every visit as the whole computation does, bit for bit
    assert rows == whole
    return {cycle_id: (verdict, delay) for cycle_id, _, verdict, delay in rows}


def test_running_visits_timed_in_sql_equal_the_engine(timed):
    assert len(timed) == len(CASES)
    verdicts = set()
    for cycle_id, sop, period, running, hand in CASES:
        definition = bundled(sop).definition
        calendar = calendar_for(definition.calendar, range(2000, 2029), add={OFF: "libur kantor"})
        fact = time_running(running, period, definition, calendar, NOW)
        expected = (_CODE[fact.verdict], fact.delay_minutes)
        assert timed[cycle_id] == expected, cycle_id
        if hand is not None:
            assert fact.delay_minutes == hand, cycle_id
        verdicts.add(expected[0])
    assert verdicts == {"l", "p", "s", "n"}  # every verdict a running visit can get


def test_hand_computed_delays(timed):
    # Friday 15.00-16.30 (90) + Monday 5 October 2026 07.30 -> Wednesday 08.00 (450 + 0 + 30:
    # Tuesday the office's day off) = 570 working minutes of 30: 540 late
    assert timed["fri-to-mon"] == ("l", 540.0)
    # Monday 17 August (a holiday) 09.00 -> Wednesday 7 October 08.00: every working minute
    # of 18 August .. 6 October is past the 60 minutes: late by far; no minute of the 17th
    # counted (the engine's figure is compared above)
    assert timed["holiday"][0] == "l"
    # Saturday 10.00 -> Monday 07.30 .. Wednesday 08.00: 450 + 0 + 30 = 480 of 15: 465 late
    assert timed["saturday"] == ("l", 465.0)
    # 06.10 Monday: counted from 07.30: 450 + 0 + 30 = 480 of 60
    assert timed["early"] == ("l", 420.0)
    # 12.20 at the break: from 13.00: 180 + 0 + 30 = 210 of 60
    assert timed["break"] == ("l", 150.0)
    # 19.45 Monday: Wednesday 07.30-08.00 only: 30 of 60, pending
    assert timed["late-eve"] == ("p", None)
    # 07.59:59.999999 Wednesday: 0.000016.. minutes of 60: pending
    assert timed["seconds-within"] == ("p", None)
    # 07.40 Wednesday, cancelled after 20 of 60 minutes: stopped, not judged
    assert timed["cancel-in"] == ("s", None)
    # from 08.00 Monday: 420 + 0 + 30 = 450, less the pause 09.00-14.00 (180 + 60): 210 of 60
    assert timed["paused"] == ("l", 150.0)
    # paused from 08.40:30 Monday, still paused: 40.5 minutes of 30 counted
    assert timed["held"] == ("l", 10.5)
    # paused from 10.00 Monday to after now: 450 - (120 + 180 + 30) = 120 minutes of 30
    assert timed["pause-after-now"] == ("l", 90.0)
    assert timed["future"] == ("p", None)
    assert timed["no-standard"] == ("n", None)
    assert timed["deadline"] == ("l", 30.0)
    assert timed["deadline-ahead"] == ("p", None)


def test_calendar_rows_are_made_once_per_stamp_and_widened_when_short(pg_url, tmp_path):
    store = open_store(pg_url, tmp_path)
    calendar = calendar_for(bundled(KALIPARE).definition.calendar, range(2000, 2029))
    key = pg_working_time.calendar_id(STAMP, calendar)
    with psycopg.connect(pg_url, autocommit=True) as conn:

        def rows() -> list[tuple[Any, ...]]:
            query = "SELECT id, stamp, last_day, cardinality(cum) FROM stats_calendars"
            return conn.execute(query).fetchall()

        pg_working_time.ensure(conn, STAMP, {key: calendar}, 2027, 1)
        first = rows()
        days = (dt.date(2027, 12, 31) - dt.date(pg_working_time.FIRST_YEAR, 1, 1)).days + 1
        assert first == [(key, STAMP, dt.date(2027, 12, 31), days + 1)]
        pg_working_time.ensure(conn, STAMP, {key: calendar}, 2026, 1)  # covered: kept
        assert rows() == first
        pg_working_time.ensure(conn, STAMP, {key: calendar}, 2030, 1)  # too short: made again
        assert rows()[0][2] == dt.date(2030, 12, 31)
        other = pg_working_time.calendar_id("another stamp", calendar)
        pg_working_time.ensure(conn, "another stamp", {other: calendar}, 2030, 1)
        assert [r[:2] for r in rows()] == [(other, "another stamp")]  # the old stamp's gone
        # the engine's table: Monday 5 October 2026 has 450 working minutes, Saturday none
        cum = conn.execute("SELECT cum, first_day FROM stats_calendars").fetchone()
        monday = (dt.date(2026, 10, 5) - cum[1]).days
        assert cum[0][monday + 1] - cum[0][monday] == 450
        assert cum[0][monday - 1] - cum[0][monday - 2] == 0
    store.close()
