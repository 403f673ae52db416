"""The worked example of docs/analytics.md, every figure computed by hand in the comments."""

from __future__ import annotations

import pytest

from langkah.analytics import Verdict, compute
from langkah.analytics.serialize import stats_json
from tests.analytics.support import EXAMPLE_NOW, KALIPARE, example_logs


@pytest.fixture(scope="module")
def stats():
    return compute(log.facts(EXAMPLE_NOW) for log in example_logs())


def test_the_visits_get_the_verdicts_worked_out_by_hand():
    a, b, c, d, e = (log.facts(EXAMPLE_NOW) for log in example_logs())
    ok, late = Verdict.ON_TIME, Verdict.LATE
    assert [v.verdict for v in a.visits] == [ok, late, ok, ok, late, ok]
    assert [v.delay_minutes for v in a.visits] == pytest.approx([0, 10, 0, 0, 15, 0])
    assert [v.verdict for v in b.visits] == [late, late, ok, ok, ok, late]
    assert [v.delay_minutes for v in b.visits] == pytest.approx([5, 30, 0, 0, 0, 10])
    assert [v.verdict for v in c.visits] == [ok, late]  # step 2 running, 55 of 30 minutes
    assert c.visits[1].delay_minutes == pytest.approx(25)
    assert [v.verdict for v in d.visits] == [ok, Verdict.STOPPED]
    assert d.visits[1].delay_minutes is None
    assert [v.verdict for v in e.visits] == [Verdict.PENDING]
    # lead time: A 10+40+60+10+30+5 = 155, B 20+60+40+15+10+15 = 160; only finished cycles
    assert a.lead_minutes == pytest.approx(155)
    assert b.lead_minutes == pytest.approx(160)
    assert c.lead_minutes is None and d.lead_minutes is None


def test_the_group_figures(stats):
    assert stats.cycles == 5
    (g,) = stats.groups
    assert (g.sop_id, g.kecamatan, g.period) == (KALIPARE, "Kalipare", "2026-T3")
    assert (g.cycles_started, g.cycles_finished, g.cycles_cancelled, g.cycles_open) == (5, 2, 1, 2)
    # judged: A 6 (4 on time), B 6 (3), C 2 (1), D 1 (1: step 2 stopped, not judged), E 0
    assert (g.steps_judged, g.steps_on_time, g.steps_late, g.steps_pending) == (15, 9, 6, 1)
    assert g.on_time_pct == pytest.approx(60.0)  # 9 / 15
    assert g.most_late_step is not None and g.most_late_step.step == 2  # late 3 times of 3
    assert (g.returns, g.returns_per_cycle, g.decisions) == (0, 0.0, ())
    assert g.lead_time_cycles == 2
    assert g.lead_time_median_minutes == pytest.approx(157.5)  # (155 + 160) / 2
    assert g.standard_sum_minutes == pytest.approx(140)  # 15 + 30 + 60 + 15 + 15 + 5
    assert g.lead_time_ratio == pytest.approx(1.125)  # 157.5 / 140
    assert g.unsummed_steps == ()


def test_the_step_figures(stats):
    steps = {s.step: s for s in stats.groups[0].steps}
    # step 1: delays A 0, B 5, C 0, D 0 (E pending) -> sorted 0 0 0 5
    #   median: position 1.5 -> 0; p90: position 3 x 0.9 = 2.7 -> 0 + 0.7 x (5 - 0) = 3.5
    s = steps[1]
    assert (s.visits, s.judged, s.on_time, s.late, s.pending) == (5, 4, 3, 1, 1)
    assert s.on_time_pct == pytest.approx(75)
    assert s.delay_median_minutes == pytest.approx(0)
    assert s.delay_p90_minutes == pytest.approx(3.5)
    # step 2: A 10, B 30, C 25 (running), D stopped -> 10 25 30: median 25;
    #   p90: position 2 x 0.9 = 1.8 -> 25 + 0.8 x 5 = 29
    s = steps[2]
    assert (s.visits, s.judged, s.on_time, s.late) == (4, 3, 0, 3)
    assert s.on_time_pct == pytest.approx(0)
    assert s.delay_median_minutes == pytest.approx(25)
    assert s.delay_p90_minutes == pytest.approx(29)
    # step 5: A 15, B 0 -> median 7.5; p90: position 0.9 -> 0 + 0.9 x 15 = 13.5
    s = steps[5]
    assert (s.judged, s.on_time_pct) == (2, pytest.approx(50))
    assert (s.delay_median_minutes, s.delay_p90_minutes) == pytest.approx((7.5, 13.5))
    # step 6: A 0, B 10 -> median 5, p90 9
    s = steps[6]
    assert (s.delay_median_minutes, s.delay_p90_minutes) == pytest.approx((5, 9))
    # steps 3 and 4: both on time in A and B
    for n in (3, 4):
        assert (steps[n].judged, steps[n].on_time_pct, steps[n].delay_p90_minutes) == (2, 100, 0)


def test_the_json_keys_of_the_worked_example(stats):
    data = stats_json(stats, EXAMPLE_NOW.isoformat(), {"sop": None})
    (g,) = data["groups"]
    assert g["on_time_pct"] == 60.0
    assert g["most_late_step"] == {"step": 2, "late": 3, "judged": 3}
    assert g["lead_time_median_min"] == 157.5
    assert g["standard_sum_min"] == 140.0
    assert g["lead_time_ratio"] == 1.12  # 1.125 rounded to 2 decimals (half to even)
    step2 = g["steps"][1]
    assert step2 == {
        "step": 2,
        "standard": "30 menit",
        "standard_kind": "duration",
        "visits": 4,
        "judged": 3,
        "on_time": 0,
        "late": 3,
        "pending": 0,
        "on_time_pct": 0.0,
        "delay_median_min": 25.0,
        "delay_p90_min": 29.0,
    }
    assert data["totals"][0]["period"] is None
    assert data["totals"][0]["steps_judged"] == 15
    assert data["step_table"]["columns"] == [{"sop_id": KALIPARE, "kecamatan": "Kalipare"}]
    assert [row["step"] for row in data["step_table"]["rows"]] == [1, 2, 3, 4, 5, 6]
