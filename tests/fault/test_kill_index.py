"""Kill `langkah cancel` at every filesystem step of its write (LANGKAH_FAULT_KILL_AFTER=N), the
step between the cycle write and its overview-index line included: after each kill the paged
overview (the store's index: filters and order) agrees with the whole overview read from the
cycle files, whether the cancel landed or not."""

from __future__ import annotations

import shutil

from langkah.service import SummaryQuery
from langkah.store.tinydb_index import OverviewIndex
from tests.fault.conftest import NOW, open_app
from tests.fault.test_kill_points import run

MAX_STEPS = 12  # more than one action takes


def pending(data_dir) -> set[str]:
    """The cycles the index names as being written (a "b" line not ended)."""
    return OverviewIndex(data_dir, data_dir / "cycles").load().pending


def agree(data_dir) -> None:
    for status in (None, "open", "cancelled"):
        query = SummaryQuery(now=NOW, status=status)
        page = open_app(data_dir).overview_page(query)
        whole = open_app(data_dir).overview(NOW).rows
        kept = [
            r
            for r in whole
            if status is None or (status == "open" and r.status_is_open) or r.status.value == status
        ]
        assert [r.cycle_id for r in page.rows] == [r.cycle_id for r in kept], status
        assert page.total == len(kept)


def test_a_kill_at_any_step_of_a_write_leaves_the_index_true(tmp_path, data_dir, app, cycles):
    agree(data_dir)  # the index is built
    pristine = tmp_path / "pristine"
    shutil.copytree(data_dir, pristine)
    killed = landed = marked = 0
    for step in range(1, MAX_STEPS + 1):
        shutil.rmtree(data_dir)
        shutil.copytree(pristine, data_dir)  # the same start for each kill point
        agree(data_dir)  # the copy's index is current before the write
        result = run(data_dir, "cancel", cycles[0], "--reason", "batal", kill_after=step)
        if result.returncode == 0:
            break  # the write has fewer steps than this
        killed += 1
        marked += cycles[0] in pending(data_dir)
        status = open_app(data_dir).open_cycle(cycles[0]).state.status.value
        landed += status == "cancelled"
        agree(data_dir)
    assert killed >= 3 and landed >= 1  # kills before and after the cycle file was replaced
    assert marked >= 1  # and between the cycle write and its index line
    agree(data_dir)
    assert not pending(data_dir)  # all settled
