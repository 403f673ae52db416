"""The repository interface the application uses; a server backend would implement the same."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from langkah.engine.events import Event

SCHEMA_VERSION = 1


class StoreError(Exception):
    """A store operation that failed; the message names the file and what to do."""


class CycleNotFound(StoreError):
    pass


class ConflictError(StoreError):
    """Another process changed the cycle since this one read it: reload and try again."""

    def __init__(self, cycle_id: str, expected: int, found: int):
        super().__init__(
            f"cycle {cycle_id} was changed elsewhere (version {found}, expected {expected}); "
            "reload it and try again"
        )
        self.cycle_id, self.expected, self.found = cycle_id, expected, found


class DamagedStoreError(StoreError):
    """A stored file that cannot be read; it is left in place (or set aside), never overwritten."""

    def __init__(self, path: Path, detail: str, repairable: bool = True):
        hint = " (`langkah repair` sets it aside and recovers what it can)" if repairable else ""
        super().__init__(f"{path}: damaged store file ({detail}){hint}")
        self.path = path
        self.repairable = repairable


@dataclass
class CycleRecord:
    """One stored cycle: its header, its whole log, and the version (= number of events)."""

    cycle_id: str
    header: dict[str, Any]
    events: list[Event]
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def version(self) -> int:
        return len(self.events)


@dataclass
class ListedSummaries:
    """Every cycle's stored summary, and the files that could not be read."""

    summaries: list[dict[str, Any]]
    problems: list[str]


class CycleStore(Protocol):
    """What the application needs from storage. Every write is durable when it returns."""

    @property
    def location(self) -> str:
        """Where the data lives, for people and messages (a folder, a database name)."""
        ...

    def create(
        self, cycle_id: str, header: dict[str, Any], first: Event, summary: dict[str, Any]
    ) -> None: ...

    def append(
        self, cycle_id: str, expected_version: int, events: list[Event], summary: dict[str, Any]
    ) -> int: ...

    def load(self, cycle_id: str) -> CycleRecord: ...

    def has_cycle(self, cycle_id: str) -> bool: ...

    def cycle_ids(self) -> list[str]: ...

    def summaries(self) -> ListedSummaries: ...

    def put_definition(self, digest: str, text: str) -> None: ...

    def get_definition(self, digest: str) -> str: ...

    def save_draft(self, cycle_id: str, draft: dict[str, Any]) -> None: ...

    def load_draft(self, cycle_id: str) -> dict[str, Any] | None: ...

    def clear_draft(self, cycle_id: str) -> None: ...

    def change_token(self) -> tuple[int, int]: ...
