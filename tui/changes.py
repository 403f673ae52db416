"""What a screen hears when other processes write cycles (posted by the overview's listener)."""

from __future__ import annotations

from textual.message import Message


class CyclesChanged(Message):
    """These cycles were written elsewhere (None: some writes were missed, e.g. the server
    restarted: whoever shows cycles reads them all again)."""

    def __init__(self, cycle_ids: frozenset[str] | None):
        super().__init__()
        self.cycle_ids = cycle_ids
