"""The finished visits' delays kept ranked per group and per variant and step
(`stats_delay_ranks`, schema 11, redone by stats_delays' triggers) follow the visits however
their rows change, and the percentiles that STEPS (langkah/analytics/sql.py) finds from them by
binary search, merged with the running visits' delays, are `percentile_cont`'s over every
visit, bit for bit, for every filter (a variant over all its periods from its kept row, over
some of them ranked afresh)."""

from __future__ import annotations

import json
import math
import random
from collections import defaultdict
from typing import Any

import pytest

from langkah.analytics import sql as stats_sql
from langkah.store import pg_facts, pg_schema
from tests.analytics import test_sql_stats
from tests.analytics.test_sql_stats import _BACK_TO_10, FILTERS, _stats, execute_rows
from tests.pg_support import execute

pytestmark = pytest.mark.needs_postgresql

stores = test_sql_stats.stores  # (the same logs, on both stores)

_Key = tuple[str, str, str | None, int]


def _ranks(url: str) -> tuple[list[Any], list[Any]]:
    """(stats_delay_ranks' rows, the same made afresh from stats_visits), both sorted."""
    kept = execute_rows(
        url,
        "SELECT sop_id, kecamatan, period, step, visits, on_time, late, pending, delays, upto"
        " FROM stats_delay_ranks",
    )
    rows = execute_rows(
        url, "SELECT sop_id, kecamatan, period, step, verdict, delay_min FROM stats_visits"
    )
    verdicts: dict[_Key, list[str]] = defaultdict(list)
    delays: dict[_Key, list[float]] = defaultdict(list)
    for sop, kecamatan, period, step, verdict, delay in rows:
        for key in ((sop, kecamatan, period, step), (sop, kecamatan, None, step)):
            verdicts[key].append(str(verdict))  # type: ignore[index]
            if delay is not None:
                delays[key].append(float(delay))  # type: ignore[index,arg-type]
    afresh = []
    for key, seen in verdicts.items():
        distinct = sorted(set(delays[key]))
        upto = [sum(1 for d in delays[key] if d <= value) for value in distinct]
        counts = [len(seen), seen.count("o"), seen.count("l"), seen.count("p")]
        afresh.append((*key, *counts, distinct, upto))
    return sorted(kept, key=repr), sorted(afresh, key=repr)


def _assert_ranks_kept(url: str) -> list[Any]:
    kept, afresh = _ranks(url)
    assert kept == afresh
    assert execute_rows(url, "SELECT count(*) FROM stats_delay_ranks_todo") == [(0,)]
    return kept


def _listed(url: str) -> set[tuple[Any, ...]]:
    """The (group, step) keys listed to be redone."""
    return set(execute_rows(url, "SELECT * FROM stats_delay_ranks_todo"))


def test_the_kept_ranks_follow_the_visits_however_they_change(stores, capsys, tmp_path):
    _, url = stores
    on_pg = ("--data-dir", str(tmp_path / "pg-data"), "--store", url)
    expected, _ = _stats(capsys, on_pg, "--json")  # cold: every facts row made
    kept = _assert_ranks_kept(url)
    assert any(row[2] is None for row in kept) and any(row[8] for row in kept)
    assert any(len(row[8]) > 1 for row in kept if row[2] is None)
    # a cycle's facts made again (its stamp changed), another's deleted with their cycle row,
    # every cycle of a group deleted (its rows go), a visit added and one deleted by hand
    execute(
        url,
        "UPDATE stats_cycles SET stamp = 'marked' WHERE cycle_id = 'kalipare-a'",
        "DELETE FROM stats_cycles WHERE cycle_id = 'm1'",
        "DELETE FROM stats_cycles WHERE period = '2026-T2'",
    )
    emptied = {tuple(row[:3]) for row in kept if row[2] == "2026-T2"}
    assert emptied and emptied <= {key[:3] for key in _listed(url)}
    # the listed keys are redone by the next run (its variants' rows too), once
    assert _stats(capsys, on_pg, "--json")[0] == expected  # the facts made again
    _assert_ranks_kept(url)
    execute(
        url,
        "INSERT INTO stats_visits SELECT cycle_id, seq + 1000, sop_id, kecamatan, period, step,"
        " round, 'l', coalesce(delay_min, 0) + 7.25, elapsed_min FROM stats_visits"
        " WHERE cycle_id = 'kalipare-a'",
        "DELETE FROM stats_visits WHERE cycle_id = 'm2' AND seq = 1",
    )
    assert _listed(url)
    assert _stats(capsys, on_pg, "--json")[0] != expected
    _assert_ranks_kept(url)
    execute(url, "DELETE FROM stats_visits WHERE seq > 1000")
    assert _stats(capsys, on_pg, "--json")[0] != expected  # (m2's visit is missing)
    _assert_ranks_kept(url)
    # a new stamp (a day off added): a filtered run makes some facts again, the next the rest
    (tmp_path / "pg-data").mkdir(exist_ok=True)
    (tmp_path / "pg-data" / "hari_libur.toml").write_text('[tambah]\n2026-10-05 = "Cuti"\n')
    _stats(capsys, on_pg, "--json", "--sop", "kalipare")
    _assert_ranks_kept(url)
    _stats(capsys, on_pg, "--json", "--no-cache")
    _stats(capsys, on_pg, "--json")
    _assert_ranks_kept(url)
    # a role that may not write them, with keys listed: the figures computed in Python
    expected, _ = _stats(capsys, on_pg, "--json", "--no-cache")
    execute(
        url,
        "CREATE TRIGGER no_writes BEFORE INSERT OR DELETE ON stats_delay_ranks"
        " FOR EACH STATEMENT EXECUTE FUNCTION langkah_append_only()",
        "UPDATE stats_cycles SET stamp = 'marked' WHERE cycle_id = 'k3'",
    )
    out, err = _stats(capsys, on_pg, "--json")
    assert out == expected and "computing in Python" in err and _listed(url)
    execute(url, "DROP TRIGGER no_writes ON stats_delay_ranks")
    out, err = _stats(capsys, on_pg, "--json")
    assert out == expected and "computing in Python" not in err
    _assert_ranks_kept(url)
    # made only by the runs: an update or a truncation by hand is refused
    for statement in ("UPDATE stats_delay_ranks SET visits = 0", "TRUNCATE stats_delay_ranks"):
        with pytest.raises(Exception, match="append-only"):
            execute(url, statement)


def _percentile(values: list[float], fraction: float) -> float | None:
    """percentile_cont(fraction) over `values`, in its float8 operations."""
    if not values:
        return None
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    lo, hi = ordered[math.floor(position)], ordered[math.ceil(position)]
    if math.floor(position) == math.ceil(position):
        return lo
    return lo + (hi - lo) * (position - math.floor(position))


def _captured(monkeypatch) -> list[tuple[dict[str, Any], Any]]:
    """Each aggregate call's (parameters, rows), recorded as the command runs."""
    calls: list[tuple[dict[str, Any], Any]] = []
    aggregate = pg_facts.PgFacts.aggregate

    def recording(self, wanted, running):  # type: ignore[no-untyped-def]
        rows = aggregate(self, wanted, running)
        calls.append(({**pg_facts._groups(wanted), **running}, rows))
        return rows

    monkeypatch.setattr(pg_facts.PgFacts, "aggregate", recording)
    return calls


def _expected_steps(url: str, params: dict[str, Any]) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    """Per (SOP, kecamatan, period or None, step): (visits, median, 90th percentile) over the
    finished visits of the wanted groups (stats_visits) and their running ones (TIMED)."""
    import psycopg

    wanted = set(zip(params["w_sop"], params["w_kec"], params["w_period"], strict=True))
    with psycopg.connect(url) as conn:
        timed = conn.execute(stats_sql.TIMED, params).fetchall()
        group_of = {
            r[0]: (r[1], r[2], r[3])
            for r in conn.execute("SELECT cycle_id, sop_id, kecamatan, period FROM stats_cycles")
        }
        finished = conn.execute(
            "SELECT sop_id, kecamatan, period, step, delay_min FROM stats_visits"
        ).fetchall()
    visits: dict[tuple[Any, ...], list[float | None]] = defaultdict(list)
    rows = [(*r[:4], r[4]) for r in finished]
    rows += [(*group_of[cycle], step, delay) for cycle, step, _, delay in timed]
    for sop, kecamatan, period, step, delay in rows:
        if (sop, kecamatan, period) in wanted:
            visits[(sop, kecamatan, period, step)].append(delay)
            visits[(sop, kecamatan, None, step)].append(delay)
    expected = {}
    for key, delays in visits.items():
        late = [d for d in delays if d is not None]
        expected[key] = (len(delays), _percentile(late, 0.5), _percentile(late, 0.9))
    return expected


def test_the_percentiles_are_percentile_conts_over_every_visit(
    stores, capsys, tmp_path, monkeypatch
):
    _, url = stores
    on_pg = ("--data-dir", str(tmp_path / "pg-data"), "--store", url)
    _stats(capsys, on_pg, "--json")  # the facts rows made
    calls = _captured(monkeypatch)
    _stats(capsys, on_pg, "--json")
    running = {
        (key[0], key[1], key[3])
        for key, value in _expected_steps(url, calls[-1][0]).items()
        if key[2] is not None and value[1] is not None
    }
    assert running
    # finished visits added around the delays there are (the running ones' included, so that
    # ties, values between and beyond them are merged): their cycles' facts still hold
    ours = random.Random(11)
    timed = execute_rows(url, "SELECT delay_min FROM stats_visits WHERE delay_min IS NOT NULL")
    pool = sorted({float(r[0]) for r in timed})  # type: ignore[arg-type]
    params = calls[-1][0]
    import psycopg

    with psycopg.connect(url) as conn:
        pool += [r[3] for r in conn.execute(stats_sql.TIMED, params) if r[3] is not None]
        cycles = conn.execute(
            "SELECT cycle_id, sop_id, kecamatan, period FROM stats_cycles ORDER BY 1"
        ).fetchall()
    inserts = []
    for n, (cycle, sop, kecamatan, period) in enumerate(cycles):
        for k in range(ours.randrange(0, 9)):
            step = ours.randrange(1, 8)
            delay = ours.choice(pool) + ours.choice([0.0, 0.0, 0.5, -0.25, 3.0])
            inserts.append(
                f"('{cycle}', {2000 + 10 * n + k}, '{sop}', '{kecamatan}', '{period}', {step},"
                f" 1, 'l', {delay!r}, 0)"
            )
    execute(url, "INSERT INTO stats_visits VALUES " + ", ".join(inserts))
    _stats(capsys, on_pg, "--json", "--sop", "kalipare")  # (every listed key redone)
    _assert_ranks_kept(url)
    merged = 0
    for filters in FILTERS:
        calls.clear()
        out, _ = _stats(capsys, on_pg, "--json", *filters)
        if not json.loads(out)["groups"]:
            continue
        params, rows = calls[-1]
        expected = _expected_steps(url, params)
        got = {(r[0], r[1], None if r[3] else r[2], r[4]): (r[5], r[9], r[10]) for r in rows.steps}
        assert got == expected, filters
        merged += sum(1 for key in got if (key[0], key[1], key[3]) in running)
    assert merged > 10


def test_a_schema_10_database_is_upgraded_with_its_ranks(stores, capsys, tmp_path):
    _, url = stores
    on_pg = ("--data-dir", str(tmp_path / "pg-data"), "--store", url)
    expected, _ = _stats(capsys, on_pg, "--json")
    execute(url, *_BACK_TO_10)
    execute(url, "DELETE FROM stats_cycles WHERE cycle_id = 'm1'")  # under schema 10
    assert _stats(capsys, on_pg, "--json")[0] == expected  # migration 11, m1's facts made
    assert execute_rows(url, "SELECT max(version) FROM langkah_schema") == [(pg_schema.LATEST,)]
    assert pg_schema.LATEST == 11
    assert len(_assert_ranks_kept(url)) > 10
    execute(url, "DELETE FROM stats_cycles WHERE cycle_id = 'kalipare-a'")  # the new triggers
    assert _listed(url)
    assert _stats(capsys, on_pg, "--json")[0] == expected
    _assert_ranks_kept(url)
