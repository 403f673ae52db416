"""The kept facts of `langkah stats` on the PostgreSQL store: the scenarios of
tests/analytics/test_facts_cache.py with LANGKAH_STORE naming a PostgreSQL schema. There the
command keeps its facts as rows (`stats_cycles`, ...; langkah/store/pg_facts.py) and computes
the figures in SQL; the service's `analytics_facts` (the TUI's path) still keeps its file."""

from __future__ import annotations

import psycopg
import pytest

from tests.analytics.test_facts_cache import (  # noqa: F401, F811  (fixtures; collected twice)
    app,
    clock,
    later,
    scenarios,
    stats,
    store,
    test_a_changed_holiday_file_recomputes_every_figure,
    test_only_selected_and_changed_logs_are_read,
)

pytestmark = [pytest.mark.needs_postgresql, pytest.mark.usefixtures("on_postgresql")]


def kept(url: str) -> dict[str, tuple[int, str]]:
    """cycle id -> (version, head) of the kept facts' rows."""
    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute("SELECT cycle_id, version, head FROM stats_cycles").fetchall()
    return {cycle_id: (version, head) for cycle_id, version, head in rows}


def test_cold_warm_and_later_equal_the_uncached_figures(store, capsys, monkeypatch, pg_url):  # noqa: F811
    cold, _ = stats(capsys)
    assert len(kept(pg_url)) == 5
    assert cold == stats(capsys, "--no-cache")[0]
    warm, _ = stats(capsys)
    assert warm == cold
    later(monkeypatch, days=3)  # the running and paused visits are timed at the new now
    moved, _ = stats(capsys)
    assert moved == stats(capsys, "--no-cache")[0]
    assert moved["now"] != cold["now"]
    assert moved["groups"] != [dict(g) for g in cold["groups"]]  # running visits went late


def test_cycles_acted_on_since_are_read_again(store, app, capsys, pg_url):  # noqa: F811
    stats(capsys)
    running = store["running"].state.cycle_id
    step = store["running"].current_step
    app.record_inputs(running, {spec.id: scenarios.value_for(spec) for spec in step.inputs})
    app.complete(running)
    app.cancel(store["paused"].state.cycle_id, "selesai di luar aplikasi")
    before = kept(pg_url)
    partly, _ = stats(capsys)
    assert partly == stats(capsys, "--no-cache")[0]
    after = kept(pg_url)
    changed = {k for k in after if after[k] != before[k]}
    assert changed == {running, store["paused"].state.cycle_id}
    cancelled = [g for g in partly["totals"] if g["sop_id"].startswith("mentebah")]
    assert cancelled[0]["cycles_cancelled"] == 1


def _reltuples(url: str) -> dict[str, float]:
    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT relname, reltuples FROM pg_class WHERE oid = ANY(%s::regclass[])",
            [["stats_cycles", "stats_visits", "stats_decisions", "stats_delays"]],
        ).fetchall()
    return dict(rows)


def test_the_facts_tables_get_planner_statistics(store, capsys, monkeypatch, pg_url):  # noqa: F811
    """Never analyzed (autovacuum off or not come by yet), the facts tables are analyzed by the
    next run; a save of many cycles' facts analyzes them again (the plans of a warm run)."""
    from langkah.store import pg_facts

    assert set(_reltuples(pg_url).values()) == {-1}  # a fresh schema: never analyzed
    monkeypatch.setattr(pg_facts, "_ANALYZE_AFTER", 5)
    cold, _ = stats(capsys)
    counted = _reltuples(pg_url)
    assert counted["stats_cycles"] == 5  # analyzed after the 5 cycles' facts were saved
    assert min(counted.values()) >= 0
    assert stats(capsys)[0] == cold
