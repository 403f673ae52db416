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

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from langkah.messages import Text, say, text_of
from langkah.store.base import StoreError
from langkah.store.pg_rows import missing_last

if TYPE_CHECKING:
    import psycopg

    from langkah.analytics.sql import SqlRows
    from langkah.engine.calendar import WorkingCalendar
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

# Schema migration 6: what lets a warm run skip the work that does not change between runs.
# - stats_delays: the finished visits counted per group, step, verdict and delay (35,000 rows
#   for 313,000 visits at 50,000 cycles), kept by triggers on stats_visits however its rows
#   change (a cycle's facts made again, deleted with their cycle row, a cascade): the
#   percentiles merge these counts instead of sorting every visit.
# - stats_cycles.change_no: the cycle row's change number its facts were made at (NULL: not
#   known, checked again); with stats_checked's token (the server's counts of deleted and
#   updated event rows, which the append-only trigger leaves at 0 but `repair` and a superuser
#   move), the listing looks at the last event only of the rows changed since.
FACTS_V5_DDL = """
ALTER TABLE stats_cycles ADD COLUMN change_no bigint NULL;

CREATE TABLE stats_delays (
    sop_id    text COLLATE "C" NOT NULL,
    kecamatan text COLLATE "C" NOT NULL,
    period    text COLLATE "C" NOT NULL,
    step      integer NOT NULL,
    verdict   text NOT NULL,
    delay_min double precision NULL,
    visits    bigint NOT NULL,
    UNIQUE NULLS NOT DISTINCT (sop_id, kecamatan, period, step, verdict, delay_min)
);
CREATE INDEX stats_delays_none ON stats_delays (visits) WHERE visits = 0;
INSERT INTO stats_delays
SELECT sop_id, kecamatan, period, step, verdict, delay_min, count(*)
FROM stats_visits GROUP BY 1, 2, 3, 4, 5, 6;

CREATE FUNCTION stats_delays_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO stats_delays AS d
    SELECT sop_id, kecamatan, period, step, verdict, delay_min, count(*)
    FROM added GROUP BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (sop_id, kecamatan, period, step, verdict, delay_min)
    DO UPDATE SET visits = d.visits + EXCLUDED.visits;
    RETURN NULL;
END $$;
CREATE FUNCTION stats_delays_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO stats_delays AS d
    SELECT sop_id, kecamatan, period, step, verdict, delay_min, -count(*)
    FROM removed GROUP BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (sop_id, kecamatan, period, step, verdict, delay_min)
    DO UPDATE SET visits = d.visits + EXCLUDED.visits;
    DELETE FROM stats_delays WHERE visits = 0;
    RETURN NULL;
END $$;
CREATE TRIGGER stats_visits_added AFTER INSERT ON stats_visits
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stats_delays_added();
CREATE TRIGGER stats_visits_removed AFTER DELETE ON stats_visits
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION stats_delays_removed();
CREATE TRIGGER stats_visits_fixed BEFORE UPDATE OR TRUNCATE ON stats_visits
    FOR EACH STATEMENT EXECUTE FUNCTION langkah_append_only();

UPDATE stats_cycles s SET change_no = c.change_no FROM cycles c
WHERE c.id = s.cycle_id AND c.version = s.version AND c.head = s.head
    AND c.summary->>'version' = c.version::text AND c.summary->>'head' = c.head;

-- every statement that updates or deletes event rows (`repair`, or behind the append-only
-- trigger's back) moves this sequence, at once and whether it commits or not
CREATE SEQUENCE langkah_event_edits;
CREATE FUNCTION langkah_events_edited() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM nextval('langkah_event_edits');
    RETURN NULL;
END $$;
CREATE TRIGGER events_edited AFTER UPDATE OR DELETE OR TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION langkah_events_edited();

CREATE TABLE stats_checked (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    token    text NOT NULL
);
"""
FACTS_V5_DESCRIPTION = (
    "stats_delays (finished visits counted by delay, kept by triggers), stats_cycles.change_no,"
    " stats_checked: langkah stats' warm run"
)

# Schema migration 8: what lets a warm run's listing read a few rows instead of every cycle's.
# - stats_dirty: the ids of cycles whose kept facts may not be those of their log: a row is added
#   (by row triggers, in the writer's transaction) whenever a cycle row is inserted, updated or
#   deleted and whenever a stats_cycles row is updated or deleted; a refresh removes an id's
#   rows once its facts are those of its cycle row as committed (version, head, change number,
#   stamp), and adds the ids a full look found outdated but left (not selected). No unique key:
#   a writer never waits for, nor loses its row to, a refresh removing an older one.
# - stats_groups: the kept facts' cycles counted per stamp, group and definition, with the least
#   cycle id of each, by statement triggers on stats_cycles (as stats_delays is kept from
#   stats_visits): the groups known, and the definitions they need, without a scan.
# Every cycle is then either in stats_dirty or has facts of the kept stamp made at its row's
# change number, so while the events' token and the stamp are those of the last full look,
# the cycles to look at are stats_dirty's and the groups those of stats_groups and of them.
# the statements stats_groups' triggers share: the added rows counted in, the removed rows
# counted out, then groups left empty dropped and a first cycle that went looked up again
_GROUPS_ADD = """\
    INSERT INTO stats_groups AS g
    SELECT stamp, sop_id, kecamatan, period, digest, count(*), min(cycle_id COLLATE "C")
    FROM added GROUP BY 1, 2, 3, 4, 5
    ON CONFLICT (stamp, sop_id, kecamatan, period, digest) DO UPDATE
    SET cycles = g.cycles + EXCLUDED.cycles,
        first_cycle = least(g.first_cycle, EXCLUDED.first_cycle);
"""
_GROUPS_SUBTRACT = """\
    UPDATE stats_groups g SET cycles = g.cycles - r.n
    FROM (SELECT stamp, sop_id, kecamatan, period, digest, count(*) AS n FROM removed
          GROUP BY 1, 2, 3, 4, 5) AS r
    WHERE g.stamp = r.stamp AND g.sop_id = r.sop_id AND g.kecamatan = r.kecamatan
        AND g.period = r.period AND g.digest = r.digest;
"""
_GROUPS_TIDY = """\
    DELETE FROM stats_groups WHERE cycles <= 0;
    UPDATE stats_groups g SET first_cycle = (
        SELECT min(s.cycle_id COLLATE "C") FROM stats_cycles s
        WHERE s.stamp = g.stamp AND s.sop_id = g.sop_id AND s.kecamatan = g.kecamatan
            AND s.period = g.period AND s.digest = g.digest)
    WHERE g.first_cycle IN (SELECT cycle_id FROM removed);
"""
FACTS_V8_DDL = f"""
CREATE TABLE stats_dirty (cycle_id text NOT NULL);
CREATE INDEX stats_dirty_cycle ON stats_dirty (cycle_id);

CREATE FUNCTION stats_cycle_row_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO stats_dirty VALUES (OLD.id);
    ELSE
        INSERT INTO stats_dirty VALUES (NEW.id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER cycles_stats_dirty AFTER INSERT OR UPDATE OR DELETE ON cycles
    FOR EACH ROW EXECUTE FUNCTION stats_cycle_row_changed();

CREATE FUNCTION stats_facts_row_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO stats_dirty VALUES (OLD.cycle_id);
    RETURN NULL;
END $$;
CREATE TRIGGER stats_cycles_dirty AFTER UPDATE OR DELETE ON stats_cycles
    FOR EACH ROW EXECUTE FUNCTION stats_facts_row_changed();

CREATE TABLE stats_groups (
    stamp       text NOT NULL,
    sop_id      text COLLATE "C" NOT NULL,
    kecamatan   text COLLATE "C" NOT NULL,
    period      text COLLATE "C" NOT NULL,
    digest      text NOT NULL,
    cycles      bigint NOT NULL,
    first_cycle text COLLATE "C" NOT NULL,  -- the least cycle id, byte by byte
    PRIMARY KEY (stamp, sop_id, kecamatan, period, digest)
);
INSERT INTO stats_groups
SELECT stamp, sop_id, kecamatan, period, digest, count(*), min(cycle_id COLLATE "C")
FROM stats_cycles GROUP BY 1, 2, 3, 4, 5;

CREATE FUNCTION stats_groups_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
{_GROUPS_ADD}    RETURN NULL;
END $$;
-- (removed: the counts taken away; a key whose first cycle went is looked up again)
CREATE FUNCTION stats_groups_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
{_GROUPS_SUBTRACT}{_GROUPS_TIDY}    RETURN NULL;
END $$;
CREATE FUNCTION stats_groups_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
{_GROUPS_SUBTRACT}{_GROUPS_ADD}{_GROUPS_TIDY}    RETURN NULL;
END $$;
CREATE TRIGGER stats_cycles_added AFTER INSERT ON stats_cycles
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stats_groups_added();
CREATE TRIGGER stats_cycles_removed AFTER DELETE ON stats_cycles
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION stats_groups_removed();
CREATE TRIGGER stats_cycles_moved AFTER UPDATE ON stats_cycles
    REFERENCING OLD TABLE AS removed NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION stats_groups_moved();

-- the next run looks at every cycle row (and fills stats_dirty with what it leaves)
DELETE FROM stats_checked;
"""
FACTS_V8_DESCRIPTION = (
    "stats_dirty (cycles changed since their facts, kept by triggers), stats_groups (facts'"
    " cycles per group): langkah stats' warm listing"
)

# Schema migration 9: what of each running visit does not depend on now, kept per facts row
# (langkah/analytics/sql.py's FILL_RUNNING makes the rows of those listed in
# stats_running_todo, before the figures' queries): a warm run times a running visit from the
# position of now alone. A row goes with its stats_cycles row (deleted, or updated in anything
# but its change number); the triggers list each facts row with a running visit written.


def _cycle_value_rows(table: str, sign: str) -> str:
    """The stats_cycle_values rows the stats_cycles rows of `table` count for, each with `n`
    `sign`1 (one status, the returns, the lead time and the sum of standards per row)."""
    rows = [
        f"'st:' || status, NULL::float8, {sign}1::bigint FROM {table}",
        f"'returns', NULL, {sign}returns::bigint FROM {table}",
        f"'lead', lead_min, {sign}1 FROM {table}\n        WHERE lead_min IS NOT NULL",
        f"'sum', standard_sum_min, {sign}1 FROM {table}",
    ]
    return "\n        UNION ALL\n".join(
        f"        SELECT sop_id, kecamatan, period, {row}" for row in rows
    )


_ALL_VALUES = _cycle_value_rows("stats_cycles", "")
_ADDED_VALUES = _cycle_value_rows("added", "")
_REMOVED_VALUES = _cycle_value_rows("removed", "-")

FACTS_V9_DDL = f"""
CREATE TABLE stats_running (
    cycle_id     text PRIMARY KEY REFERENCES stats_cycles (cycle_id) ON DELETE CASCADE,
    sop_id       text COLLATE "C" NOT NULL,  -- the cycle's group, as in stats_cycles
    kecamatan    text COLLATE "C" NOT NULL,
    period       text COLLATE "C" NOT NULL,
    digest       text NOT NULL,
    step         integer NOT NULL,
    outcome      text NULL,              -- the running visit's, as in stats_cycles.running
    limit_min    double precision NULL,  -- its step's standard in working minutes, if one
    timed        boolean NULL,           -- a limit or a deadline; NULL: no standard found
    due          timestamptz NULL,       -- the deadline's end, for a deadline step
    calendar     text NULL,              -- stats_calendars.id
    origin       integer NULL,           -- the local year of its start (positions from the
                                         -- first day of the year before)
    started      timestamptz NOT NULL,
    p_start      double precision NULL,  -- the position of its start
    paused       double precision NULL,  -- its closed pauses' working minutes, added in order
    paused_until timestamptz NULL,       -- the last end of its closed pauses
    open_from    timestamptz NULL,       -- the start of its open pause
    p_open       double precision NULL,  -- its position
    open_last    boolean NOT NULL,       -- the open pause, if any, is its last
    p_due        double precision NULL   -- the position of its deadline's end
);

-- the facts rows with a running visit and no stats_running row yet (FILL_RUNNING reads these)
CREATE TABLE stats_running_todo (cycle_id text NOT NULL);
INSERT INTO stats_running_todo SELECT cycle_id FROM stats_cycles WHERE running IS NOT NULL;

CREATE FUNCTION stats_running_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO stats_running_todo SELECT cycle_id FROM added WHERE running IS NOT NULL;
    RETURN NULL;
END $$;
CREATE TRIGGER stats_cycles_running_added AFTER INSERT ON stats_cycles
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stats_running_added();

CREATE FUNCTION stats_running_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM stats_running WHERE cycle_id = OLD.cycle_id;
    IF NEW.running IS NOT NULL THEN
        INSERT INTO stats_running_todo VALUES (NEW.cycle_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER stats_cycles_running_stale AFTER UPDATE ON stats_cycles FOR EACH ROW
    WHEN ((OLD.version, OLD.head, OLD.stamp, OLD.digest, OLD.sop_id, OLD.kecamatan, OLD.period,
           OLD.running)
          IS DISTINCT FROM (NEW.version, NEW.head, NEW.stamp, NEW.digest, NEW.sop_id,
                            NEW.kecamatan, NEW.period, NEW.running))
    EXECUTE FUNCTION stats_running_stale();
-- a row deleted otherwise than with its facts row (by hand, say) is listed to be made again;
-- an update or a truncation is refused (the queries trust each row is its facts row's)
CREATE FUNCTION stats_running_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO stats_running_todo
    SELECT r.cycle_id FROM removed r JOIN stats_cycles s ON s.cycle_id = r.cycle_id
    WHERE s.running IS NOT NULL;
    RETURN NULL;
END $$;
CREATE TRIGGER stats_running_removed AFTER DELETE ON stats_running
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION stats_running_removed();
CREATE TRIGGER stats_running_fixed BEFORE UPDATE OR TRUNCATE ON stats_running
    FOR EACH STATEMENT EXECUTE FUNCTION langkah_append_only();

-- the answers and returns of each decision step counted per group, as stats_delays counts the
-- visits: stats_decisions gets its cycle's group (written with it), and statement triggers
-- keep the sums however its rows change (made again, deleted with their cycle row)
ALTER TABLE stats_decisions ADD COLUMN sop_id text COLLATE "C",
    ADD COLUMN kecamatan text COLLATE "C", ADD COLUMN period text COLLATE "C";
UPDATE stats_decisions d SET sop_id = c.sop_id, kecamatan = c.kecamatan, period = c.period
FROM stats_cycles c WHERE c.cycle_id = d.cycle_id;
ALTER TABLE stats_decisions ALTER COLUMN sop_id SET NOT NULL,
    ALTER COLUMN kecamatan SET NOT NULL, ALTER COLUMN period SET NOT NULL;

CREATE TABLE stats_decision_counts (
    sop_id    text COLLATE "C" NOT NULL,
    kecamatan text COLLATE "C" NOT NULL,
    period    text COLLATE "C" NOT NULL,
    step      integer NOT NULL,
    rows      bigint NOT NULL,  -- the stats_decisions rows counted
    answers   bigint NOT NULL,
    returns   bigint NOT NULL,
    PRIMARY KEY (sop_id, kecamatan, period, step)
);
INSERT INTO stats_decision_counts
SELECT sop_id, kecamatan, period, step, count(*), sum(answers), sum(returns)
FROM stats_decisions GROUP BY 1, 2, 3, 4;

CREATE FUNCTION stats_decisions_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO stats_decision_counts AS d
    SELECT sop_id, kecamatan, period, step, count(*), sum(answers), sum(returns)
    FROM added GROUP BY 1, 2, 3, 4
    ON CONFLICT (sop_id, kecamatan, period, step) DO UPDATE
    SET rows = d.rows + EXCLUDED.rows, answers = d.answers + EXCLUDED.answers,
        returns = d.returns + EXCLUDED.returns;
    RETURN NULL;
END $$;
CREATE FUNCTION stats_decisions_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO stats_decision_counts AS d
    SELECT sop_id, kecamatan, period, step, -count(*), -sum(answers), -sum(returns)
    FROM removed GROUP BY 1, 2, 3, 4
    ON CONFLICT (sop_id, kecamatan, period, step) DO UPDATE
    SET rows = d.rows + EXCLUDED.rows, answers = d.answers + EXCLUDED.answers,
        returns = d.returns + EXCLUDED.returns;
    DELETE FROM stats_decision_counts WHERE rows = 0;
    RETURN NULL;
END $$;
CREATE TRIGGER stats_decisions_added AFTER INSERT ON stats_decisions
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stats_decisions_added();
CREATE TRIGGER stats_decisions_removed AFTER DELETE ON stats_decisions
    REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION stats_decisions_removed();
CREATE TRIGGER stats_decisions_fixed BEFORE UPDATE OR TRUNCATE ON stats_decisions
    FOR EACH STATEMENT EXECUTE FUNCTION langkah_append_only();


-- the cycles' own figures counted per group, as stats_delays counts the visits: per status
-- ('st:' || status, value NULL), the returns added up ('returns'), and per value of the lead
-- time ('lead') and of the sum of standards ('sum'), by statement triggers on stats_cycles
CREATE TABLE stats_cycle_values (
    sop_id    text COLLATE "C" NOT NULL,
    kecamatan text COLLATE "C" NOT NULL,
    period    text COLLATE "C" NOT NULL,
    kind      text NOT NULL,
    value     double precision NULL,
    n         bigint NOT NULL,
    UNIQUE NULLS NOT DISTINCT (sop_id, kecamatan, period, kind, value)
);
INSERT INTO stats_cycle_values
SELECT sop_id, kecamatan, period, kind, value, sum(n) FROM (
{_ALL_VALUES}
    ) AS x (sop_id, kecamatan, period, kind, value, n)
GROUP BY 1, 2, 3, 4, 5;

CREATE FUNCTION stats_cycle_values_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO stats_cycle_values AS t
    SELECT sop_id, kecamatan, period, kind, value, sum(n) FROM (
{_ADDED_VALUES}
    ) AS x (sop_id, kecamatan, period, kind, value, n)
    GROUP BY 1, 2, 3, 4, 5
    ON CONFLICT (sop_id, kecamatan, period, kind, value) DO UPDATE SET n = t.n + EXCLUDED.n;
    RETURN NULL;
END $$;
CREATE FUNCTION stats_cycle_values_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO stats_cycle_values AS t
    SELECT sop_id, kecamatan, period, kind, value, sum(n) FROM (
{_REMOVED_VALUES}
    ) AS x (sop_id, kecamatan, period, kind, value, n)
    GROUP BY 1, 2, 3, 4, 5
    ON CONFLICT (sop_id, kecamatan, period, kind, value) DO UPDATE SET n = t.n + EXCLUDED.n;
    DELETE FROM stats_cycle_values WHERE n = 0;
    RETURN NULL;
END $$;
CREATE FUNCTION stats_cycle_values_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO stats_cycle_values AS t
    SELECT sop_id, kecamatan, period, kind, value, sum(n) FROM (
{_ADDED_VALUES}
        UNION ALL
{_REMOVED_VALUES}
    ) AS x (sop_id, kecamatan, period, kind, value, n)
    GROUP BY 1, 2, 3, 4, 5
    ON CONFLICT (sop_id, kecamatan, period, kind, value) DO UPDATE SET n = t.n + EXCLUDED.n;
    DELETE FROM stats_cycle_values WHERE n = 0;
    RETURN NULL;
END $$;
CREATE TRIGGER stats_cycles_values_added AFTER INSERT ON stats_cycles
    REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION stats_cycle_values_added();
CREATE TRIGGER stats_cycles_values_removed AFTER DELETE ON stats_cycles
    REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION stats_cycle_values_removed();
CREATE TRIGGER stats_cycles_values_moved AFTER UPDATE ON stats_cycles
    REFERENCING OLD TABLE AS removed NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION stats_cycle_values_moved();
"""
FACTS_V9_DESCRIPTION = (
    "stats_running: running visits' positions and closed pauses, kept per facts row;"
    " stats_decision_counts, stats_cycle_values: decisions and cycles counted per group"
)


# Schema migration 10: the cycles changed since their facts are listed by their change numbers
# (`cycles_change_no`, already kept by every write of a cycle row) instead of a row that a
# trigger inserted into stats_dirty in every writer's transaction (0.1-0.3 ms per action):
# - stats_checked.seen_change: every change number up to it was settled (its transaction
#   ended) before a look that listed it, so a warm look lists the rows above it (and those
#   still marked in stats_dirty); stats_checked.waiting: the looks whose sequence value is not
#   settled yet, each [the sequence's last value, the transactions then holding a write lock
#   on `cycles` (pg_locks' virtualtransaction)]: a change number is taken by a transaction
#   holding that lock, so once each of them ended, every number up to that value is settled
#   (a number taken by a transaction that commits after a later one is not skipped).
# - A cycle row updated without a new change number (behind the app's back) gets one from
#   cycles_change_no_kept (a BEFORE trigger whose WHEN is false for every app write: the
#   function never runs on the write path); a deleted row is still marked in stats_dirty (the
#   app deletes cycle rows only in `repair`).
# The looks already made stay valid: stats_dirty holds every cycle changed since its facts,
# and no write can run while `cycles` is locked here, so every change number taken so far is
# settled and seen_change starts at the sequence's last value.
FACTS_V10_DDL = """
LOCK TABLE cycles IN SHARE ROW EXCLUSIVE MODE;
DROP TRIGGER cycles_stats_dirty ON cycles;
DROP FUNCTION stats_cycle_row_changed();

CREATE FUNCTION stats_cycle_row_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO stats_dirty VALUES (OLD.id);
    RETURN NULL;
END $$;
CREATE TRIGGER cycles_deleted_stats AFTER DELETE ON cycles
    FOR EACH ROW EXECUTE FUNCTION stats_cycle_row_deleted();

CREATE FUNCTION langkah_new_change_no() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.change_no := nextval('langkah_change');
    RETURN NEW;
END $$;
CREATE TRIGGER cycles_change_no_kept BEFORE UPDATE ON cycles
    FOR EACH ROW WHEN (NEW.change_no <= OLD.change_no)
    EXECUTE FUNCTION langkah_new_change_no();

ALTER TABLE stats_checked ADD COLUMN seen_change bigint NULL,
    ADD COLUMN waiting jsonb NOT NULL DEFAULT '[]';
UPDATE stats_checked SET seen_change = (
    SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM langkah_change);
"""
FACTS_V10_DESCRIPTION = (
    "cycles changed since their facts listed by change number (stats_checked.seen_change,"
    " waiting), not marked by a row trigger on every write (cycles_stats_dirty dropped)"
)


# Schema migration 11: the finished visits' delays kept ranked per group and step, and per
# variant (sop_id x kecamatan, every period: `period` NULL) and step (`stats_delay_ranks`): the
# distinct delays in ascending order and, for each, the visits with a delay up to it (running
# sums of stats_delays' counts), with the visits counted by verdict, so a warm run finds a
# percentile's value by binary search (`width_bucket`) in these arrays merged with the running
# visits' delays, instead of ranking every (group, step, delay) row (langkah/analytics/sql.py,
# STEPS). The triggers that keep stats_delays list the (group, step) keys each statement on
# stats_visits touched (`stats_delay_ranks_todo`); `langkah stats` redoes the listed keys'
# rows and their variants' once, under the facts' lock, before the figures' queries
# (RANKS_REDO), not once per statement (a refresh deletes then copies: two).
def _ranks_redo(changed: str) -> str:
    """The statements that make the stats_delay_ranks rows of the groups and steps of the
    rows of `changed` (a transition table, or stats_delays itself) and of their variants'
    steps again from stats_delays (those left without visits go)."""
    return f"""\
    WITH k AS MATERIALIZED (SELECT DISTINCT sop_id, kecamatan, period, step FROM {changed})
    DELETE FROM stats_delay_ranks r USING k
    WHERE r.sop_id = k.sop_id AND r.kecamatan = k.kecamatan AND r.step = k.step
        AND (r.period = k.period OR r.period IS NULL);
    WITH k AS MATERIALIZED (SELECT DISTINCT sop_id, kecamatan, period, step FROM {changed}),
    kv AS MATERIALIZED (SELECT DISTINCT sop_id, kecamatan, step FROM k),
    d AS MATERIALIZED (  -- every row of the variants' steps touched
        SELECT d.* FROM stats_delays d JOIN kv USING (sop_id, kecamatan, step)
    ),
    per_delay AS (  -- each touched group's rows, and every row again as its variant's
        SELECT sop_id, kecamatan, period, step, delay_min, sum(visits) AS n,
               sum(visits) FILTER (WHERE verdict = 'o') AS o,
               sum(visits) FILTER (WHERE verdict = 'l') AS l,
               sum(visits) FILTER (WHERE verdict = 'p') AS p
        FROM (SELECT d.* FROM d JOIN k USING (sop_id, kecamatan, period, step)
              UNION ALL
              SELECT sop_id, kecamatan, NULL, step, verdict, delay_min, visits FROM d) AS x
        GROUP BY 1, 2, 3, 4, 5
    )
    INSERT INTO stats_delay_ranks
    SELECT sop_id, kecamatan, period, step, sum(n)::bigint, coalesce(sum(o), 0)::bigint,
           coalesce(sum(l), 0)::bigint, coalesce(sum(p), 0)::bigint,
           coalesce(array_agg(delay_min ORDER BY delay_min)
                    FILTER (WHERE delay_min IS NOT NULL), '{{}}'),
           coalesce(array_agg(upto ORDER BY delay_min) FILTER (WHERE delay_min IS NOT NULL),
                    '{{}}')
    FROM (SELECT *, (sum(n) FILTER (WHERE delay_min IS NOT NULL)
                     OVER (PARTITION BY sop_id, kecamatan, period, step ORDER BY delay_min
                           ROWS UNBOUNDED PRECEDING))::bigint AS upto
          FROM per_delay) AS r
    GROUP BY 1, 2, 3, 4 HAVING sum(n) > 0;
"""


FACTS_V11_DDL = f"""
CREATE TABLE stats_delay_ranks (
    sop_id    text COLLATE "C" NOT NULL,
    kecamatan text COLLATE "C" NOT NULL,
    period    text COLLATE "C" NULL,  -- NULL: the variant's (every period of sop_id, kecamatan)
    step      integer NOT NULL,
    visits    bigint NOT NULL,  -- the finished visits, and those on time, late and pending
    on_time   bigint NOT NULL,
    late      bigint NOT NULL,
    pending   bigint NOT NULL,
    delays    double precision[] NOT NULL,  -- the distinct delays, ascending
    upto      bigint[] NOT NULL,  -- the visits with a delay up to each of them
    UNIQUE NULLS NOT DISTINCT (sop_id, kecamatan, period, step)
);
{_ranks_redo("stats_delays")}
-- the groups and steps whose visits changed since their rows were made (no key: a writer
-- never waits for a redo removing older ones)
CREATE TABLE stats_delay_ranks_todo (
    sop_id    text COLLATE "C" NOT NULL,
    kecamatan text COLLATE "C" NOT NULL,
    period    text COLLATE "C" NOT NULL,
    step      integer NOT NULL
);
CREATE OR REPLACE FUNCTION stats_delays_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO stats_delays AS d
    SELECT sop_id, kecamatan, period, step, verdict, delay_min, count(*)
    FROM added GROUP BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (sop_id, kecamatan, period, step, verdict, delay_min)
    DO UPDATE SET visits = d.visits + EXCLUDED.visits;
    INSERT INTO stats_delay_ranks_todo SELECT DISTINCT sop_id, kecamatan, period, step FROM added;
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION stats_delays_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO stats_delays AS d
    SELECT sop_id, kecamatan, period, step, verdict, delay_min, -count(*)
    FROM removed GROUP BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (sop_id, kecamatan, period, step, verdict, delay_min)
    DO UPDATE SET visits = d.visits + EXCLUDED.visits;
    DELETE FROM stats_delays WHERE visits = 0;
    INSERT INTO stats_delay_ranks_todo
    SELECT DISTINCT sop_id, kecamatan, period, step FROM removed;
    RETURN NULL;
END $$;
-- (written only by those triggers: an update or a truncation by hand is refused)
CREATE TRIGGER stats_delay_ranks_fixed BEFORE UPDATE OR TRUNCATE ON stats_delay_ranks
    FOR EACH STATEMENT EXECUTE FUNCTION langkah_append_only();
"""
FACTS_V11_DESCRIPTION = (
    "stats_delay_ranks: the finished visits' delays ranked per group and per variant and step,"
    " redone for the keys stats_delays' triggers list: langkah stats' percentiles by binary"
    " search"
)
# The listed keys' rows made again, then the list emptied (under the facts' lock: no save
# lists more meanwhile)
RANKS_REDO = _ranks_redo("stats_delay_ranks_todo")
RANKS_REDONE = "DELETE FROM stats_delay_ranks_todo"
RANKS_LISTED = "SELECT EXISTS (SELECT FROM stats_delay_ranks_todo)"


class RunningNotKept(StoreError):
    """The running visits' rows (stats_running) or the delays' ranks (stats_delay_ranks) could
    not be written (a read-only role)."""


_REFRESH_LOCK = 0x4C4B5354415453  # "LKSTATS": one refresh of the facts at a time

# Every cycle whose kept facts are not those of its log now (or that has none), and every
# cycle whose last event is missing or is not its head (damaged or edited: always looked at).
# The join of every cycle row with its last event: when the events' token moved.
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

# The same while the token (and the stamp) are those of the last full look: a cycle row whose
# change number is at most stats_checked.seen_change was settled before a look that listed it
# (schema 10), and one not marked in stats_dirty is unchanged since (every write of it took a
# new change number), so only the rows above seen_change whose facts were not made (or
# confirmed) at their change number, and the marked ones, are looked at (those whose facts are
# their row's come back as `current`).
_CHANGED = """
WITH dirty AS MATERIALIZED (
    SELECT cycle_id AS id FROM stats_dirty
    UNION
    SELECT c.id FROM cycles c
    WHERE c.change_no > %(seen)s
        AND NOT EXISTS (SELECT FROM stats_cycles s
                        WHERE s.cycle_id = c.id AND s.change_no = c.change_no
                            AND s.version = c.version AND s.head = c.head
                            AND s.stamp = %(stamp)s)
),
changed AS MATERIALIZED (
    SELECT c.id, c.sop_id, c.kecamatan, c.period, c.version, c.head, c.summary,
           s.version = c.version AND s.head = c.head AND s.stamp = %(stamp)s AS current
    FROM dirty d JOIN cycles c ON c.id = d.id LEFT JOIN stats_cycles s ON s.cycle_id = c.id
)
SELECT c.id, c.sop_id, c.kecamatan, c.period, c.version,
       e.hash IS NULL AS missing, e.hash IS DISTINCT FROM c.head AS edited,
       c.summary->>'version' IS DISTINCT FROM c.version::text
           OR c.summary->>'head' IS DISTINCT FROM c.head AS stale,
       coalesce(c.current, false)
FROM changed c
-- each last event by its key (LATERAL, LIMIT 1 so not pulled up: never a hash join of every
-- event row, whatever the planner guesses of stats_dirty, whose statistics lag its rows)
LEFT JOIN LATERAL (
    SELECT e.hash FROM events e WHERE e.cycle_id = c.id AND e.seq = c.version LIMIT 1
) AS e ON true
"""

# The groups and the cycles gone, the same way: those of the kept facts (stats_groups) (and of
# the changed cycles' rows, added from the listing); the kept facts of marked cycles whose row
# is gone (a deleted cycle row is marked by cycles_deleted_stats)
_CHANGED_KNOWN = "SELECT sop_id, kecamatan, period FROM stats_groups WHERE stamp = %s"
_CHANGED_GONE = """
SELECT DISTINCT d.cycle_id FROM stats_dirty d
WHERE NOT EXISTS (SELECT FROM cycles c WHERE c.id = d.cycle_id)
    AND EXISTS (SELECT FROM stats_cycles s WHERE s.cycle_id = d.cycle_id)
"""

# The transactions holding a lock on `cycles` that lets them write it (an app write takes
# ROW EXCLUSIVE before it takes its change number and keeps it until it ends); every other
# session's, a prepared transaction's too (pid NULL)
_WRITERS = """
SELECT coalesce(array_agg(DISTINCT l.virtualtransaction ORDER BY l.virtualtransaction), '{}')
FROM pg_locks l
WHERE l.locktype = 'relation' AND l.relation = 'cycles'::regclass AND l.granted
    AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
    AND l.mode NOT IN ('AccessShareLock', 'RowShareLock')
    AND l.pid IS DISTINCT FROM pg_backend_pid()
"""
_WAITING_KEPT = 16  # unsettled looks kept (dropping one only delays seen_change's advance)

# At the end of each save: the changed marks of cycles whose facts are now those of their row as
# committed (or that are gone with their facts) go; a mark of a write not yet committed is not
# seen, so it stays, as does one whose row moved on since its facts were made
_CLEAN = """
DELETE FROM stats_dirty d
WHERE EXISTS (SELECT FROM cycles c JOIN stats_cycles s ON s.cycle_id = c.id
              WHERE c.id = d.cycle_id AND s.version = c.version AND s.head = c.head
                  AND s.change_no = c.change_no AND s.stamp = %s)
    OR NOT EXISTS (SELECT FROM cycles c WHERE c.id = d.cycle_id)
       AND NOT EXISTS (SELECT FROM stats_cycles s WHERE s.cycle_id = d.cycle_id)
"""

# At the end of a save after a look: every cycle it listed whose facts are not now those of its
# row at its change number (left, not selected; left out, damaged; its row moved on meanwhile)
# is marked changed, since seen_change may now pass its change number
_MARK_LISTED = """
INSERT INTO stats_dirty
SELECT DISTINCT i.id FROM unnest(%(ids)s::text[]) AS i (id)
WHERE NOT EXISTS (SELECT FROM cycles c JOIN stats_cycles s ON s.cycle_id = c.id
                  WHERE c.id = i.id AND s.version = c.version AND s.head = c.head
                      AND s.change_no = c.change_no AND s.stamp = %(stamp)s)
    AND NOT EXISTS (SELECT FROM stats_dirty d WHERE d.cycle_id = i.id)
    AND EXISTS (SELECT FROM cycles c WHERE c.id = i.id AND c.change_no <= %(seen)s)
"""

# What moves when event rows are deleted or updated (by `repair`, or behind the append-only
# trigger's back): the events_edited trigger's sequence, at once; and, should even that trigger
# be disabled, the server's counts of deleted and updated rows, as
# langkah/store/pg_listing.py's look for missing last events reads them (they follow within
# a second or so).
_EVENTS_TOKEN = """
SELECT concat_ws('/', 'events'::regclass::oid, (SELECT last_value FROM langkah_event_edits),
                 pg_stat_get_tuples_deleted('events'::regclass)
                 + pg_stat_get_tuples_updated('events'::regclass)),
       (SELECT token FROM stats_checked),
       (SELECT bool_or(reltuples < 0) FROM pg_class WHERE oid = ANY(%s::regclass[])),
       (SELECT seen_change FROM stats_checked), (SELECT waiting FROM stats_checked),
       (SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM langkah_change),
       (SELECT seqcache FROM pg_sequence WHERE seqrelid = 'langkah_change'::regclass)
"""

# The facts tables the planner needs statistics of: without them (never analyzed: autovacuum
# off, or not yet come by after the facts were made) it guesses a row or so per group and picks
# nested loops and sorts that make a warm run's queries two to four times slower.
_ANALYZED = ["stats_cycles", "stats_visits", "stats_decisions", "stats_delays"]
_ANALYZE_AFTER = 1000  # cycles' facts written in one save that are worth analyzing the tables

# The change number each saved cycle row has now, when its facts are those of its log and its
# summary is current (else NULL: the row is looked at again next time).
_CHANGE_NUMBERS = """
UPDATE stats_cycles s SET change_no = c.change_no
FROM unnest(%s::text[]) AS i (id) JOIN cycles c ON c.id = i.id  -- by the ids: index look-ups
WHERE s.cycle_id = i.id AND c.version = s.version AND c.head = s.head
    AND c.summary->>'version' = c.version::text AND c.summary->>'head' = c.head
"""

# The same, read for the rows about to be written (so they are written with it: no second
# version of each row for an UPDATE to leave behind)
_ROW_CHANGE_NUMBERS = """
SELECT c.id, c.version, c.head, c.change_no
FROM unnest(%s::text[]) AS i (id) JOIN cycles c ON c.id = i.id
WHERE c.summary->>'version' = c.version::text AND c.summary->>'head' = c.head
"""

_CHECKED = """
INSERT INTO stats_checked (token, seen_change, waiting) VALUES (%s, %s, %s::jsonb)
ON CONFLICT (only_row) DO UPDATE
SET token = EXCLUDED.token, seen_change = EXCLUDED.seen_change, waiting = EXCLUDED.waiting
"""
# after a warm look (while the token is still the one it looked under: another run's full look
# may have replaced it); seen_change never goes back (two runs at once)
_SEEN = """
UPDATE stats_checked SET seen_change = greatest(seen_change, %s), waiting = %s::jsonb
WHERE token = %s
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
    token: str | None = None  # the events' token when every row was looked at (to keep)
    current: list[str] = field(default_factory=list)  # changed rows whose facts still hold
    look: Look | None = None  # how far the change numbers are settled, to keep


@dataclass(frozen=True)
class Look:
    """What a look found of the change numbers (stats_checked, schema 10): `seen`, every number
    up to it settled before the listing; `waiting`, the looks not settled yet (`advance`);
    `token`, the events' token it looked under; `listed`, the cycles it listed."""

    seen: int
    waiting: list[list[Any]]
    token: str
    listed: list[str]
    changed: bool  # seen or waiting differ from the kept ones


def advance(
    seen: int, waiting: list[list[Any]], last: int, writers: list[str]
) -> tuple[int, list[list[Any]]]:
    """How far the change numbers are settled now. `seen`: the kept bound (every number up to
    it settled before the last look); `waiting`: the kept [last value, writers] of earlier
    looks; `last`: the sequence's last value handed out, read before `writers`, the
    transactions holding a write lock on `cycles` now. A number is taken by a transaction that
    holds that lock until it ends, so once none of a look's writers holds it any more, every
    number up to that look's last value is committed (and seen by a snapshot taken after) or
    never will be: a number taken by a transaction that commits after a later one waits."""
    live = set(writers)
    kept: list[list[Any]] = []
    for value, held in waiting:
        if value > last:  # the sequence went back (set by hand): not a value of this sequence
            continue
        if live.isdisjoint(held):
            seen = max(seen, int(value))
        else:
            kept.append([int(value), list(held)])
    if last > seen:
        if writers:
            kept.append([last, sorted(writers)])
        else:
            seen = last
    return seen, [w for w in kept if w[0] > seen][-_WAITING_KEPT:]


class PgFacts:
    """The facts tables of one PostgreSQL store."""

    def __init__(self, store: PostgresStore):
        self.store = store
        self.written = 0  # cycles whose facts this object saved or dropped (since analyzed)

    def damaged(self, cycle_id: str, version: int) -> Text:
        """The message of a cycle row whose last event is missing (as the listing says it)."""
        return text_of(missing_last(self.store._address(cycle_id), version))

    def listing(self, stamp: str) -> Listing:
        def work(conn: psycopg.Connection[Any], _: bool) -> Listing:
            found = conn.execute(_EVENTS_TOKEN, [_ANALYZED]).fetchone()
            token, kept, unanalyzed, seen, waiting, last, cache = found or (
                "",
                None,
                False,
                None,
                [],
                0,
                1,
            )
            if unanalyzed:
                _analyze(conn)
            # (after the sequence's value, before the listing's snapshot: `advance`)
            writers = list(conn.execute(_WRITERS).fetchone() or [[]])[0]
            token = f"{token}/{stamp}"  # a new stamp: every row looked at
            # every row looked at also when nothing is kept, or the sequence went back, or it
            # hands out numbers from per-session caches (altered by hand: a number below its
            # last value may still be taken later, so none is ever settled)
            start = -1 if seen is None else int(seen)
            full = token != kept or seen is None or int(last) < start or (cache or 1) > 1
            start = -1 if full else start
            new_seen, new_waiting = advance(start, waiting or [], int(last), writers)
            if full:
                rows = [(*r, False) for r in conn.execute(_OUTDATED, [stamp]).fetchall()]
                known = conn.execute(_KNOWN, [stamp]).fetchall()
                gone = [row[0] for row in conn.execute(_GONE).fetchall()]
            else:
                rows = conn.execute(_CHANGED, {"seen": start, "stamp": stamp}).fetchall()
                known = conn.execute(_CHANGED_KNOWN, [stamp]).fetchall()
                known += [(r[1], r[2], r[3]) for r in rows]
                gone = [row[0] for row in conn.execute(_CHANGED_GONE).fetchall()]
            # a changed row whose facts are its log's and whose last event is its head: only
            # its change number is noted (as the full look would not list it)
            current = [r[0] for r in rows if r[8] and not r[6]]
            outdated = [Outdated(*r[:8]) for r in rows if not (r[8] and not r[6])]
            look = Look(
                new_seen,
                new_waiting,
                token,
                [r[0] for r in rows],
                full or new_seen != start or new_waiting != (waiting or []),
            )
            return Listing(
                outdated,
                sorted({(k[0], k[1], k[2]) for k in known}),
                gone,
                token if full else None,
                current,
                look,
            )

        return self.store._run(work, say("pg.do.list_facts"))

    def save(
        self,
        rows: Sequence[CycleRows],
        stamp: str,
        forget: Sequence[str] = (),
        token: str | None = None,
        current: Sequence[str] = (),
        last: bool = True,
        look: Look | None = None,
    ) -> None:
        """Replace the kept facts of `rows`' cycles (and drop those of `forget`); `token`: the
        listing's, kept when every cycle row was looked at (Listing.token); `current`: cycles
        whose facts hold at their row's new change number (Listing.current); `last`: the
        refresh's last save (one of many cycles written analyzes the tables then); `look`:
        the listing's (Listing.look), given to the last save: how far the change numbers are
        settled is kept, and every cycle it listed whose facts are not now its row's is marked
        changed (looked at again next time). The changed marks of every cycle whose facts are
        now its row's go."""
        listed = look.listed if look is not None else []
        if not rows and not forget and token is None and not current and not listed:
            if look is not None and look.changed:
                self._keep_seen(look)
            self._analyze_if_grown(last)
            return

        def work(conn: psycopg.Connection[Any], _: bool) -> None:
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", [_REFRESH_LOCK])
                ids = [r.cycle_id for r in rows] + list(forget)
                conn.execute("DELETE FROM stats_cycles WHERE cycle_id = ANY(%s)", [ids])
                found = conn.execute(_ROW_CHANGE_NUMBERS, [[r.cycle_id for r in rows]])
                numbers = {(row[0], row[1], row[2]): row[3] for row in found.fetchall()}
                with conn.cursor().copy(
                    "COPY stats_cycles (cycle_id, version, head, stamp, digest, sop_id,"
                    " kecamatan, period, status, returns, lead_min, standard_sum_min, running,"
                    " change_no)"
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
                                numbers.get((r.cycle_id, r.version, r.head)),
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
                    "COPY stats_decisions (cycle_id, step, answers, returns, sop_id, kecamatan,"
                    " period) FROM STDIN"
                ) as copy:
                    for r in rows:
                        answers, returns = dict(r.payload[9]), dict(r.payload[10])
                        group = [r.payload[1], r.kecamatan, r.payload[2]]
                        for step in sorted(set(answers) | set(returns)):
                            copy.write_row(
                                [r.cycle_id, step, answers.get(step, 0), returns.get(step, 0),
                                 *group]
                            )  # fmt: skip
                if current:
                    conn.execute(_CHANGE_NUMBERS, [list(current)])
                if look is not None and listed:
                    conn.execute(_MARK_LISTED, {"ids": listed, "stamp": stamp, "seen": look.seen})
                conn.execute(_CLEAN, [stamp])
                if token is not None:
                    seen, waiting = (look.seen, look.waiting) if look is not None else (None, [])
                    conn.execute(_CHECKED, [token, seen, _waiting(waiting)])
                elif look is not None and look.changed:
                    conn.execute(_SEEN, [look.seen, _waiting(look.waiting), look.token])

        self.store._run(work, say("pg.do.keep_facts"), write=True)
        self.written += len(rows) + len(forget)
        self._analyze_if_grown(last)

    def _keep_seen(self, look: Look) -> None:
        """Keep how far the change numbers are settled (nothing else to write), best effort:
        where it is refused (a read-only role) the next look lists from the old bound."""

        def work(conn: psycopg.Connection[Any], _: bool) -> None:
            import psycopg

            try:
                with conn.transaction():
                    conn.execute(_SEEN, [look.seen, _waiting(look.waiting), look.token])
            except psycopg.Error:
                if conn.broken:
                    raise

        self.store._run(work, say("pg.do.keep_bound"), write=True)

    def _analyze_if_grown(self, last: bool) -> None:
        """After the last save of a refresh that wrote many cycles' facts (a cold run): ANALYZE
        the tables, so the next runs are planned for what they hold."""
        if not last or self.written < _ANALYZE_AFTER:
            return

        def analyze(conn: psycopg.Connection[Any], _: bool) -> None:
            _analyze(conn)

        self.store._run(analyze, say("pg.do.analyze_facts"))
        self.written = 0

    def digests(self, wanted: Sequence[tuple[str, str, str]], stamp: str) -> list[Any]:
        """DIGESTS' rows over the kept facts of the `wanted` groups (which definitions the
        figures need), from stats_groups: every kept row of a wanted group is of `stamp`
        once the facts are refreshed."""
        from langkah.analytics import sql as stats_sql

        def work(conn: psycopg.Connection[Any], _: bool) -> list[Any]:
            return conn.execute(stats_sql.DIGESTS, {**_groups(wanted), "stamp": stamp}).fetchall()

        return self.store._run(work, say("pg.do.figures"))

    def keep_calendars(
        self, stamp: str, calendars: dict[str, WorkingCalendar], last_year: int
    ) -> None:
        """Make the working-time rows of `calendars` (key -> calendar) up to `last_year`
        where they are missing (langkah/store/pg_working_time.py)."""
        from langkah.store import pg_working_time

        def work(conn: psycopg.Connection[Any], _: bool) -> None:
            pg_working_time.ensure(conn, stamp, calendars, last_year, _REFRESH_LOCK)

        self.store._run(work, say("pg.do.working_time"), write=True)

    def calendars_cover(self, ids: list[str], last_year: int) -> bool:
        """Whether the working-time rows of the calendars `ids` are kept up to `last_year`
        (what `keep_calendars` would make otherwise): read only."""
        from langkah.store import pg_working_time

        def work(conn: psycopg.Connection[Any], _: bool) -> bool:
            return not pg_working_time.missing(conn, ids, last_year)

        return self.store._run(work, say("pg.do.read_working_time"))

    def aggregate(self, wanted: Sequence[tuple[str, str, str]], running: dict[str, Any]) -> SqlRows:
        """The rows of the figures' queries over the kept facts of the `wanted` groups;
        `running`: what the running visits are timed with in SQL (now, the steps' standards
        and their calendars' keys, the deadlines; langkah/analytics/sql.py's STEPS)."""
        from langkah.analytics import sql as stats_sql

        groups = _groups(wanted)

        params = {**groups, **running}

        def rows(conn: psycopg.Connection[Any]) -> SqlRows:
            conn.execute("SET LOCAL work_mem = '64MB'")  # the visits sorted in memory
            return stats_sql.SqlRows(
                cycles=conn.execute(stats_sql.CYCLES, groups).fetchall(),
                digests=[],
                decisions=conn.execute(stats_sql.DECISIONS, groups).fetchall(),
                steps=conn.execute(stats_sql.STEPS, params).fetchall(),
            )

        def work(conn: psycopg.Connection[Any], _: bool) -> SqlRows:
            # Usually every running visit of the wanted groups has its stats_running row: the
            # queries read one snapshot and write nothing (a read-only role or server too)
            with conn.transaction():
                conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                missing = conn.execute(stats_sql.RUNNING_MISSING, groups).fetchone()
                listed = conn.execute(RANKS_LISTED).fetchone()
                if missing is not None and not missing[0] and listed is not None and not listed[0]:
                    return rows(conn)
            # Else they are made, under the refresh's lock, in the figures' transaction: there
            # the facts tables do not change, so every query reads the same rows
            with conn.transaction():
                conn.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
                conn.execute("SELECT pg_advisory_xact_lock(%s)", [_REFRESH_LOCK])
                _fill_running(conn, params)
                return rows(conn)

        return self.store._run(work, say("pg.do.figures"))


def _fill_running(conn: psycopg.Connection[Any], params: dict[str, Any]) -> None:
    """FILL_RUNNING and RANKS_REDO, their refusal (a read-only role or server) told apart from
    other errors."""
    import psycopg

    from langkah.analytics import sql as stats_sql

    try:
        with conn.transaction():  # (a savepoint: the figures' transaction goes on if refused)
            conn.execute(stats_sql.FILL_RUNNING, params)
            conn.execute(stats_sql.FILL_RUNNING_DONE)
            conn.execute(RANKS_REDO)
            conn.execute(RANKS_REDONE)
    except (psycopg.errors.InsufficientPrivilege, psycopg.errors.ReadOnlySqlTransaction) as error:
        raise RunningNotKept(f"cannot keep the running visits' rows: {error}") from None


def _analyze(conn: psycopg.Connection[Any]) -> None:
    """ANALYZE the facts tables, best effort: where it cannot be done (a role that does not own
    them is skipped with a warning; a standby refuses; another ANALYZE holds them past the lock
    timeout) the statistics are left to autovacuum, and the figures are the same, only slower."""
    import psycopg

    try:
        with conn.transaction():
            conn.execute("ANALYZE " + ", ".join(_ANALYZED))
    except psycopg.Error:
        if conn.broken:  # the connection was lost: the caller tries the work again
            raise


def _groups(wanted: Sequence[tuple[str, str, str]]) -> dict[str, list[str]]:
    return {
        "w_sop": [w[0] for w in wanted],
        "w_kec": [w[1] for w in wanted],
        "w_period": [w[2] for w in wanted],
    }


def _waiting(waiting: list[list[Any]]) -> str:
    import json

    return json.dumps(waiting)


def _json(value: Any) -> str | None:
    from langkah.store.tinydb_storage import dump_json

    return None if value is None else dump_json(value).decode()
