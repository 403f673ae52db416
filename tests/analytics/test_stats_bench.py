"""The stats figure of bench/run.py on a small store: measured, scaled, never judged below 50k."""

from __future__ import annotations

from bench import stats_bench, synth


def test_the_stats_figure_on_a_small_store(tmp_path):
    synth.build_store(tmp_path, 30)
    figures = stats_bench.figure_stats(tmp_path, 30, runs=1)
    names = [f.name for f in figures]
    assert names[0] == "stats, 30 cycles (langkah stats --json)"
    assert figures[0].measured.endswith(" s") and figures[0].ok is None
    scaled = figures[1]
    assert scaled.name.startswith("stats, scaled linearly to 50,000")
    assert scaled.ok is None and scaled.ratio is not None and scaled.ratio > 0
    assert "read + replay" in figures[2].name and "aggregation" in figures[2].name
