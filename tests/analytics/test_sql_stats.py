"""`langkah stats` on PostgreSQL, computed in SQL (langkah/analytics/sql.py), prints what the
Python path prints: the hand-computed logs of tests/analytics are written to an embedded store,
copied to PostgreSQL with `langkah migrate`, and `stats --json` compared byte for byte, for
each filter, cold and warm, and against PostgreSQL's own `--no-cache` (every log replayed);
the embedded store's figures from its kept facts (langkah/analytics/columns.py) too."""

from __future__ import annotations

import gc
import json

import pytest

from bench.synth import write_cycle
from langkah.store.tinydb_store import TinyDBStore
from tests.analytics.support import (
    DAWARBLANDONG,
    KALIPARE,
    MENTEBAH,
    Log,
    example_logs,
    run,
    wib,
)
from tests.analytics.test_figures import _dawarblandong
from tests.cli_support import _run
from tests.pg_support import execute

pytestmark = pytest.mark.needs_postgresql

NOW = wib(7, 8, 0)  # Wednesday 7 October 2026 08.00 WIB: after every log below


def _logs() -> list[Log]:
    """The worked example, and the logs of test_figures: returns at a decision, calendar
    deadlines, a pause, several periods of one variant, three variants side by side."""
    logs = example_logs()
    logs += [_dawarblandong("dawar-x", [False, True]), _dawarblandong("dawar-y", [True])]
    logs.append(Log(DAWARBLANDONG, "dawar-z", "2026-T3", wib(1, 8, 0)))
    logs.append(run(Log(MENTEBAH, "m1", "2026-T3", wib(1, 8, 0)), [(1, 8, 20), (5, 15, 0)]))
    logs.append(run(Log(MENTEBAH, "m2", "2026-T3", wib(1, 8, 0)), [(1, 8, 20), (6, 9, 0)]))
    logs.append(run(Log(MENTEBAH, "m3", "2026-T3", wib(1, 8, 0)), [(1, 8, 20)]))
    paused = run(Log(KALIPARE, "p", "2026-T3", wib(1, 8, 0)), [(1, 8, 10), (1, 8, 30)])
    paused.pause(wib(1, 8, 40)).resume(wib(1, 10, 40))
    logs.append(run(paused, [(1, 11, 10), (1, 11, 15), (1, 11, 20), (1, 11, 25)]))
    held = run(Log(KALIPARE, "held", "2026-T2", wib(1, 8, 0)), [(1, 8, 20)])
    logs.append(held.pause(wib(1, 9, 0)))  # paused while running: its time stops there
    logs.append(run(Log(KALIPARE, "k3", "2026-T3", wib(1, 8, 0)), [(1, 8, 10), (1, 9, 0)]))
    logs.append(Log(KALIPARE, "k26", "2026", wib(1, 8, 0)))
    logs.append(run(Log(DAWARBLANDONG, "dawar-t4", "2026-T4", wib(1, 8, 0)), [(1, 8, 3)]))
    return logs


@pytest.fixture
def stores(tmp_path, pg_url, monkeypatch):
    """(embedded data folder, PostgreSQL URL) holding the same logs."""
    folder = tmp_path / "embedded"
    store = TinyDBStore(folder)
    for log in _logs():
        write_cycle(store, log)
    monkeypatch.setenv("LANGKAH_DEFS_DIR", str(tmp_path / "no-defs"))
    monkeypatch.setenv("LANGKAH_NOW", NOW.isoformat())
    monkeypatch.delenv("LANGKAH_LANG", raising=False)
    assert _run(("--data-dir", str(folder), "migrate", "--to", pg_url)) == 0
    return folder, pg_url


def _stats(capsys, where: tuple[str, ...], *args: str, status: int = 0) -> tuple[str, str]:
    capsys.readouterr()
    code = _run((*where, "stats", *args))
    gc.unfreeze()  # the command froze what it made (it is about to end): its store's
    gc.collect()  # connections are closed once it is collected
    out, err = capsys.readouterr()
    assert code == status, (where, args, out, err)
    assert "Traceback" not in out + err
    return out, err


FILTERS = [
    (),
    ("--sop", "kalipare"),
    ("--sop", "dawarblandong"),
    ("--kecamatan", "MENTEBAH"),
    ("--period", "2026-T3"),
    ("--period", "2026"),
    ("--from", "2026-T3"),
    ("--to", "2026-T2"),
    ("--from", "2026-T1", "--to", "2026-T3"),
    ("--period", "2019-T1"),  # nothing selected
]


def test_sql_figures_equal_the_python_ones_for_every_filter(stores, capsys, tmp_path):
    folder, url = stores
    embedded = ("--data-dir", str(folder))
    on_pg = ("--data-dir", str(tmp_path / "pg-data"), "--store", url)
    for filters in FILTERS:
        expected, _ = _stats(capsys, embedded, "--json", "--no-cache", *filters)
        for _ in range(2):  # from the kept facts (langkah/analytics/columns.py): cold, warm
            assert _stats(capsys, embedded, "--json", *filters)[0] == expected, filters
        cold, _ = _stats(capsys, on_pg, "--json", *filters)  # facts made for what is selected
        warm, _ = _stats(capsys, on_pg, "--json", *filters)
        replayed, _ = _stats(capsys, on_pg, "--json", "--no-cache", *filters)
        assert cold == expected, filters
        assert warm == expected and replayed == expected, filters
        text, _ = _stats(capsys, on_pg, *filters)
        text_expected, _ = _stats(capsys, embedded, *filters)
        assert text == text_expected, filters
    result = json.loads(_stats(capsys, on_pg, "--json", "--sop", "kalipare")[0])
    example = next(g for g in result["groups"] if g["period"] == "2026-T3")
    assert example["steps"][1]["delay_p90_min"] is not None
    assert json.loads(_stats(capsys, on_pg, "--json", "--period", "2019-T1")[0])["groups"] == []


def test_the_facts_are_rows_refreshed_only_for_changed_cycles(stores, capsys, tmp_path):
    folder, url = stores
    on_pg = ("--data-dir", str(tmp_path / "pg-data"), "--store", url)
    _stats(capsys, on_pg, "--json")
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        rows = dict(conn.execute("SELECT cycle_id, version FROM stats_cycles").fetchall())
        assert len(rows) == len(_logs())
        visits = conn.execute("SELECT count(*) FROM stats_visits").fetchone()
        assert visits is not None and visits[0] > len(rows)
        conn.execute("UPDATE stats_cycles SET stamp = 'marked' WHERE cycle_id = 'kalipare-a'")
    # a kept row whose stamp (or version, or head) is not the run's is made again
    _stats(capsys, on_pg, "--json")
    with psycopg.connect(url, autocommit=True) as conn:
        stamps = dict(conn.execute("SELECT cycle_id, stamp FROM stats_cycles").fetchall())
    assert stamps["kalipare-a"] != "marked" and len(set(stamps.values())) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--from", "2026-T3", "--to", "2026-T1"), "--from 2026-T3 comes after --to 2026-T1"),
        (("--kecamatan", "Atlantis"), "known: Dawarblandong, Kalipare, Mentebah"),
        (("--sop", "atlantis"), "known SOPs: dawarblandong/pengukuran-data-kinerja"),
        (("--period", "2026-T9"), "--period: '2026-T9' is not a period"),
        (("--period", "2026", "--to", "2026"), "--period and --from/--to: give one or the other"),
    ],
)
def test_bad_filters_get_the_same_message_on_postgresql(
    stores, capsys, tmp_path, monkeypatch, args, message
):
    monkeypatch.setenv("LANGKAH_LANG", "en")
    folder, url = stores
    _, on_pg = _stats(capsys, ("--data-dir", str(tmp_path / "d"), "--store", url), *args, status=2)
    _, embedded = _stats(capsys, ("--data-dir", str(folder)), *args, status=2)
    assert message in on_pg and on_pg == embedded


def test_a_cycle_whose_last_event_is_missing_is_named_and_left_out(stores, capsys, tmp_path):
    _, url = stores
    on_pg = ("--data-dir", str(tmp_path / "pg-data"), "--store", url)
    before = json.loads(_stats(capsys, on_pg, "--json", "--sop", "kalipare")[0])
    execute(
        url,
        "ALTER TABLE events DISABLE TRIGGER events_append_only",
        "DELETE FROM events WHERE cycle_id = 'kalipare-a'"
        " AND seq = (SELECT version FROM cycles WHERE id = 'kalipare-a')",
        "ALTER TABLE events ENABLE TRIGGER events_append_only",
    )
    out, err = _stats(capsys, on_pg, "--json", "--sop", "kalipare")
    # Bahasa Indonesia by default: the damaged row is named, and left out
    assert "peristiwa " in err and "baris siklus mencatat" in err and "(tidak dihitung)" in err
    assert "kalipare-a" in err and "left out" not in err and "damaged" not in err
    assert json.loads(out)["cycles"] == before["cycles"] - 1
    _, said = _stats(capsys, ("--lang", "en", *on_pg), "--json", "--sop", "kalipare")
    assert "kalipare-a" in said and "the cycle row records" in said and "(left out)" in said
    assert "tidak dihitung" not in said


def test_facts_that_cannot_be_kept_are_computed_in_python(stores, capsys, tmp_path):
    folder, url = stores
    _stats(capsys, ("--data-dir", str(folder)), "--json")  # the facts cache made
    expected, _ = _stats(capsys, ("--data-dir", str(folder)), "--json", "--no-cache")
    execute(  # as a read-only role would: every write of the facts refused
        url,
        "CREATE TRIGGER stats_read_only BEFORE INSERT OR DELETE ON stats_cycles"
        " FOR EACH STATEMENT EXECUTE FUNCTION langkah_append_only()",
    )
    out, err = _stats(capsys, ("--data-dir", str(tmp_path / "pg-data"), "--store", url), "--json")
    assert out == expected
    assert "refused" in err and "computing in Python instead" in err


def _delays(url: str) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """(stats_delays' rows, stats_visits counted the same way), both sorted."""
    import psycopg

    columns = "sop_id, kecamatan, period, step, verdict, delay_min"
    with psycopg.connect(url, autocommit=True) as conn:
        kept = conn.execute(f"SELECT {columns}, visits FROM stats_delays").fetchall()
        counted = conn.execute(
            f"SELECT {columns}, count(*) FROM stats_visits GROUP BY 1, 2, 3, 4, 5, 6"
        ).fetchall()
    key = repr
    return sorted(kept, key=key), sorted(counted, key=key)


def test_the_delays_counted_follow_the_visits_however_they_change(stores, capsys, tmp_path):
    _, url = stores
    on_pg = ("--data-dir", str(tmp_path / "pg-data"), "--store", url)
    expected, _ = _stats(capsys, on_pg, "--json")
    kept, counted = _delays(url)
    assert kept == counted and len(kept) > 5
    # a cycle's facts made again (its stamp changed), another's deleted with their cycle row
    execute(
        url,
        "UPDATE stats_cycles SET stamp = 'marked' WHERE cycle_id = 'kalipare-a'",
        "DELETE FROM stats_cycles WHERE cycle_id = 'm1'",
    )
    kept, counted = _delays(url)
    assert kept == counted
    assert _stats(capsys, on_pg, "--json")[0] == expected
    kept, counted = _delays(url)
    assert kept == counted and all(row[6] > 0 for row in kept)


def test_only_changed_cycle_rows_are_looked_at_and_edits_are_seen_at_once(stores, capsys, tmp_path):
    _, url = stores
    on_pg = ("--data-dir", str(tmp_path / "pg-data"), "--store", url)
    expected, _ = _stats(capsys, on_pg, "--json", "--sop", "kalipare")
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        missing = conn.execute("SELECT count(*) FROM stats_cycles WHERE change_no IS NULL")
        assert missing.fetchone() == (0,)  # each row's change number noted with its facts
        assert conn.execute("SELECT count(*) FROM stats_checked").fetchone() == (1,)
    # a row changed behind the facts' back (its change number moved, its log the same): its
    # facts hold and are used again
    execute(url, "UPDATE cycles SET change_no = nextval('langkah_change') WHERE id = 'kalipare-a'")
    assert _stats(capsys, on_pg, "--json", "--sop", "kalipare")[0] == expected
    # an event row deleted behind the append-only trigger's back (the cycle row unchanged):
    # every row looked at again, at once
    execute(
        url,
        "ALTER TABLE events DISABLE TRIGGER events_append_only",
        "DELETE FROM events WHERE cycle_id = 'kalipare-a'"
        " AND seq = (SELECT version FROM cycles WHERE id = 'kalipare-a')",
        "ALTER TABLE events ENABLE TRIGGER events_append_only",
    )
    out, err = _stats(capsys, on_pg, "--json", "--sop", "kalipare")
    assert "kalipare-a" in err and "(tidak dihitung)" in err
    assert json.loads(out)["cycles"] == json.loads(expected)["cycles"] - 1


def _marks_and_groups(
    url: str,
) -> tuple[set[str], set[str], list[tuple[object, ...]], list[tuple[object, ...]]]:
    """(cycles the next warm look lists: marked changed, or with a change number above the
    settled one and facts not confirmed at it (schema 10); cycles without kept facts of the
    run's stamp, stats_groups' rows, the same counted afresh from stats_cycles)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        marked = {r[0] for r in conn.execute("SELECT cycle_id FROM stats_dirty").fetchall()}
        marked |= {
            r[0]
            for r in conn.execute(
                "SELECT c.id FROM cycles c WHERE c.change_no > coalesce("
                " (SELECT seen_change FROM stats_checked), -1) AND NOT EXISTS (SELECT FROM"
                " stats_cycles s WHERE s.cycle_id = c.id AND s.change_no = c.change_no"
                " AND s.version = c.version AND s.head = c.head)"
            ).fetchall()
        }
        stamp = conn.execute(
            "SELECT stamp FROM stats_cycles GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()
        without = conn.execute(
            "SELECT id FROM cycles c WHERE NOT EXISTS (SELECT FROM stats_cycles s"
            " WHERE s.cycle_id = c.id AND s.stamp = %s)",
            [stamp[0] if stamp else ""],
        ).fetchall()
        kept = conn.execute("SELECT * FROM stats_groups").fetchall()
        counted = conn.execute(
            "SELECT stamp, sop_id, kecamatan, period, digest, count(*),"
            ' min(cycle_id COLLATE "C") FROM stats_cycles GROUP BY 1, 2, 3, 4, 5'
        ).fetchall()
    return marked, {r[0] for r in without}, sorted(kept, key=repr), sorted(counted, key=repr)


def _decisions(url: str) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """(stats_decision_counts' rows, stats_decisions added up the same way), both sorted."""
    columns = "sop_id, kecamatan, period, step"
    kept = execute_rows(url, f"SELECT {columns}, rows, answers, returns FROM stats_decision_counts")
    counted = execute_rows(
        url,
        f"SELECT {columns}, count(*), sum(answers), sum(returns) FROM stats_decisions"
        " GROUP BY 1, 2, 3, 4",
    )
    return sorted(kept, key=repr), sorted(counted, key=repr)


def _cycle_values(url: str) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """(stats_cycle_values' rows, stats_cycles counted the same way), both sorted, without
    the zero counts (a group's returns may be 0)."""
    kept = execute_rows(url, "SELECT * FROM stats_cycle_values WHERE n <> 0")
    counted = execute_rows(
        url,
        "SELECT * FROM (SELECT sop_id, kecamatan, period, kind, value, sum(n)::bigint AS n"
        " FROM (SELECT sop_id, kecamatan, period, 'st:' || status AS kind, NULL::float8 AS value,"
        " 1 AS n FROM stats_cycles"
        " UNION ALL SELECT sop_id, kecamatan, period, 'returns', NULL, returns FROM stats_cycles"
        " UNION ALL SELECT sop_id, kecamatan, period, 'lead', lead_min, 1 FROM stats_cycles"
        " WHERE lead_min IS NOT NULL"
        " UNION ALL SELECT sop_id, kecamatan, period, 'sum', standard_sum_min, 1"
        " FROM stats_cycles) AS x GROUP BY 1, 2, 3, 4, 5) AS y WHERE n <> 0",
    )
    return sorted(kept, key=repr), sorted(counted, key=repr)


def test_the_changed_marks_and_groups_follow_every_change(stores, capsys, tmp_path):
    folder, url = stores
    on_pg = ("--data-dir", str(tmp_path / "pg-data"), "--store", url)
    _stats(capsys, on_pg, "--json", "--sop", "kalipare")  # a full look, the others left
    marked, without, kept, counted = _marks_and_groups(url)
    assert marked == without and len(marked) > 5  # every cycle left is looked at next time
    assert kept == counted
    expected, _ = _stats(capsys, on_pg, "--json", "--no-cache")
    assert _stats(capsys, on_pg, "--json")[0] == expected  # only the marked ones looked at
    marked, without, kept, counted = _marks_and_groups(url)
    assert marked == without == set() and kept == counted
    # a new cycle, a kept row's stamp changed and another's deleted behind the facts' back, a
    # cycle row's change number moved: each marked, the figures those of the logs
    write_cycle(
        TinyDBStore(folder), run(Log(KALIPARE, "k-new", "2026-T3", wib(1, 8, 0)), [(1, 8, 10)])
    )
    assert _run(("--data-dir", str(folder), "migrate", "--to", url)) == 0
    execute(
        url,
        "UPDATE stats_cycles SET stamp = 'marked' WHERE cycle_id = 'kalipare-a'",
        "DELETE FROM stats_cycles WHERE cycle_id IN ('m1', 'dawar-x')",
        "UPDATE cycles SET change_no = nextval('langkah_change') WHERE id = 'm2'",
    )
    marked, _, kept, counted = _marks_and_groups(url)
    assert {"k-new", "kalipare-a", "m1", "m2", "dawar-x"} <= marked and kept == counted
    assert _decisions(url)[0] == _decisions(url)[1]
    assert _cycle_values(url)[0] == _cycle_values(url)[1]
    expected, _ = _stats(capsys, on_pg, "--json", "--no-cache")
    assert json.loads(expected)["cycles"] == len(_logs()) + 1
    assert _stats(capsys, on_pg, "--json")[0] == expected
    marked, without, kept, counted = _marks_and_groups(url)
    assert marked == without == set() and kept == counted
    decisions, afresh = _decisions(url)
    assert decisions == afresh and len(decisions) >= 1
    values, afresh = _cycle_values(url)
    assert values == afresh and len(values) > 20
    # a new stamp (a day off added): a filtered run looks at every row and marks those it
    # leaves, so the next run, unfiltered, makes their facts again too
    (tmp_path / "pg-data").mkdir(exist_ok=True)
    (tmp_path / "pg-data" / "hari_libur.toml").write_text('[tambah]\n2026-10-05 = "Cuti"\n')
    _stats(capsys, on_pg, "--json", "--sop", "kalipare")
    marked, without, kept, counted = _marks_and_groups(url)
    assert marked == without and len(marked) > 5 and kept == counted
    expected, _ = _stats(capsys, on_pg, "--json", "--no-cache")
    assert _stats(capsys, on_pg, "--json")[0] == expected
    marked, without, kept, counted = _marks_and_groups(url)
    assert marked == without == set() and kept == counted


def _running_rows(url: str) -> list[tuple[object, ...]]:
    return execute_rows(url, "SELECT * FROM stats_running ORDER BY cycle_id")


def test_the_running_visits_kept_rows_follow_their_facts(stores, capsys, tmp_path):
    _, url = stores
    on_pg = ("--data-dir", str(tmp_path / "pg-data"), "--store", url)
    _stats(capsys, on_pg, "--json")
    running = execute_rows(url, "SELECT cycle_id FROM stats_cycles WHERE running IS NOT NULL")
    assert len(_running_rows(url)) == len(running) > 3
    # a running visit's start moved behind the facts' back (its row updated): its kept row
    # goes and is made again from the new start; another's facts deleted: its row goes too
    moved = running[0][0]
    execute(
        url,
        "UPDATE stats_cycles SET running = jsonb_set(running, '{2}',"
        " to_jsonb((running->>2)::timestamptz - interval '3 days'))"
        f" WHERE cycle_id = '{moved}'",
        f"DELETE FROM stats_cycles WHERE cycle_id = '{running[1][0]}'",
    )
    assert moved not in {r[0] for r in _running_rows(url)}
    out, _ = _stats(capsys, on_pg, "--json")
    kept = _running_rows(url)
    assert execute_rows(url, "SELECT count(*) FROM stats_running_todo") == [(0,)]
    # the same rows as made afresh for every facts row, and the same figures from them
    execute(url, "DELETE FROM stats_running")  # (listed again by its trigger)
    assert _stats(capsys, on_pg, "--json")[0] == out
    assert _running_rows(url) == kept and len(kept) == len(running)
    # with every row made, a run writes nothing: a role that may not write them still gets
    # the figures from SQL
    execute(
        url,
        "CREATE TRIGGER no_writes BEFORE INSERT OR DELETE ON stats_running"
        " FOR EACH STATEMENT EXECUTE FUNCTION langkah_append_only()",
        "CREATE TRIGGER no_writes BEFORE INSERT OR DELETE ON stats_running_todo"
        " FOR EACH STATEMENT EXECUTE FUNCTION langkah_append_only()",
    )
    again, err = _stats(capsys, on_pg, "--json")
    assert again == out and "computing in Python" not in err


# What migration 11 adds, taken away again: a database of schema 10 with its kept facts
_BACK_TO_10 = (
    "DROP TABLE stats_delay_ranks, stats_delay_ranks_todo",
    "CREATE OR REPLACE FUNCTION stats_delays_added() RETURNS trigger LANGUAGE plpgsql AS $$"
    " BEGIN INSERT INTO stats_delays AS d"
    " SELECT sop_id, kecamatan, period, step, verdict, delay_min, count(*)"
    " FROM added GROUP BY 1, 2, 3, 4, 5, 6"
    " ON CONFLICT (sop_id, kecamatan, period, step, verdict, delay_min)"
    " DO UPDATE SET visits = d.visits + EXCLUDED.visits; RETURN NULL; END $$",
    "CREATE OR REPLACE FUNCTION stats_delays_removed() RETURNS trigger LANGUAGE plpgsql AS $$"
    " BEGIN INSERT INTO stats_delays AS d"
    " SELECT sop_id, kecamatan, period, step, verdict, delay_min, -count(*)"
    " FROM removed GROUP BY 1, 2, 3, 4, 5, 6"
    " ON CONFLICT (sop_id, kecamatan, period, step, verdict, delay_min)"
    " DO UPDATE SET visits = d.visits + EXCLUDED.visits;"
    " DELETE FROM stats_delays WHERE visits = 0; RETURN NULL; END $$",
    "DELETE FROM langkah_schema WHERE version > 10",
)


# What migrations 8 to 11 add, taken away again: a database of schema 7 with its kept facts
_BACK_TO_7 = (
    *_BACK_TO_10,
    "DROP TRIGGER cycles_change_no_kept ON cycles",
    "DROP FUNCTION stats_cycle_row_deleted, langkah_new_change_no CASCADE",
    "ALTER TABLE stats_checked DROP COLUMN seen_change, DROP COLUMN waiting",
    "DROP TABLE stats_running, stats_running_todo, stats_decision_counts, stats_dirty,"
    " stats_groups, stats_cycle_values",
    "DROP FUNCTION stats_facts_row_changed, stats_groups_added,"
    " stats_groups_removed, stats_groups_moved, stats_running_added, stats_running_stale,"
    " stats_decisions_added, stats_decisions_removed, stats_cycle_values_added,"
    " stats_cycle_values_removed, stats_cycle_values_moved, stats_running_removed CASCADE",
    "DROP TRIGGER stats_decisions_fixed ON stats_decisions",
    "ALTER TABLE stats_decisions DROP COLUMN sop_id, DROP COLUMN kecamatan, DROP COLUMN period",
    "DELETE FROM langkah_schema WHERE version > 7",
    "UPDATE stats_checked SET token = 'a schema 7 token'",
)


def test_a_schema_7_database_with_kept_facts_is_upgraded(stores, capsys, tmp_path):
    from langkah.store import pg_schema

    _, url = stores
    on_pg = ("--data-dir", str(tmp_path / "pg-data"), "--store", url)
    expected, _ = _stats(capsys, on_pg, "--json")
    tables = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
    execute(url, *_BACK_TO_7)
    assert [r[0] for r in execute_rows(url, tables) if str(r[0]).startswith("stats_")] == [
        "stats_calendars", "stats_checked", "stats_cycles", "stats_decisions", "stats_delays",
        "stats_visits",
    ]  # fmt: skip
    assert execute_rows(url, "SELECT count(*) FROM stats_cycles") == [(len(_logs()),)]
    upgraded, _ = _stats(capsys, on_pg, "--json")  # migrations 8, 9: every row looked at once
    assert execute_rows(url, "SELECT max(version) FROM langkah_schema") == [(pg_schema.LATEST,)]
    assert upgraded == expected == _stats(capsys, on_pg, "--json", "--no-cache")[0]
    marked, without, kept, counted = _marks_and_groups(url)
    assert marked == without == set() and kept == counted and len(kept) > 5
    assert _decisions(url)[0] == _decisions(url)[1]
    assert _cycle_values(url)[0] == _cycle_values(url)[1]
    assert _stats(capsys, on_pg, "--json")[0] == expected  # warm, from the kept rows


def execute_rows(url: str, query: str) -> list[tuple[object, ...]]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute(query).fetchall()  # type: ignore[arg-type]


def _left_out(capsys, on_pg: tuple[str, ...]) -> str:
    """The warnings of a warm run over every cycle."""
    return _stats(capsys, on_pg, "--json")[1]


def test_a_change_committed_after_a_later_one_is_still_looked_at(stores, capsys, tmp_path):
    """A change number taken by a transaction that commits after one that took a later number
    (and after a run in between) is listed by the next run (schema 10, `advance`)."""
    import psycopg

    _, url = stores
    on_pg = ("--data-dir", str(tmp_path / "pg-data"), "--store", url)
    _stats(capsys, on_pg, "--json")
    with psycopg.connect(url) as slow:  # a transaction left open
        slow.execute(  # its number first; the row now names an event that is not stored
            "UPDATE cycles SET version = version + 1, change_no = nextval('langkah_change')"
            " WHERE id = 'kalipare-a'"
        )
        execute(url, "UPDATE cycles SET change_no = nextval('langkah_change') WHERE id = 'm2'")
        assert "kalipare-a" not in _left_out(capsys, on_pg)  # not committed: not seen yet
        waiting = execute_rows(url, "SELECT waiting FROM stats_checked")[0][0]
        assert isinstance(waiting, list) and len(waiting) == 1
        slow.commit()
    err = _left_out(capsys, on_pg)
    assert "kalipare-a" in err and "(tidak dihitung)" in err
    assert "kalipare-a" in _left_out(capsys, on_pg)  # and again (marked) on the next run
    assert execute_rows(url, "SELECT waiting FROM stats_checked") == [([],)]


def test_a_cycle_row_changed_behind_the_apps_back_is_looked_at(stores, capsys, tmp_path):
    """An update of a cycle row that does not take a new change number gets one (the
    cycles_change_no_kept trigger); a deleted cycle row's facts go (cycles_deleted_stats)."""
    _, url = stores
    on_pg = ("--data-dir", str(tmp_path / "pg-data"), "--store", url)
    before = json.loads(_stats(capsys, on_pg, "--json")[0])
    number = execute_rows(url, "SELECT change_no FROM cycles WHERE id = 'kalipare-a'")
    execute(url, "UPDATE cycles SET version = version + 1 WHERE id = 'kalipare-a'")
    moved = execute_rows(url, "SELECT change_no FROM cycles WHERE id = 'kalipare-a'")
    assert moved[0][0] > number[0][0]  # type: ignore[operator]
    err = _left_out(capsys, on_pg)
    assert "kalipare-a" in err and "(tidak dihitung)" in err
    execute(
        url,
        "SET langkah.repair = 'on'",
        "DELETE FROM events WHERE cycle_id = 'kalipare-a'",
        "DELETE FROM cycles WHERE id = 'kalipare-a'",
    )
    out, err = _stats(capsys, on_pg, "--json")
    assert "kalipare-a" not in err
    assert json.loads(out)["cycles"] == before["cycles"] - 1
    assert execute_rows(url, "SELECT count(*) FROM stats_cycles WHERE cycle_id = 'kalipare-a'") == [
        (0,)
    ]


def test_the_settled_change_number_advances_only_past_ended_writers():
    from langkah.store.pg_facts import advance

    # no writer: every number handed out is settled
    assert advance(5, [], 9, []) == (9, [])
    # a writer holds `cycles`: the look waits for it, the bound stays
    assert advance(5, [], 9, ["3/7"]) == (5, [[9, ["3/7"]]])
    # it ended, another began: the earlier look's value is settled, the new one waits
    assert advance(5, [[9, ["3/7"]]], 12, ["4/2"]) == (9, [[12, ["4/2"]]])
    # still there: nothing settled
    assert advance(5, [[9, ["3/7"]]], 12, ["3/7"]) == (5, [[9, ["3/7"]], [12, ["3/7"]]])
    # the sequence went back (set by hand): its old waiting values are dropped
    assert advance(-1, [[9, ["3/7"]]], 4, []) == (4, [])


# What migration 10 changes, put back: a database of schema 9 whose cycle rows are marked by the
# row trigger on every write
_BACK_TO_9 = (
    *_BACK_TO_10,
    "DROP TRIGGER cycles_change_no_kept ON cycles",
    "DROP TRIGGER cycles_deleted_stats ON cycles",
    "DROP FUNCTION stats_cycle_row_deleted, langkah_new_change_no",
    "ALTER TABLE stats_checked DROP COLUMN seen_change, DROP COLUMN waiting",
    "CREATE FUNCTION stats_cycle_row_changed() RETURNS trigger LANGUAGE plpgsql AS $$"
    " BEGIN IF TG_OP = 'DELETE' THEN INSERT INTO stats_dirty VALUES (OLD.id);"
    " ELSE INSERT INTO stats_dirty VALUES (NEW.id); END IF; RETURN NULL; END $$",
    "CREATE TRIGGER cycles_stats_dirty AFTER INSERT OR UPDATE OR DELETE ON cycles"
    " FOR EACH ROW EXECUTE FUNCTION stats_cycle_row_changed()",
    "DELETE FROM langkah_schema WHERE version > 9",
)


def test_a_schema_9_database_is_upgraded_keeping_its_marks(stores, capsys, tmp_path):
    _, url = stores
    on_pg = ("--data-dir", str(tmp_path / "pg-data"), "--store", url)
    expected, _ = _stats(capsys, on_pg, "--json")
    execute(url, *_BACK_TO_9)
    # a write under schema 9: marked by its trigger, as a schema 9 Langkah would have left it
    execute(url, "UPDATE cycles SET version = version + 1 WHERE id = 'm2'")
    assert execute_rows(url, "SELECT cycle_id FROM stats_dirty") == [("m2",)]
    triggers = "SELECT tgname FROM pg_trigger WHERE tgrelid = 'cycles'::regclass ORDER BY 1"
    out, err = _stats(capsys, on_pg, "--json")  # migration 10: the mark is still looked at
    assert "m2" in err and "(tidak dihitung)" in err
    names = [r[0] for r in execute_rows(url, triggers)]
    assert "cycles_stats_dirty" not in names and "cycles_change_no_kept" in names
    seen = execute_rows(url, "SELECT seen_change, token FROM stats_checked")
    assert seen[0][0] is not None and seen[0][1] != ""
    execute(url, "UPDATE cycles SET version = version - 1 WHERE id = 'm2'")
    assert _stats(capsys, on_pg, "--json")[0] == expected


def test_a_cached_or_reset_sequence_makes_every_look_a_full_one(stores, capsys, tmp_path):
    """Numbers handed out from per-session caches, or a sequence set back below the settled
    bound: no number can be trusted settled, every row is looked at (Listing.token set)."""
    from langkah.store.postgres_store import PostgresStore

    _, url = stores
    _stats(capsys, ("--data-dir", str(tmp_path / "pg-data"), "--store", url), "--json")
    stamp = execute_rows(url, "SELECT stamp FROM stats_cycles LIMIT 1")[0][0]
    store = PostgresStore(url)
    try:
        facts = store.stats_facts()
        assert facts.listing(str(stamp)).token is None  # warm: the kept token
        execute(url, "ALTER SEQUENCE langkah_change CACHE 10")
        assert facts.listing(str(stamp)).token is not None
        execute(url, "ALTER SEQUENCE langkah_change CACHE 1", "SELECT setval('langkah_change', 1)")
        assert facts.listing(str(stamp)).token is not None
    finally:
        store.close()
