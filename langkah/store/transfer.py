"""Copying every cycle from one store to another (`langkah migrate --to TARGET`).

Cycle by cycle, each copy one atomic write on the target (a transaction, or a file renamed
into place), so a copy killed half-way leaves whole cycles or none, and running it again
copies only what is missing. Each log is checked against its own hash chain before it is
copied and read back from the target afterwards: the copy must be the same events, byte for
byte as hashed, with the same head (so verification codes printed before still match).
A cycle the target holds already is left alone when its log is the same ("already present"),
refused when it differs. Pinned definitions are copied with the cycles that name them, checked
against their SHA-256; drafts are copied when the target has none for that cycle.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from langkah.engine.events import GENESIS, Event, event_hash
from langkah.messages import Text, say, text_of
from langkah.store.base import CycleStore, StoredLog, StoreError
from langkah.store.chain import CHAINED_SCHEMA, chained_form, check_chain

COPIED, PRESENT = "copied", "already present"
Outcome = str | Text  # COPIED, PRESENT, or why the cycle was refused
BATCH = 500  # cycles per transaction on a target that takes a batch (PostgreSQL)


@dataclass
class CopyReport:
    """What a migration did: cycles by outcome, each refusal with its reason (a Text)."""

    total: int = 0
    copied: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)
    refused: dict[str, Text] = field(default_factory=dict)
    definitions: int = 0
    drafts: int = 0

    @property
    def done(self) -> int:
        return len(self.copied) + len(self.present) + len(self.refused)

    def line(self) -> Text:
        """ "2 copied, 1 already present[, 1 refused]", in either language."""
        copied, present = len(self.copied), len(self.present)
        if self.refused:
            return say(
                "migrate.counts_refused", copied=copied, present=present, refused=len(self.refused)
            )
        return say("migrate.counts", copied=copied, present=present)


def with_chain(log: StoredLog) -> StoredLog:
    """A schema-1 log with its hash chain added, as `langkah verify --upgrade` adds it
    (lossless: every event kept as it was, plus its `prev`); a chained log as it is."""
    schema = log.header.get("schema")
    if isinstance(schema, int) and schema >= CHAINED_SCHEMA:
        return log
    events: list[Any] = []
    prev = GENESIS
    for raw in log.events:
        stored = chained_form(raw, prev)
        events.append(stored)
        prev = event_hash(stored)
    header = {**log.header, "schema": CHAINED_SCHEMA, "head": prev}
    return StoredLog(log.cycle_id, header, events, {**log.summary, "head": prev})


def log_problem(log: StoredLog) -> Text | None:
    """Why `log` must not be copied (it does not verify, or an event cannot be read); None if
    it may."""
    check = check_chain(log.header, log.events)
    if check.problems:
        return say("migrate.not_verified", problem=check.problem)
    if not log.events:
        return say("migrate.no_events")
    for raw in log.events:
        try:
            Event.from_json({k: v for k, v in raw.items() if k != "prev"})
        except (ValidationError, TypeError, AttributeError) as error:
            first = str(error).splitlines()[0]
            seq = raw.get("seq", "?") if isinstance(raw, dict) else "?"
            return say("migrate.event_unreadable", seq=seq, detail=first)
    return None  # (check_chain has compared a chained log's head with its last event)


def same_log(a: StoredLog, b: StoredLog) -> bool:
    return a.events == b.events and a.header.get("head") == b.header.get("head")


class Migration:
    """Copies `source` into `target`; `tell` receives progress lines (Texts: a refusal is a
    "migrate.refused" one), to say in the reader's language."""

    def __init__(self, source: CycleStore, target: CycleStore, tell: Callable[[Text], None]):
        self.source, self.target, self.tell = source, target, tell
        self.report = CopyReport()
        self._definitions: dict[str, Text | None] = {}  # digest -> why it cannot be copied

    def run(self, every: int = 0) -> CopyReport:
        ids = self.source.cycle_ids()
        report = self.report
        report.total = len(ids)
        every = every or max(1, min(500, len(ids) // 20))
        batched = callable(getattr(self.target, "import_cycles", None)) and callable(
            getattr(self.target, "export_cycles", None)
        )
        size = min(BATCH, every) if batched else 1  # a progress line after each batch
        for start in range(0, len(ids), size):
            chunk = ids[start : start + size]
            outcomes = self.copy_batch(chunk) if batched else {}
            for position, cycle_id in enumerate(chunk, start=start + 1):
                outcome = outcomes.get(cycle_id) or self._copy_one_safely(cycle_id)
                self._count(cycle_id, outcome)
                if position % every == 0 or position == len(ids):
                    self.tell(
                        say("migrate.progress", done=position, total=len(ids), counts=report.line())
                    )
        finish = getattr(self.target, "finish_import", None)
        if report.copied and callable(finish):
            finish()  # e.g. PostgreSQL: table statistics of the rows copied, for the planner
        return report

    def _copy_one_safely(self, cycle_id: str) -> Outcome:
        try:
            return self.copy_one(cycle_id)
        except StoreError as error:
            return text_of(error)

    def _count(self, cycle_id: str, outcome: Outcome) -> None:
        report = self.report
        if outcome == COPIED:
            report.copied.append(cycle_id)
        elif outcome == PRESENT:
            report.present.append(cycle_id)
        else:
            reason = outcome if isinstance(outcome, Text) else say("as_given", detail=outcome)
            report.refused[cycle_id] = reason
            self.tell(say("migrate.refused", cycle_id=cycle_id, reason=reason))

    def copy_batch(self, cycle_ids: list[str]) -> dict[str, Outcome]:
        """Copy several cycles with one read of the target before, one transaction that
        stores the missing ones (all or none) and one read back: outcome by cycle, as
        `copy_one` gives it. A cycle left out (its batch's transaction failed, or the target
        could not be asked) is then copied alone by the caller."""
        target: Any = self.target
        logs: dict[str, StoredLog] = {}
        outcomes: dict[str, Outcome] = {}
        for cycle_id in cycle_ids:
            try:
                log = self.source.export_cycle(cycle_id)
            except StoreError as error:
                outcomes[cycle_id] = text_of(error)
                continue
            problem = log_problem(log)
            if problem is not None:
                outcomes[cycle_id] = say("migrate.log_refused", problem=problem, cycle_id=cycle_id)
                continue
            log = with_chain(log)
            digest = log.header.get("definition_digest")
            if isinstance(digest, str) and digest:
                why = self._copy_definition(digest)
                if why is not None:
                    outcomes[cycle_id] = why
                    continue
            logs[cycle_id] = log
        try:
            there = target.export_cycles(list(logs))
        except StoreError:
            return outcomes  # the rest one by one
        missing = [log for cycle_id, log in logs.items() if cycle_id not in there]
        for cycle_id, held in there.items():
            if cycle_id not in logs:
                continue
            if isinstance(held, StoreError):
                outcomes[cycle_id] = text_of(held)
            elif same_log(with_chain(held), logs[cycle_id]):
                outcomes[cycle_id] = self._with_draft(cycle_id, PRESENT)
            else:
                outcomes[cycle_id] = say(
                    "migrate.other_log", there=len(held.events), here=len(logs[cycle_id].events)
                )
        if not missing:
            return outcomes
        try:
            target.import_cycles(missing)
            back = target.export_cycles([log.cycle_id for log in missing])
        except StoreError:
            return outcomes  # nothing of this batch stored: the rest one by one
        for log in missing:
            copy = back.get(log.cycle_id)
            if isinstance(copy, StoreError) or copy is None:
                continue  # read again alone
            if not same_log(copy, log) or log_problem(copy) is not None:
                outcomes[log.cycle_id] = say("migrate.read_back_differs")
                continue
            outcomes[log.cycle_id] = self._with_draft(log.cycle_id, COPIED)
        return outcomes

    def _with_draft(self, cycle_id: str, outcome: str) -> Outcome:
        """`outcome` once the cycle's draft is copied too (refused if that failed)."""
        try:
            self._copy_draft(cycle_id)
        except StoreError as error:
            return text_of(error)
        return outcome

    def copy_one(self, cycle_id: str) -> Outcome:
        """COPIED, PRESENT, or why it was refused (a Text)."""
        log = self.source.export_cycle(cycle_id)
        problem = log_problem(log)
        if problem is not None:
            return say("migrate.log_refused", problem=problem, cycle_id=cycle_id)
        log = with_chain(log)
        digest = log.header.get("definition_digest")
        if isinstance(digest, str) and digest:
            why = self._copy_definition(digest)
            if why is not None:
                return why
        if self.target.has_cycle(cycle_id):
            there = self.target.export_cycle(cycle_id)
            if same_log(with_chain(there), log):
                self._copy_draft(cycle_id)
                return PRESENT
            return say("migrate.other_log", there=len(there.events), here=len(log.events))
        self.target.import_cycle(log)
        back = self.target.export_cycle(cycle_id)
        if not same_log(back, log) or log_problem(back) is not None:
            return say("migrate.read_back_differs")
        self._copy_draft(cycle_id)
        return COPIED

    def _copy_definition(self, digest: str) -> Text | None:
        if digest in self._definitions:
            return self._definitions[digest]
        why: Text | None = None
        try:
            problem = self.source.definition_problem(digest)
            text = self.source.get_definition(digest)
            if problem is None and hashlib.sha256(text.encode("utf-8")).hexdigest() != digest:
                problem = say("migrate.definition_hash")
            if problem is not None:
                why = say("migrate.definition_unverified", problem=problem)
            else:
                try:
                    there: str | None = self.target.get_definition(digest)
                except StoreError:
                    there = None  # missing: copied now
                if there is None:
                    self.target.put_definition(digest, text)
                    there = self.target.get_definition(digest)
                    self.report.definitions += 1
                if there != text:
                    why = say("migrate.definition_other", digest=digest[:12])
        except StoreError as error:
            why = say("migrate.definition_failed", problem=text_of(error))
        self._definitions[digest] = why
        return why

    def _copy_draft(self, cycle_id: str) -> None:
        draft = self.source.load_draft(cycle_id)
        if draft is not None and self.target.load_draft(cycle_id) is None:
            self.target.save_draft(cycle_id, draft)
            self.report.drafts += 1
