"""The stats figure of bench/run.py on a small store: cold and warm measured, never judged
below 50,000 cycles."""

from __future__ import annotations

from bench import stats_bench, synth


def test_the_stats_figure_on_a_small_store(tmp_path):
    synth.build_store(tmp_path, 30)
    figures = stats_bench.figure_stats(tmp_path, 30, runs=1)
    names = [f.name for f in figures]
    assert names[0] == "stats, 30 cycles (langkah stats --json), cold (every log replayed)"
    assert names[1] == "stats, 30 cycles (langkah stats --json), warm (facts kept)"
    assert all(f.measured.endswith(" s") and f.ok is None for f in figures[:2])
    assert (tmp_path / stats_bench.FACTS_CACHE).is_file()  # the warm runs had the facts
    assert "--big" in figures[1].budget and len(figures) == 3  # judged only at 50,000
    assert "read + replay" in figures[2].name and "aggregation" in figures[2].name
