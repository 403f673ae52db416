"""The overview's filter choices (kecamatan, period, status), shared by the overview and its dialog.

Plain data with no domain import, so that the first screen stays light; which rows a choice
admits is decided by `langkah.tui.presenters.overview.accepts`.
"""

from __future__ import annotations

from dataclasses import dataclass

# The status choices the filter dialog offers (interface words, not engine values).
STATUS_CHOICES = ("open", "overdue", "finished", "cancelled")


@dataclass(frozen=True)
class Filters:
    """The chosen filters; `None` means "all". `query` is what was typed after `/`: a row is
    kept when its cells hold every word of it."""

    kecamatan: str | None = None
    period: str | None = None
    status: str | None = None
    query: str = ""
