"""`langkah stats`' kept facts on PostgreSQL: rows beside the cycles, aggregated in SQL.

What the embedded store keeps in `facts-cache.json` (langkah/analytics/facts_codec.py) is kept
here as rows: one per cycle in `stats_cycles`, keyed by its log's version and head and the
calendar stamp (holiday data, `hari_libur.toml`, Langkah's version), one per finished visit in
`stats_visits`, one per decision step answered in `stats_decisions`. A row is used only while
its version and head are the cycle row's and its stamp is the run's; any other is refreshed by
replaying the log (the service does that and hands the facts here). The tables are derived:
deleting their rows costs one slow run. The queries themselves are in langkah/analytics/sql.py.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import psycopg

    from langkah.analytics.sql import SqlRows
    from langkah.store.postgres_store import PostgresStore

# Schema migration 4 (langkah/store/pg_schema.py)
FACTS_DDL = """
-- COLLATE "C": grouped and ordered byte by byte, as Python orders them (and much faster)
CREATE TABLE stats_cycles (
    cycle_id         text PRIMARY KEY,
    version          integer NOT NULL,
    head             text NOT NULL,
    stamp            text NOT NULL,
    digest           text NOT NULL,
    sop_id           text COLLATE "C" NOT NULL,
    kecamatan        text COLLATE "C" NOT NULL,
    period           text COLLATE "C" NOT NULL,
    status           text NOT NULL,
    returns          integer NOT NULL,
    lead_min         double precision NULL,
    standard_sum_min double precision NOT NULL,
    running          jsonb NULL
);
CREATE INDEX stats_cycles_group ON stats_cycles (sop_id, kecamatan, period);

CREATE TABLE stats_visits (
    cycle_id    text NOT NULL REFERENCES stats_cycles (cycle_id) ON DELETE CASCADE,
    seq         integer NOT NULL,
    sop_id      text COLLATE "C" NOT NULL,  -- the cycle's group, as in stats_cycles
    kecamatan   text COLLATE "C" NOT NULL,
    period      text COLLATE "C" NOT NULL,
    step        integer NOT NULL,
    round       integer NOT NULL,
    verdict     text NOT NULL,
    delay_min   double precision NULL,
    elapsed_min double precision NOT NULL,
    PRIMARY KEY (cycle_id, seq)
);

CREATE TABLE stats_decisions (
    cycle_id text NOT NULL REFERENCES stats_cycles (cycle_id) ON DELETE CASCADE,
    step     integer NOT NULL,
    answers  integer NOT NULL,
    returns  integer NOT NULL,
    PRIMARY KEY (cycle_id, step)
);
"""
FACTS_DESCRIPTION = "stats_cycles, stats_visits, stats_decisions: langkah stats' facts by log head"

_REFRESH_LOCK = 0x4C4B5354415453  # "LKSTATS": one refresh of the facts at a time

# Every cycle whose kept facts are not those of its log now (or that has none), and every
# cycle whose last event is missing or is not its head (damaged or edited: always looked at).
_OUTDATED = """
SELECT c.id, c.sop_id, c.kecamatan, c.period, c.version,
       e.hash IS NULL AS missing, e.hash IS DISTINCT FROM c.head AS edited,
       c.summary->>'version' IS DISTINCT FROM c.version::text
           OR c.summary->>'head' IS DISTINCT FROM c.head AS stale
FROM cycles c
LEFT JOIN events e ON e.cycle_id = c.id AND e.seq = c.version
LEFT JOIN stats_cycles s
    ON s.cycle_id = c.id AND s.version = c.version AND s.head = c.head AND s.stamp = %s
WHERE s.cycle_id IS NULL OR e.hash IS DISTINCT FROM c.head
"""

# Kept facts of cycles that are gone (set aside whole by `langkah repair`)
_GONE = """
SELECT s.cycle_id FROM stats_cycles s
WHERE NOT EXISTS (SELECT FROM cycles c WHERE c.id = s.cycle_id)
"""

_KNOWN = """
SELECT sop_id, kecamatan, period FROM cycles GROUP BY 1, 2, 3
UNION
SELECT sop_id, kecamatan, period FROM stats_cycles WHERE stamp = %s GROUP BY 1, 2, 3
"""


@dataclass(frozen=True)
class Outdated:
    cycle_id: str
    sop_id: str
    kecamatan: str
    period: str
    version: int
    missing: bool  # its last event row is missing: damaged, never read
    edited: bool  # its last event is not its head: read, and named if it does not verify
    stale: bool  # its summary (and so its columns) is not that of its log: read


@dataclass
class CycleRows:
    """One cycle's facts as rows (from facts_codec.encode's payload)."""

    cycle_id: str
    version: int
    head: str
    kecamatan: str  # not in the payload (it comes from the definition)
    payload: list[Any]


@dataclass
class Listing:
    outdated: list[Outdated] = field(default_factory=list)
    known: list[tuple[str, str, str]] = field(default_factory=list)  # (SOP, kecamatan, period)
    gone: list[str] = field(default_factory=list)  # kept facts of cycles no longer stored


Timer = Callable[[list[Any]], tuple[list[Any], ...]]


class PgFacts:
    """The facts tables of one PostgreSQL store."""

    def __init__(self, store: PostgresStore):
        self.store = store

    def damaged(self, cycle_id: str, version: int) -> str:
        """The message of a cycle row whose last event is missing (as the listing says it)."""
        return (
            f"{self.store._address(cycle_id)}: damaged store file (event {version} is missing: "
            f"the cycle row records {version} events) (`langkah repair` sets it aside and "
            "recovers what it can)"
        )

    def listing(self, stamp: str) -> Listing:
        def work(conn: psycopg.Connection[Any], _: bool) -> Listing:
            rows = conn.execute(_OUTDATED, [stamp]).fetchall()
            known = conn.execute(_KNOWN, [stamp]).fetchall()
            gone = [row[0] for row in conn.execute(_GONE).fetchall()]
            return Listing([Outdated(*row) for row in rows], [tuple(k) for k in known], gone)

        return self.store._run(work, "cannot list the cycles' kept facts")

    def save(self, rows: Sequence[CycleRows], stamp: str, forget: Sequence[str] = ()) -> None:
        """Replace the kept facts of `rows`' cycles (and drop those of `forget`)."""
        if not rows and not forget:
            return

        def work(conn: psycopg.Connection[Any], _: bool) -> None:
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", [_REFRESH_LOCK])
                ids = [r.cycle_id for r in rows] + list(forget)
                conn.execute("DELETE FROM stats_cycles WHERE cycle_id = ANY(%s)", [ids])
                with conn.cursor().copy(
                    "COPY stats_cycles (cycle_id, version, head, stamp, digest, sop_id,"
                    " kecamatan, period, status, returns, lead_min, standard_sum_min, running)"
                    " FROM STDIN"
                ) as copy:
                    for r in rows:
                        p = r.payload
                        copy.write_row(
                            [
                                r.cycle_id,
                                r.version,
                                r.head,
                                stamp,
                                p[0],
                                p[1],
                                r.kecamatan,
                                p[2],
                                p[3],
                                sum(n for _, n in p[10]),
                                p[11],
                                p[12],
                                _json(p[13]),
                            ]  # fmt: skip
                        )
                with conn.cursor().copy(
                    "COPY stats_visits (cycle_id, seq, sop_id, kecamatan, period, step, round,"
                    " verdict, delay_min, elapsed_min) FROM STDIN"
                ) as copy:
                    for r in rows:
                        p = r.payload
                        group = [p[1], r.kecamatan, p[2]]
                        for seq, visit in enumerate(zip(p[4], p[5], p[6], p[7], p[8], strict=True)):
                            copy.write_row([r.cycle_id, seq, *group, *visit])
                with conn.cursor().copy(
                    "COPY stats_decisions (cycle_id, step, answers, returns) FROM STDIN"
                ) as copy:
                    for r in rows:
                        answers, returns = dict(r.payload[9]), dict(r.payload[10])
                        for step in sorted(set(answers) | set(returns)):
                            copy.write_row(
                                [r.cycle_id, step, answers.get(step, 0), returns.get(step, 0)]
                            )

        self.store._run(work, "cannot keep the cycles' facts", write=True)

    def aggregate(self, wanted: Sequence[tuple[str, str, str]], timer: Timer) -> SqlRows:
        """The rows of the figures' queries over the kept facts of the `wanted` groups; `timer`
        times their running visits (given RUNNING's rows) at now, as columns (SOP id,
        kecamatan, period, step, verdict, delay)."""
        from langkah.analytics import sql as stats_sql

        groups = {
            "w_sop": [w[0] for w in wanted],
            "w_kec": [w[1] for w in wanted],
            "w_period": [w[2] for w in wanted],
        }

        def work(conn: psycopg.Connection[Any], _: bool) -> SqlRows:
            with conn.transaction():  # one snapshot for every query
                conn.execute("SET LOCAL work_mem = '64MB'")  # the visits sorted in memory
                timed = timer(conn.execute(stats_sql.RUNNING, groups).fetchall())
                names = ("r_sop", "r_kec", "r_period", "r_step", "r_verdict", "r_delay")
                running = dict(zip(names, timed, strict=True))
                return stats_sql.SqlRows(
                    cycles=conn.execute(stats_sql.CYCLES, groups).fetchall(),
                    digests=conn.execute(stats_sql.DIGESTS, groups).fetchall(),
                    decisions=conn.execute(stats_sql.DECISIONS, groups).fetchall(),
                    steps=conn.execute(stats_sql.STEPS, {**groups, **running}).fetchall(),
                )

        return self.store._run(work, "cannot compute the figures")


def _json(value: Any) -> str | None:
    from langkah.store.tinydb_storage import dump_json

    return None if value is None else dump_json(value).decode()
