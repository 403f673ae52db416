"""`langkah --demo`'s sample cycles: every action in office hours on a working day, whatever
day and hour the demo is opened at, and the four situations it promises."""

from __future__ import annotations

import datetime as dt

import pytest

from langkah.demo import seed_demo
from langkah.service import Langkah

SECOND = dt.timedelta(seconds=1)
UTC = dt.UTC


@pytest.mark.parametrize(
    "now",
    [
        dt.datetime(2026, 11, 30, 1, 0, tzinfo=UTC),  # Monday 08.00 WIB: the day just began
        dt.datetime(2026, 11, 29, 15, 0, tzinfo=UTC),  # Sunday 22.00 WIB
        dt.datetime(2026, 8, 17, 3, 0, tzinfo=UTC),  # Hari Kemerdekaan, a holiday
    ],
)
def test_every_sample_action_is_in_working_time(tmp_path, now):
    app = Langkah.open(tmp_path / "data", tmp_path / "defs", recorder=None)
    ids = seed_demo(app, now)
    for cycle_id in ids:
        view = app.open_cycle(cycle_id)
        calendar = app.calendar(view.definition)
        for event in app.store.load(cycle_id).events:
            assert event.at <= now
            # in working time (or at the very end of a working interval)
            assert calendar.working_minutes(event.at - SECOND, event.at + SECOND) > 0, (
                cycle_id,
                event.type,
                calendar.local(event.at),
            )
    states = [app.open_cycle(i).state for i in ids]
    assert [(s.current_step, s.status.value) for s in states] == [
        (4, "active"),
        (3, "active"),
        (7, "active"),  # sent back from 9 to 7
        (None, "finished"),
    ]
    assert states[2].total_returns == 1
