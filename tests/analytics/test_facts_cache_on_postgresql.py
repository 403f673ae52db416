"""The kept facts of `langkah stats` on the PostgreSQL store: the tests of
tests/analytics/test_facts_cache.py, unchanged, with LANGKAH_STORE naming a PostgreSQL schema
(the facts file stays in the data folder; version and head come from the cycles table)."""

from __future__ import annotations

import pytest

from tests.analytics.test_facts_cache import (  # noqa: F401  (collected here a second time)
    app,
    clock,
    store,
    test_a_changed_holiday_file_recomputes_every_figure,
    test_cold_warm_and_later_equal_the_uncached_figures,
    test_cycles_acted_on_since_are_read_again,
    test_only_selected_and_changed_logs_are_read,
)

pytestmark = pytest.mark.needs_postgresql


@pytest.fixture(autouse=True)
def _on_postgresql(pg_url, monkeypatch):
    monkeypatch.setenv("LANGKAH_STORE", pg_url)
