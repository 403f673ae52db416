"""Exactly-once actions (action ids, --expect-*, a concurrent retry that loses the race) again on
the PostgreSQL store: the tests of tests/test_exactly_once.py, unchanged, with LANGKAH_STORE
naming a PostgreSQL schema."""

from __future__ import annotations

import pytest

from tests.test_exactly_once import (  # noqa: F401  (collected here a second time)
    cli,
    test_a_resent_complete_is_acknowledged_and_not_applied_twice,
    test_a_retry_after_a_lost_ack_is_acknowledged_even_with_its_stale_expectations,
    test_expect_version_refuses_unless_the_log_has_that_many_events,
    test_start_with_an_action_id_starts_one_cycle_only,
    test_the_loser_of_a_concurrent_retry_checks_the_id_before_reporting_a_conflict,
)

pytestmark = pytest.mark.needs_postgresql


@pytest.fixture(autouse=True)
def _on_postgresql(pg_url, monkeypatch):
    monkeypatch.setenv("LANGKAH_STORE", pg_url)
