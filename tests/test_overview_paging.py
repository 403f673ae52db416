"""`Langkah.overview_page` (filters, order and paging in the store) against the whole overview
computed in memory (`Langkah.overview`, every row timed at `now`), on stores built by real
actions at random times; and summaries written before they carried due times."""

from __future__ import annotations

import random

import pytest

from langkah.service import Langkah, OverviewRow, SummaryQuery
from langkah.store.appended import read_cycle_document
from tests.engine_support import StepClock


def open_app(root, clock) -> Langkah:
    return Langkah.open(root / "data", root / "defs", clock=clock)


def build(app: Langkah, clock: StepClock, rng: random.Random, count: int) -> None:
    ids = []
    for _ in range(count):
        sop = rng.choice(["kalipare", "dawarblandong"])
        period = rng.choice(["2026-T3", "2026-T4"])
        ids.append(app.start(sop, period).state.cycle_id)
        clock.advance(minutes=rng.randint(1, 60))
        for _ in range(rng.randint(0, 3)):
            cycle_id = rng.choice(ids)
            view = app.open_cycle(cycle_id)
            if view.read_only or view.current_step is None:
                continue
            choice = rng.random()
            try:
                if view.state.status.value == "paused":
                    app.resume(cycle_id, "lanjut")
                elif choice < 0.5 and not view.current_step.decision:
                    inputs = {spec.id: "ya" for spec in view.current_step.inputs}
                    if inputs:
                        app.record_inputs(cycle_id, inputs)
                    app.complete(cycle_id)
                elif choice < 0.7:
                    app.pause(cycle_id, "menunggu")
                elif choice < 0.75:
                    app.cancel(cycle_id, "batal")
            except Exception:  # an action the step refuses (inputs of another kind): skipped
                pass
            clock.advance(minutes=rng.randint(1, 20))


def oracle(rows: list[OverviewRow], q: SummaryQuery) -> list[str]:
    kept = []
    for r in rows:
        if q.unit and not (r.kecamatan.lower() == q.unit.lower() or r.sop_id.startswith(q.unit)):
            continue
        if q.period and r.period.lower() != q.period.lower():
            continue
        if q.status == "open" and not r.status_is_open:
            continue
        if q.status == "overdue" and not (r.status_is_open and r.is_overdue):
            continue
        if q.status in ("finished", "cancelled", "paused", "active") and r.status.value != q.status:
            continue
        kept.append(r.cycle_id)
    return kept


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_page_of_the_store_is_a_slice_of_the_whole_overview(tmp_path, seed):
    rng = random.Random(seed)
    clock = StepClock()
    app = open_app(tmp_path, clock)
    build(app, clock, rng, 25)
    reader = open_app(tmp_path, clock)  # another process
    for _ in range(12):
        clock.advance(minutes=rng.randint(0, 400))  # time passes: cycles become late
        now = app.clock()
        whole = reader.overview(now).rows
        q = SummaryQuery(
            now=now,
            unit=rng.choice([None, "kalipare", "Dawarblandong"]),
            period=rng.choice([None, "2026-t4"]),
            status=rng.choice([None, "open", "overdue", "finished", "paused"]),
            limit=rng.choice([None, 3, 10]),
            offset=rng.choice([0, 2]),
        )
        page = reader.overview_page(q)
        expected = oracle(whole, q)
        end = None if q.limit is None else q.offset + q.limit
        assert [r.cycle_id for r in page.rows] == expected[q.offset : end], q
        assert page.total == len(expected)
        by_id = {r.cycle_id: r for r in whole}
        for row in page.rows:  # the same row as the whole overview shows
            assert row.timing == by_id[row.cycle_id].timing
            assert row.rank == by_id[row.cycle_id].rank


def test_summaries_without_due_times_are_recomputed_once(tmp_path, monkeypatch):
    clock = StepClock()
    app = open_app(tmp_path, clock)
    build(app, clock, random.Random(4), 8)
    for cycle_id in app.cycle_ids():  # as a Langkah before due times wrote them
        record = app.store.load(cycle_id)
        old = {
            k: v
            for k, v in record.summary.items()
            if k not in ("due_at", "near_at", "timed", "activity", "actors")
        }
        assert app.store.put_summary(cycle_id, record.version, record.head, old)
    fresh = open_app(tmp_path, clock)
    recomputed = []
    original = Langkah._recomputed_summary

    def counting(self, cycle_id):
        recomputed.append(cycle_id)
        return original(self, cycle_id)

    monkeypatch.setattr(Langkah, "_recomputed_summary", counting)
    now = app.clock()
    page = fresh.overview_page(SummaryQuery(now=now, limit=3))
    assert sorted(recomputed) == sorted(app.cycle_ids())
    assert [r.cycle_id for r in page.rows] == [r.cycle_id for r in app.overview(now).rows][:3]
    assert "due_at" in app.store.load(page.rows[0].cycle_id).summary
    recomputed.clear()
    open_app(tmp_path, clock).overview_page(SummaryQuery(now=now, limit=3))
    assert recomputed == []


def test_a_summary_edited_by_hand_is_recomputed_not_a_traceback(tmp_path, capsys):
    import json

    from langkah.cli.main import main

    clock = StepClock()
    app = open_app(tmp_path, clock)
    build(app, clock, random.Random(5), 4)
    victim = app.cycle_ids()[0]
    path = tmp_path / "data" / "cycles" / f"{victim}.json"
    data = read_cycle_document(path)
    data["cycle"]["1"]["summary"].update(due_at="soon", near_at=7, timed="ya")
    path.write_text(json.dumps(data))
    now = app.clock()
    page = open_app(tmp_path, clock).overview_page(SummaryQuery(now=now))
    assert [r.cycle_id for r in page.rows] == [r.cycle_id for r in app.overview(now).rows]
    assert page.problems == []
    code = main(["--data-dir", str(tmp_path / "data"), "status", "--json", "--limit", "2"])
    assert code == 0 and json.loads(capsys.readouterr().out)["total"] == 4


def test_a_page_read_that_folds_the_journal_still_gives_a_token_that_finds_later_writes(tmp_path):
    clock = StepClock()
    app = open_app(tmp_path, clock)
    build(app, clock, random.Random(5), 6)
    other = open_app(tmp_path, clock)
    (tmp_path / "data" / "overview-index" / "base.json").unlink(missing_ok=True)  # rebuilt
    page, token = app.overview_page_and_token(SummaryQuery(now=clock()))
    assert page.total == 6
    written = other.start("kalipare", "2027-T1").state.cycle_id
    assert app.changes_since(token).cycle_ids == {written}
