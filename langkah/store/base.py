"""The storage port: the one interface the application uses, and every backend implements whole.

The TinyDB store (langkah.store.tinydb_store) implements it today; a PostgreSQL store will
implement the same, and tests/store/test_contract.py runs the same contract against each.
Nothing outside a backend reaches past this Protocol (no backend attributes, no file paths).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias

from langkah.engine.chain_hash import GENESIS, event_hash
from langkah.messages import AS_GIVEN, Text, say, text_of
from langkah.store.chain import ChainCheck

if TYPE_CHECKING:  # (the engine's model: not imported by `langkah stats`' lean path)
    from langkah.engine.events import Event

SCHEMA_VERSION = 2  # 2: events carry `prev`, the header `head` (the hash chain)


class StoreError(Exception):
    """A store operation that failed; the message names the file and what to do. Given a Text
    (langkah.messages), it says itself in either language (`.text`); `str()` is the English."""

    text: Text | None = None

    def __init__(self, message: str | Text = "", *args: object) -> None:
        if isinstance(message, Text):
            self.text = message
            message = message.message("en")
        super().__init__(message, *args)


class CycleNotFound(StoreError):
    pass


class IntegrityError(StoreError):
    """A cycle whose log or pinned definition does not verify: it may be read, never acted on."""

    def __init__(self, cycle_id: str, problem: Text):
        super().__init__(say("store.integrity", cycle_id=cycle_id, problem=problem))
        self.cycle_id, self.problem = cycle_id, problem


class LockTimeout(StoreError):
    """A writer waited longer than the lock timeout; the message names who holds the lock."""


class ConflictError(StoreError):
    """Another process changed the cycle since this one read it: reload and try again."""

    def __init__(self, cycle_id: str, expected: int, found: int):
        super().__init__(say("store.conflict", cycle_id=cycle_id, found=found, expected=expected))
        self.cycle_id, self.expected, self.found = cycle_id, expected, found


class DamagedStoreError(StoreError):
    """A stored file that cannot be read; it is left in place (or set aside), never overwritten."""

    def __init__(self, path: Path, detail: str | Text, repairable: bool = True):
        key = "store.damaged_repairable" if repairable else "store.damaged"
        super().__init__(say(key, path=path, detail=detail))
        self.path = path
        self.repairable = repairable


@dataclass
class CycleRecord:
    """One stored cycle: its header, its whole log, and the version (= number of events)."""

    cycle_id: str
    header: dict[str, Any]
    events: list[Event]
    summary: dict[str, Any] = field(default_factory=dict)
    integrity: Text | None = None
    """None when the log's hash chain verifies (or it has none yet: schema 1); else what
    differs (a Text, said in the reader's language). The record is still returned, so the
    cycle can be shown read-only."""
    head: str = ""
    """The hash of the last event as stored (the log's verification code is its start)."""

    @property
    def version(self) -> int:
        return len(self.events)


@dataclass
class ListedSummaries:
    """Every cycle's stored summary, and the files that could not be read."""

    summaries: list[dict[str, Any]]
    problems: list[Text]  # said in the reader's language where shown
    integrity: dict[str, Text] = field(default_factory=dict)
    """cycle id -> what does not verify, for the files read (not cached) in this listing or
    remembered from when they were read."""
    stale: list[str] = field(default_factory=list)
    """cycle ids whose stored summary disagrees with their log's header (version or head):
    the caller recomputes them from the log."""


STATUS_CHOICES = ("open", "overdue", "active", "paused", "finished", "cancelled")
"""What `SummaryQuery.status` may be: "open" is active or paused, "overdue" is open and past
its `due_at` at `now`; the others are the cycle's own status."""


@dataclass(frozen=True)
class SummaryQuery:
    """Which stored summaries the overview wants, in which order, which page of them.

    Filters (None or "" means any): `sop_id` exactly; `unit` a kecamatan name (any case) or
    the start of an SOP id; `period` (any case); `status` one of STATUS_CHOICES; `text` every
    word in the cycle's id, kecamatan, SOP name, period, current activity, its actors or
    their holders (any case). Order, most urgent first: `engine.timing.urgency_rank` at `now`
    (from the summary's `timed`, `near_at`, `due_at`), then `due_at` (None last), then the
    cycle id. `limit` None: every row from `offset` on.
    """

    now: dt.datetime
    sop_id: str | None = None
    unit: str | None = None
    period: str | None = None
    status: str | None = None
    text: str = ""
    limit: int | None = None
    offset: int = 0


@dataclass
class SummaryPage:
    """One page of the summaries a `SummaryQuery` selects, in its order, and how many it
    selects in all (`total`); `problems`, `integrity` and `stale` as in ListedSummaries, for
    the whole store (`stale`: summaries that must be recomputed before the order is exact);
    `kecamatan` and `periods`: every value present in the store (the filter dialog's
    choices)."""

    summaries: list[dict[str, Any]]
    total: int
    problems: list[Text] = field(default_factory=list)
    integrity: dict[str, Text] = field(default_factory=dict)
    stale: list[str] = field(default_factory=list)
    kecamatan: list[str] = field(default_factory=list)
    periods: list[str] = field(default_factory=list)


@dataclass
class Recovery:
    """What `recover` did to one stored cycle: ok, recovered, unrecoverable, newer or failed.

    `path` names the stored cycle for people (a file, or a database row's address); `aside`
    is where the damaged original was kept, when it was set aside. `outcome` is a stable
    English word (the CLI says it through the "outcome.*" messages); `message` says what was
    done, in either language.
    """

    cycle_id: str
    path: Path | str
    outcome: str
    message: Text
    aside: Path | str | None = None
    found: int = 0
    kept: int = 0


@dataclass
class StoredLog:
    """One cycle exactly as a store keeps it, for copying it to another store (`langkah
    migrate`): nothing is parsed or re-encoded, so every hash and verification code holds."""

    cycle_id: str
    header: dict[str, Any]
    """The stored header without the summary: schema, version, head, cycle_id, sop_id, ..."""
    events: list[Any]
    """Every event as stored (a JSON object with its `prev`), in seq order."""
    summary: dict[str, Any]


@dataclass(frozen=True)
class Changes:
    """What `changes_since` found: the token to ask with next time, and the ids of the cycles
    written (created, appended, repaired) or removed since the token given; None when the
    store cannot tell (no token given, or it was lost): the caller reloads everything."""

    token: Any
    cycle_ids: frozenset[str] | None


def salvaged_header(cycle_id: str, first: Event, old: dict[str, Any]) -> dict[str, Any]:
    """The header of a recovered cycle: from its first (start) event, else from what was left
    of the damaged header (`old`), as every backend's `recover` rebuilds it."""
    start = first.data
    return {
        "cycle_id": cycle_id,
        "sop_id": start.get("sop_id", old.get("sop_id", "")),
        "definition_digest": start.get("definition_digest", old.get("definition_digest", "")),
        "period": start.get("period", old.get("period", "")),
        "created_at": old.get("created_at") or first.at.isoformat(),
    }


Rebuild: TypeAlias = "Callable[[dict[str, Any], list[Event]], tuple[dict[str, Any], int]]"
"""`rebuild(header, events) -> (summary, usable)`: replay salvaged events on their definition;
`usable` is how many of them (from the first) could be applied."""


# events read from a damaged cycle, as stored
Salvaged: TypeAlias = "list[tuple[Event, dict[str, Any]]]"


def chain_prefix(found: Salvaged) -> tuple[Salvaged, Text | None]:
    """The events seq 1, 2, ... that the chain proves (each one's `prev` is the hash of the
    one before; among several copies of a seq, the one that links), and why it stops there.
    Events without a link (schema 1) are taken in seq order, the first copy winning."""
    by_seq: dict[int, Salvaged] = {}
    for item in found:
        by_seq.setdefault(item[0].seq, []).append(item)
    kept: Salvaged = []
    prev = GENESIS
    seq = 1
    while True:
        candidates = by_seq.get(seq)
        if not candidates:
            later = [s for s in by_seq if s > seq]
            return kept, (say("repair.event_unreadable", seq=seq) if later else None)
        linked = [c for c in candidates if c[1].get("prev", prev) == prev]
        if not linked:
            return kept, say("repair.event_unlinked", seq=seq, before=seq - 1)
        # several copies that link: the one the next event links to, else the first
        following = {c[1].get("prev") for c in by_seq.get(seq + 1, [])}
        chosen = next(
            (c for c in linked if "prev" in c[1] and event_hash(c[1]) in following), linked[0]
        )
        kept.append(chosen)
        prev = event_hash(chosen[1]) if "prev" in chosen[1] else prev
        seq += 1


@dataclass
class Salvage:
    """What `recover` keeps of a damaged cycle (`salvage`), before a backend stores it."""

    found: int  # events found readable
    kept: Salvaged  # the events kept, seq 1 on; empty: unrecoverable (no first event)
    reason: Text | None  # why the events after the kept ones were not kept
    header: dict[str, Any] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)
    failure: Text | None = None  # why the kept events could not be rebuilt

    def kept_message(self, problem: Text, aside_whole: Text, aside: str) -> Text:
        """The message of a recovered cycle: `aside_whole` says where the damaged original
        is kept, `aside` names that place for the events left out."""
        left = self.found - len(self.kept)
        kept, found = len(self.kept), self.found
        if left > 0:
            reason = self.reason or say(AS_GIVEN, detail="?")
            return say(
                "repair.kept_some",
                problem=problem,
                kept=kept,
                found=found,
                left=left,
                reason=reason,
                aside=aside,
            )
        return say("repair.kept", problem=problem, kept=kept, found=found, aside=aside_whole)


def recovery_text(outcome: str, problem: Text, aside: Text | None = None) -> Text:
    """The message of a repair that kept nothing: "newer" (left as it is), "unrecoverable"
    (`aside` says where the original is kept) or "failed" (`aside`: why it cannot be rebuilt),
    the same words for every backend."""
    if outcome == "newer":
        return say("repair.newer", problem=problem)
    if outcome == "unrecoverable":
        return say("repair.unrecoverable", problem=problem, aside=aside)
    return say("repair.failed", problem=problem, failure=aside)


def salvage(cycle_id: str, found: Salvaged, old: dict[str, Any], rebuild: Rebuild) -> Salvage:
    """The rule both backends' `recover` follow: the chain picks the events kept
    (`chain_prefix`); with no readable first (start) event nothing is kept; else the header is
    rebuilt (`salvaged_header`, from `old`, what is left of the damaged one) and the events
    replayed (`rebuild`), the kept ones cut at the first that does not replay."""
    kept, reason = chain_prefix(found)
    if not kept or kept[0][0].type != "started":
        return Salvage(len(found), [], reason)
    header = salvaged_header(cycle_id, kept[0][0], old)
    try:
        summary, usable = rebuild(header, [event for event, _ in kept])
    except (StoreError, KeyError, ValueError, TypeError) as error:
        return Salvage(len(found), kept, reason, header, failure=text_of(error))
    if usable < len(kept):
        reason = say("repair.event_not_replayed", seq=usable + 1)
        kept = kept[: max(usable, 1)]
    return Salvage(len(found), kept, reason, header, summary)


class CycleStore(Protocol):
    """What the application needs from storage. Every write is durable when it returns.

    Cycles: `create` writes a cycle with its first event; `append` adds events only if the log
    still has `expected_version` events (else ConflictError, nothing written) and returns the
    new version; `load` returns the whole log (CycleNotFound, DamagedStoreError). Each cycle
    carries the summary the overview reads, stored with every write.
    Definitions are immutable texts keyed by their SHA-256; drafts are what a person typed
    but has not submitted yet. Maintenance: `cleanup`, `check` and `recover`.
    """

    @property
    def location(self) -> str:
        """Where the data lives, for people and messages (a folder, a database name)."""
        ...

    def create(
        self, cycle_id: str, header: dict[str, Any], first: Event, summary: dict[str, Any]
    ) -> None: ...

    def exclusive(self, cycle_id: str) -> AbstractContextManager[None]:
        """While held, no other writer (thread or process) changes this cycle: a read, a
        decision and an append in the block cannot lose a race. Re-entrant; a wait longer than
        the backend's lock timeout raises LockTimeout naming the holder."""
        ...

    @property
    def optimistic_appends(self) -> bool:
        """True if `append`'s version check is atomic with its write across processes (one
        statement of one transaction: PostgreSQL), so that one action may read and append
        without `exclusive` (`optimistic`): a writer that got in between makes the append a
        ConflictError, nothing written. False: an action reads and appends inside `exclusive`
        (the folder store, whose lock is cheap and local)."""
        ...

    def optimistic(self, cycle_id: str) -> AbstractContextManager[None]:
        """The block of one action's read and append when `optimistic_appends`: no lock is
        taken (the store may give its `load` the log it read or wrote last, its `append`
        checking that nothing changed since); elsewhere the same as `exclusive`."""
        ...

    def append(
        self, cycle_id: str, expected_version: int, events: list[Event], summary: dict[str, Any]
    ) -> int: ...

    def load(self, cycle_id: str) -> CycleRecord:
        """The whole log (CycleNotFound, DamagedStoreError); `integrity` says whether its hash
        chain verifies."""
        ...

    def has_cycle(self, cycle_id: str) -> bool: ...

    def cycle_ids(self) -> list[str]: ...

    def summaries(self) -> ListedSummaries: ...

    def query_summaries(self, query: SummaryQuery) -> SummaryPage:
        """The page of stored summaries `query` selects, filtered, ordered and cut in the
        store (its cost follows the page, not the number of cycles)."""
        ...

    def put_definition(self, digest: str, text: str) -> None: ...

    def get_definition(self, digest: str) -> str:
        """The text stored under `digest` (StoreError if it is missing)."""
        ...

    def definition_source(self, digest: str) -> str:
        """Where the definition stored under `digest` lives, for messages."""
        ...

    def definition_problem(self, digest: str) -> Text | None:
        """None if the definition stored under `digest` still has that SHA-256 (or is missing:
        `get_definition` says so); else what differs (emptied or changed)."""
        ...

    def save_draft(self, cycle_id: str, draft: dict[str, Any]) -> None: ...

    def load_draft(self, cycle_id: str) -> dict[str, Any] | None: ...

    def clear_draft(self, cycle_id: str) -> None: ...

    def export_cycle(self, cycle_id: str) -> StoredLog:
        """The cycle exactly as stored (CycleNotFound, DamagedStoreError if unreadable)."""
        ...

    def import_cycle(self, log: StoredLog) -> None:
        """Store a log exactly as given, all or nothing (StoreError if the cycle exists)."""
        ...

    def change_token(self) -> tuple[int, int]:
        """A value that changes whenever any process writes a cycle (cheap to poll)."""
        ...

    def changes_since(self, token: Any) -> Changes:
        """Which cycles any process wrote since `token` (a `Changes.token`; None: the first
        call, which says "can't tell"). Cheap enough to poll every few seconds."""
        ...

    @property
    def pushes_changes(self) -> bool:
        """True if `watch` reports other processes' writes as they commit (PostgreSQL's
        LISTEN/NOTIFY); False if the caller must poll `changes_since` (files)."""
        ...

    def watch(self, stop: threading.Event) -> Iterator[frozenset[str] | None]:
        """Until `stop` is set: the ids of the cycles each batch of commits wrote, soon after
        they commit (None: some were missed, e.g. the server restarted: reload everything).
        Runs on its own connection, in the caller's thread; a store that does not push
        returns at once."""
        ...

    # -- maintenance ------------------------------------------------------------------------

    def cleanup(self) -> int:
        """Remove what writers that were killed left behind; returns how many items."""
        ...

    def put_summary(self, cycle_id: str, version: int, head: str, summary: dict[str, Any]) -> bool:
        """Replace a cycle's stored summary, only if its log is still at `version` and `head`
        (the log is not touched); True if stored."""
        ...

    def verify(self, cycle_id: str) -> ChainCheck:
        """Check a cycle's log against its hash chain and header, as stored."""
        ...

    def upgrade(self, cycle_id: str) -> bool:
        """Store the hash chain in a log written before it existed (lossless); True if done."""
        ...

    def check(self, cycle_id: str) -> DamagedStoreError | None:
        """None if the cycle loads; else the error that says why it does not (CycleNotFound
        if there is none)."""
        ...

    def recover(self, cycle_id: str, rebuild: Rebuild) -> Recovery:
        """Keep a damaged cycle's original aside and store what can be recovered from it.

        A cycle that loads is left alone (outcome "ok"); so is one a newer Langkah wrote
        ("newer"). Otherwise the gapless prefix of salvaged events that `rebuild` can replay is
        stored ("recovered"), or nothing is ("unrecoverable", "failed"); the original is never
        lost.
        """
        ...
