"""The stats figure of bench/run.py on a small store: cold and warm measured, never judged
below 50,000 cycles; on PostgreSQL (when the test server answers) side by side, its JSON
checked equal to the embedded store's."""

from __future__ import annotations

import pytest

from bench import stats_bench, synth


def test_the_stats_figure_on_a_small_store(tmp_path):
    synth.build_store(tmp_path, 30)
    figures = stats_bench.figure_stats(tmp_path, 30, runs=1, pg=False)
    names = [f.name for f in figures]
    assert names[0] == "stats, 30 cycles (langkah stats --json), cold (every log replayed)"
    assert names[1] == "stats, 30 cycles (langkah stats --json), warm (facts kept)"
    assert all(f.measured.endswith(" s") and f.ok is None for f in figures[:2])
    assert (tmp_path / stats_bench.FACTS_CACHE).is_file()  # the warm runs had the facts
    assert "--big" in figures[1].budget and len(figures) == 3  # judged only at 50,000
    assert "read + replay" in figures[2].name and "aggregation" in figures[2].name


@pytest.mark.needs_postgresql
def test_the_postgresql_figures_beside_them(tmp_path, pg_database, monkeypatch):
    monkeypatch.setenv("LANGKAH_BENCH_PG", pg_database)
    synth.build_store(tmp_path, 30)
    rows = stats_bench.pg_figures(tmp_path, 30, runs=1, embedded_warm=1.0)
    names = [f.name for f in rows]
    assert names[0] == "PG: stats, 30 cycles (computed in SQL), cold (facts rows made)"
    assert names[1].startswith("PG: stats, 30 cycles (computed in SQL), warm (")
    assert rows[1].ok is None and "budget at 50,000" in rows[1].budget
    assert rows[2].measured == "same JSON as embedded" and rows[2].ok is None


def test_a_missed_postgresql_budget_fails_at_50000():
    rows = stats_bench.pg_rows(50_000, None, 0.9, True, embedded_warm=1.8)
    assert rows[0].ok is False and rows[0].budget == "<= 0.5 s"
    assert "0.50 x embedded" in rows[0].name
    assert stats_bench.pg_rows(50_000, None, 0.4, True, 1.8)[0].ok is True
    assert stats_bench.pg_rows(50_000, None, 0.4, False, 1.8)[1].ok is False  # JSON differs
