"""`query_summaries`, the overview's filters, order and paging in the store, against an oracle:
every stored summary filtered and sorted in memory (the rules of SummaryQuery's docstring).

Written against `CycleStore` only, like test_contract.py, so every backend runs it.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest

from langkah.engine.events import EventType
from langkah.engine.timing import urgency_rank
from langkah.store import CycleStore, SummaryQuery
from tests.store.test_contract import DIGEST, T0, event, header, started

NOW = T0 + dt.timedelta(days=3)
KECAMATAN = ("Kalipare", "Dawarblandong", "Kalipare Selatan")
SOPS = ("kalipare/lkjip", "kalipare/renja", "dawarblandong/ukur")
STATUSES = ("active", "paused", "finished", "cancelled")


def summary(cycle_id: str, rng: random.Random) -> dict[str, Any]:
    status = rng.choice(STATUSES)
    open_ = status in ("active", "paused")
    timed = open_ and rng.random() < 0.8
    due = near = None
    if timed and rng.random() < 0.9:
        due = NOW + dt.timedelta(minutes=rng.randint(-3000, 3000))
        if rng.random() < 0.3:
            due = NOW + dt.timedelta(minutes=rng.choice([-5, 5]))  # ties and near misses
        near = due - dt.timedelta(minutes=rng.randint(0, 2000))
        if rng.random() < 0.3:  # near the limit from the very `now` of some queries
            near = min(due, NOW + dt.timedelta(minutes=rng.choice([-5, 5])))
    return {
        "cycle_id": cycle_id,
        "sop_id": rng.choice(SOPS),
        "definition_digest": DIGEST,
        "kecamatan": rng.choice(KECAMATAN),
        "sop_name": rng.choice(["Penyusunan LKjIP", "Pengukuran Kinerja"]),
        "period": rng.choice(["2026-T3", "2026-T4", "2027-S1"]),
        "status": status,
        "current_step": 1 if open_ else None,
        "activity": rng.choice(["Menyusun laporan", "Memeriksa data", ""]),
        "actors": rng.choice(["Camat", "Tim Akuntabilitas Kinerja", ""]),
        "holders": rng.choice([{}, {"camat": "Budi Santoso"}, {"sekcam": "Siti Aminah"}]),
        "timed": timed,
        "near_at": near.isoformat() if near else None,
        "due_at": due.isoformat() if due else None,
    }


def fill(store: CycleStore, count: int, seed: int) -> dict[str, dict[str, Any]]:
    rng = random.Random(seed)
    stored = {}
    for n in range(count):
        cycle_id = f"c{n:03d}-{rng.getrandbits(16):04x}"
        s = summary(cycle_id, rng)
        head = {**header(cycle_id), "sop_id": s["sop_id"], "period": s["period"]}
        first = event(
            1,
            EventType.STARTED,
            cycle_id=cycle_id,
            sop_id=s["sop_id"],
            definition_digest=DIGEST,
            period=s["period"],
            roles={},
        )
        store.create(cycle_id, head, first, s)
        if rng.random() < 0.3:  # a later write replaces the summary (same SOP and period)
            s = {**summary(cycle_id, rng), "sop_id": s["sop_id"], "period": s["period"]}
            store.append(cycle_id, 1, [event(2)], s)
        stored[cycle_id] = s
    return stored


def instant(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


def oracle(stored: dict[str, dict[str, Any]], q: SummaryQuery) -> list[str]:
    """Every id the query selects, in its order, computed from the summaries in memory."""

    def kept(s: dict[str, Any]) -> bool:
        open_ = s["status"] in ("active", "paused")
        if q.sop_id and s["sop_id"] != q.sop_id:
            return False
        if q.unit and not (
            s["kecamatan"].lower() == q.unit.lower() or s["sop_id"].startswith(q.unit.lower())
        ):
            return False
        if q.period and s["period"].lower() != q.period.lower():
            return False
        due = instant(s["due_at"])
        if q.status == "open" and not open_:
            return False
        if q.status == "overdue" and not (open_ and due is not None and due < q.now):
            return False
        if q.status in STATUSES and s["status"] != q.status:
            return False
        text = " ".join(
            [s["cycle_id"], s["kecamatan"], s["sop_name"], s["period"], s["activity"], s["actors"]]
            + list(s["holders"].values())
        ).lower()
        return all(word in text for word in q.text.lower().split())

    def key(s: dict[str, Any]) -> tuple[int, float, str]:
        due, near = instant(s["due_at"]), instant(s["near_at"])
        open_ = s["status"] in ("active", "paused")
        rank = urgency_rank(open_, s["timed"], near, due, q.now)
        return (rank, due.timestamp() if due else float("inf"), s["cycle_id"])

    return [s["cycle_id"] for s in sorted(filter(kept, stored.values()), key=key)]


def queries(rng: random.Random) -> list[SummaryQuery]:
    found = [SummaryQuery(now=NOW), SummaryQuery(now=NOW, limit=10)]
    for minutes in (-5, 5):  # `now` at some rows' very due time: due then is not yet late
        at = NOW + dt.timedelta(minutes=minutes)
        found += [SummaryQuery(now=at), SummaryQuery(now=at, status="overdue")]
    for _ in range(40):
        found.append(
            SummaryQuery(
                now=NOW + dt.timedelta(minutes=rng.randint(-2000, 2000)),
                sop_id=rng.choice([None, None, *SOPS]),
                unit=rng.choice([None, None, "kalipare", "KALIPARE", "dawarblandong", "x"]),
                period=rng.choice([None, None, "2026-t4", "2027-S1"]),
                status=rng.choice([None, "open", "overdue", *STATUSES]),
                text=rng.choice(["", "", "budi", "laporan kalipare", "C00", "zzz", "tim"]),
                limit=rng.choice([None, 1, 5, 20]),
                offset=rng.choice([0, 0, 3, 50]),
            )
        )
    return found


@pytest.mark.parametrize("seed", [1, 2])
def test_a_page_is_the_slice_of_the_oracles_order(store, store_factory, seed):
    stored = fill(store, 70, seed)
    rng = random.Random(seed)
    for q in queries(rng):
        reader = rng.choice([store, store_factory()])  # this handle, or another process's
        page = reader.query_summaries(q)
        expected = oracle(stored, q)
        end = None if q.limit is None else q.offset + q.limit
        assert [s["cycle_id"] for s in page.summaries] == expected[q.offset : end], q
        assert page.total == len(expected), q
        assert page.problems == []


def test_pages_cover_the_whole_order_once(store):
    stored = fill(store, 45, 3)
    q = SummaryQuery(now=NOW, status="open")
    seen = []
    for offset in range(0, 60, 7):
        page = store.query_summaries(SummaryQuery(now=NOW, status="open", limit=7, offset=offset))
        seen += [s["cycle_id"] for s in page.summaries]
    assert seen == oracle(stored, q)


def test_the_page_carries_the_whole_summary_and_the_choices(store):
    stored = fill(store, 12, 4)
    page = store.query_summaries(SummaryQuery(now=NOW, limit=3))
    for s in page.summaries:
        assert {k: v for k, v in s.items() if k not in ("version", "head")} == stored[s["cycle_id"]]
    assert page.kecamatan == sorted({s["kecamatan"] for s in stored.values()})
    assert page.periods == sorted({s["period"] for s in stored.values()}, reverse=True)


def test_a_write_moves_the_cycle_in_the_next_query(store, store_factory):
    stored = fill(store, 10, 5)
    reader = store_factory()
    first = reader.query_summaries(SummaryQuery(now=NOW, limit=1)).summaries[0]["cycle_id"]
    last = reader.query_summaries(SummaryQuery(now=NOW)).summaries[-1]["cycle_id"]
    kept = {k: stored[last][k] for k in ("sop_id", "period")}
    late = {**summary(last, random.Random(0)), **kept, "status": "active", "timed": True}
    late["due_at"] = (NOW - dt.timedelta(days=30)).isoformat()
    version = store.load(last).version
    store.append(last, version, [event(version + 1)], late)
    page = reader.query_summaries(SummaryQuery(now=NOW, limit=1))
    assert page.summaries[0]["cycle_id"] == last != first


def test_an_empty_store_has_an_empty_page(store):
    page = store.query_summaries(SummaryQuery(now=NOW, limit=50))
    assert (page.summaries, page.total, page.problems) == ([], 0, [])


def test_a_summary_without_due_times_is_reported_stale(store):
    store.create(
        "old-1", header("old-1"), started("old-1"), {"cycle_id": "old-1", "status": "active"}
    )
    page = store.query_summaries(SummaryQuery(now=NOW))
    assert page.stale == ["old-1"]


def test_a_damaged_cycle_is_a_problem_not_a_row(backend, store):
    fill(store, 5, 6)
    first = store.query_summaries(SummaryQuery(now=NOW, limit=1)).summaries[0]
    victim = first["cycle_id"]
    version = store.load(victim).version  # a log of a few events, whose end is then lost
    store.append(victim, version, [event(version + 1), event(version + 2)], first)
    backend.damage(store, victim)
    page = backend.reopen(store).query_summaries(SummaryQuery(now=NOW))
    assert victim not in [s["cycle_id"] for s in page.summaries]
    assert page.total == 4
    assert len(page.problems) == 1 and victim in str(page.problems[0])
