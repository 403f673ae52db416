"""The overview's rows after another clerk's action: just the changed cycles' rows replaced,
added or removed, the rest kept as loaded (no reload of the whole list). Pure: no Textual."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from langkah.views import ChangedRows, OverviewRow


@dataclass
class Merged:
    rows: list[OverviewRow]
    """Every row, most urgent first: the loaded ones with the changed ones in their place."""
    in_place: list[OverviewRow] = field(default_factory=list)
    """When the order of the rows did not change: the rows whose content did (their cells are
    updated where they are). Empty with `reordered`: the table is filled again from `rows`."""
    reordered: bool = False
    """A row was added, removed or moved."""
    outside: int = 0
    """Changed rows left out because they sort after the last loaded row of a partial list
    (they come with the later pages)."""


def merge_changed(
    rows: list[OverviewRow], changed: ChangedRows, *, complete: bool = True
) -> Merged:
    """`rows` (most urgent first) with the changed cycles' rows put in their sorted place and
    the removed ones dropped; a row that is unchanged keeps its place and its object.
    `complete=False`: `rows` are the first pages of a longer list (the store's order), so a
    changed row that would sort after the last row loaded (as it was loaded) is not added (it
    is counted in `outside`: it comes with the later pages, at the offsets the store gives)."""
    gone = {row.cycle_id for row in changed.rows} | set(changed.removed)
    kept = [row for row in rows if row.cycle_id not in gone]
    # A partial list is the start of the store's order: every row not loaded (and not changed)
    # sorts after the last row loaded, so a changed row belongs in it if it sorts before that.
    limit = rows[-1].urgency if rows else None
    outside = 0
    for row in sorted(changed.rows, key=lambda r: r.urgency):
        if not complete and (limit is None or row.urgency > limit):
            outside += 1
            continue
        bisect.insort_right(kept, row, key=lambda r: r.urgency)
    before = [row.cycle_id for row in rows]
    if [row.cycle_id for row in kept] != before:
        return Merged(kept, reordered=True, outside=outside)
    updated = {row.cycle_id for row in changed.rows}
    return Merged(kept, [row for row in kept if row.cycle_id in updated], outside=outside)
