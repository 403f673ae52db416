"""Returns, calendar deadlines, pauses, periods and the step table, each figure by hand."""

from __future__ import annotations

import pytest

from langkah.analytics import Verdict, compute
from langkah.engine.cycle import CycleStatus
from tests.analytics.support import DAWARBLANDONG, KALIPARE, MENTEBAH, Log, run, wib


def _dawarblandong(cycle_id: str, answers: list[bool]) -> Log:
    """Steps 1-8 one minute each from Thursday 08.00; then step 9 answered in turn (a 'no'
    sends work back to step 7, which is done again with step 8); then 10 and 11."""
    log = Log(DAWARBLANDONG, cycle_id, "2026-T3", wib(1, 8, 0))
    minute = 0

    def tick():
        nonlocal minute
        minute += 1
        return wib(1, 8, minute)

    for _ in range(8):
        log.done(tick())
    for yes in answers:
        log.done(tick(), yes=yes)
        if not yes:
            log.done(tick())  # step 7 again
            log.done(tick())  # step 8 again
    log.done(tick())
    log.done(tick())
    return log


def test_returns_per_cycle_and_per_decision():
    x = _dawarblandong("x", [False, True])  # returned once at step 9, then agreed
    y = _dawarblandong("y", [True])
    z = Log(DAWARBLANDONG, "z", "2026-T3", wib(1, 8, 0))  # still at step 1
    assert x.state.status == CycleStatus.FINISHED and y.state.status == CycleStatus.FINISHED
    (g,) = compute(log.facts(wib(1, 9, 0)) for log in (x, y, z)).groups
    assert g.returns == 1
    assert g.returns_per_cycle == pytest.approx(1 / 3)  # 1 return over 3 cycles
    (d,) = g.decisions
    assert (d.step, d.answers, d.returns) == (9, 3, 1)  # x: tidak + setuju, y: setuju
    assert d.return_pct == pytest.approx(100 / 3)
    assert d.returns_per_cycle == pytest.approx(1 / 3)
    steps = {s.step: s for s in g.steps}
    assert steps[7].visits == 3 and steps[9].visits == 3  # x did 7, 8 and 9 twice
    assert steps[11].judged == 0  # step 11 (pengarsipan) has no standard
    assert steps[11].on_time_pct is None and steps[11].delay_median_minutes is None


def test_a_calendar_deadline_counts_from_the_end_of_its_day():
    # Mentebah step 2: "paling lambat tanggal 5 triwulan berikutnya"; for 2026-T3 that is
    # Monday 5 October 2026, so the step is late from Tuesday 6 October 00.00 WIB.
    now = wib(7, 8, 0)  # Wednesday 08.00
    on_time = run(Log(MENTEBAH, "m1", "2026-T3", wib(1, 8, 0)), [(1, 8, 20), (5, 15, 0)])
    late = run(Log(MENTEBAH, "m2", "2026-T3", wib(1, 8, 0)), [(1, 8, 20), (6, 9, 0)])
    running = run(Log(MENTEBAH, "m3", "2026-T3", wib(1, 8, 0)), [(1, 8, 20)])
    (g,) = compute(log.facts(now) for log in (on_time, late, running)).groups
    step2 = next(s for s in g.steps if s.step == 2)
    # delays: done Monday 15.00 -> 0; done Tuesday 09.00 -> 07.30-09.00 = 90;
    # running at Wednesday 08.00 -> Tuesday 450 (07.30-12.00, 13.00-16.00) + 30 = 480
    assert (step2.judged, step2.on_time, step2.late) == (3, 1, 2)
    assert step2.delay_median_minutes == pytest.approx(90)
    assert step2.delay_p90_minutes == pytest.approx(402)  # 90 + 0.8 x (480 - 90)
    # the sum of standards leaves out step 2 (a date) and step 7 (no time):
    # 30 + 1 + 1 + 1 + 2 hari (450 minutes each) + 30 = 2310
    assert g.standard_sum_minutes == pytest.approx(2310)
    assert g.unsummed_steps == (2, 7)


def test_paused_time_counts_neither_in_a_step_nor_in_the_lead_time():
    log = run(Log(KALIPARE, "p", "2026-T3", wib(1, 8, 0)), [(1, 8, 10), (1, 8, 30)])
    log.pause(wib(1, 8, 40)).resume(wib(1, 10, 40))  # two working hours paused in step 3
    run(log, [(1, 11, 10), (1, 11, 15), (1, 11, 20), (1, 11, 25)])
    facts = log.facts(wib(2, 9, 0))
    step3 = facts.visits[2]
    assert (step3.verdict, step3.elapsed_minutes) == (Verdict.ON_TIME, pytest.approx(40))
    assert facts.lead_minutes == pytest.approx(85)  # 10 + 20 + 40 + 5 + 5 + 5


def test_groups_by_period_in_time_order_with_a_total_per_variant():
    now = wib(1, 9, 5)  # Thursday 09.05
    # T3: step 1 10 minutes (on time), step 2 50 (+20), step 3 running 5 of 60 (pending)
    t3 = run(Log(KALIPARE, "k3", "2026-T3", wib(1, 8, 0)), [(1, 8, 10), (1, 9, 0)])
    # T2: step 1 20 minutes (+5), step 2 running 45 of 30 (+15, late)
    t2 = run(Log(KALIPARE, "k2", "2026-T2", wib(1, 8, 0)), [(1, 8, 20)])
    # the year 2026: step 1 running 65 of 15 (+50, late)
    year = Log(KALIPARE, "k26", "2026", wib(1, 8, 0))
    stats = compute(log.facts(now) for log in (t3, t2, year))
    assert [g.period for g in stats.groups] == ["2026", "2026-T2", "2026-T3"]  # by first day
    by_period = {g.period: g for g in stats.groups}
    assert by_period["2026-T3"].on_time_pct == pytest.approx(50)  # 1 of 2 judged
    assert by_period["2026-T3"].steps_pending == 1
    assert by_period["2026-T2"].on_time_pct == pytest.approx(0)  # 0 of 2
    (total,) = stats.totals
    assert total.period is None and total.cycles_started == 3
    assert (total.steps_judged, total.steps_on_time) == (5, 1)  # 2 + 2 + 1 judged
    assert total.on_time_pct == pytest.approx(20)
    step1 = total.steps[0]  # delays 0 (T3), 5 (T2), 50 (year): median 5, p90 5 + 0.8 x 45 = 41
    assert (step1.delay_median_minutes, step1.delay_p90_minutes) == pytest.approx((5, 41))


def test_the_step_table_sets_the_variants_side_by_side():
    now = wib(2, 9, 0)
    k = run(Log(KALIPARE, "k", "2026-T3", wib(1, 8, 0)), [(1, 8, 10)])
    m = run(Log(MENTEBAH, "m", "2026-T3", wib(1, 8, 0)), [(1, 9, 0)])  # step 1: 60 of 30
    stats = compute(log.facts(now) for log in (m, k))
    assert [(c.kecamatan, c.sop_id) for c in stats.columns] == [
        ("Kalipare", KALIPARE),
        ("Mentebah", MENTEBAH),
    ]
    rows = {row.step: row.cells for row in stats.step_table}
    assert sorted(rows) == [1, 2, 3, 4, 5, 6, 7, 8]  # Kalipare has 6 steps, Mentebah 8
    kalipare, mentebah = rows[1]
    assert (kalipare.on_time_pct, mentebah.on_time_pct) == (100, 0)
    assert mentebah.delay_median_minutes == pytest.approx(30)
    assert rows[7][0] is None  # Kalipare has no step 7
    assert rows[7][1] is not None and rows[7][1].visits == 0


def test_an_empty_selection_has_no_figures_not_zeros():
    stats = compute([])
    assert stats.empty and stats.groups == () and stats.step_table == ()


def test_the_most_late_step_breaks_ties_by_late_share_then_step():
    now = wib(1, 9, 10)  # Thursday 09.10
    # a: step 1 20 minutes (+5), step 2 40 (+10), step 3 running 10 of 60 (pending)
    a = run(Log(KALIPARE, "a", "2026-T3", wib(1, 8, 0)), [(1, 8, 20), (1, 9, 0)])
    # b: step 1 10 minutes (on time), step 2 running 30 of 30 (not past it: pending)
    b = run(Log(KALIPARE, "b", "2026-T3", wib(1, 8, 30)), [(1, 8, 40)])
    (g,) = compute(log.facts(now) for log in (a, b)).groups
    # both steps are late once; step 1 in 1 of 2 judged, step 2 in 1 of 1 -> step 2
    assert g.most_late_step is not None and g.most_late_step.step == 2
    assert g.steps_pending == 2
