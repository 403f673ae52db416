"""The index row an append writes is encoded from the middle kept of the cycle's last row when
only the summary's version and head changed: the bytes must be those of the whole row encoded
afresh, whatever the actions in between changed."""

from __future__ import annotations

import json

import pytest

from langkah.service import Langkah
from langkah.store.tinydb_index import RowEncoder, summary_row
from langkah.store.tinydb_storage import dump_json
from tests.engine_support import StepClock


def _journal_row(root) -> list:
    return json.loads((root / "overview-index" / "journal").read_bytes().splitlines()[-1])[0]


def _expected_row(app: Langkah, root, cycle_id: str) -> list:
    st = (root / "cycles" / f"{cycle_id}.json").stat()
    summary = app.store.load(cycle_id).summary
    return summary_row(cycle_id, (st.st_ino, st.st_mtime_ns, st.st_size), summary, True)


def test_every_action_writes_the_row_of_the_file_it_wrote(tmp_path):
    """Notes (the kept middle reused), then actions that change the middle (inputs, a step
    completed, a pause, a resume, a holder named), each followed by notes again."""
    clock = StepClock()
    root = tmp_path / "data"
    app = Langkah.open(root, tmp_path / "defs", clock=clock)
    cycle_id = app.start("kalipare", "2026-T3").state.cycle_id
    steps = [
        lambda: app.note(cycle_id, "catatan pertama"),
        lambda: app.note(cycle_id, "catatan kedua"),
        lambda: app.submit(cycle_id, {"data_kinerja_iku": "ya"}),
        lambda: app.note(cycle_id, "sesudah isian"),
        lambda: app.pause(cycle_id, "menunggu data"),
        lambda: app.note(cycle_id, "selama jeda"),
        lambda: app.resume(cycle_id, "data datang"),
        lambda: app.note(cycle_id, 'tanda "kutip" dan \\ garis miring'),
    ]
    for step in steps:
        clock.advance(minutes=7)
        step()
        row = _journal_row(root)
        assert row == _expected_row(app, root, cycle_id)
    # and the bytes are dump_json's (the line is `[row, token]` written compactly)
    last = (root / "overview-index" / "journal").read_bytes().splitlines()[-1]
    assert last == dump_json(json.loads(last))


def _summary(**changes):
    summary = {
        "cycle_id": "kalipare-00001-abc123",
        "sop_id": "kalipare/pengukuran",
        "kecamatan": "Kalipare",
        "sop_name": "Pengukuran Kinerja",
        "period": "2026-T3",
        "status": "active",
        "current_step": 2,
        "activity": "Menyusun  laporan\tkinerja",
        "actors": "Kasubag Perencanaan",
        "holders": {"camat": "Budi Ürün"},
        "timed": True,
        "near_at": "2026-10-02T01:00:00+00:00",
        "due_at": "2026-10-02T03:00:00+00:00",
        "version": 3,
        "head": "ab" * 32,
    }
    summary.update(changes)
    return summary


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"version": 4, "head": "cd" * 32},  # the kept middle reused
        {"status": "paused"},
        {"holders": {"camat": 'Siti "Ani" \\ A'}},
        {"due_at": None, "near_at": None, "timed": False},
        {"head": "not a hex head"},  # no plain log key: encoded afresh
        {"head": 'x"y'},
    ],
)
def test_the_encoder_gives_the_bytes_of_the_whole_row(changes):
    encoder = RowEncoder()
    cycle_id = "kalipare-00001-abc123"
    first = _summary()
    assert encoder.encode(cycle_id, (1, 2, 3), first) == dump_json(
        summary_row(cycle_id, (1, 2, 3), first, True)
    )
    later = _summary(**changes)
    key = (7, 1_700_000_000_123_456_789, 4096)
    assert encoder.encode(cycle_id, key, later) == dump_json(
        summary_row(cycle_id, key, later, True)
    )


def test_a_summary_without_due_at_is_marked_stale_either_way():
    encoder = RowEncoder()
    cycle_id = "c1"
    summary = _summary()
    del summary["due_at"]
    encoder.encode(cycle_id, (1, 2, 3), summary)
    again = dict(summary, version=9)
    assert json.loads(encoder.encode(cycle_id, (1, 2, 3), again))[4] == 1
