"""The CLI's end-to-end runs, again on the PostgreSQL store: every seed SOP from start to finish,
pause/resume/cancel and notes, the status table, ambiguous references. The tests are the ones
of tests/test_cli_cycles.py and tests/test_exactly_once.py, unchanged; only LANGKAH_STORE names
a PostgreSQL schema, so the service, the engine and the CLI run on top of the other store."""

from __future__ import annotations

import pytest

from tests.test_cli_cycles import (  # noqa: F401  (collected here a second time)
    cli,
    test_a_seed_sop_runs_start_to_finish,
    test_pause_resume_cancel_and_notes,
    test_status_shows_where_each_cycle_stands,
)

pytestmark = [pytest.mark.needs_postgresql, pytest.mark.usefixtures("on_postgresql")]
