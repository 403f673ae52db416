"""The hash chain of a cycle's log: what it proves, checked on the stored JSON as written.

Each stored event (schema 2) carries `prev`, the SHA-256 of the stored event before it (""
for the first); the header carries `head`, the hash of the last one. An event's hash covers
its whole stored form, `prev` included, so a change to any event (its content, its time, its
order) breaks a link that anyone can recompute. A schema-1 log has no links yet: its hashes
are computed as the upgrade will store them (each event plus the `prev` it will get), so a
verification code printed before the upgrade still matches after it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from langkah.engine.chain_hash import GENESIS, event_hash
from langkah.messages import Text, say

CHAINED_SCHEMA = 2  # the first schema whose events carry `prev`


@dataclass
class ChainCheck:
    """What checking one log's chain found: every problem (empty: it verifies), and the hash
    of each event as stored (`hashes[k-1]` is the head of the log's first k events).

    A problem is a Text (a "chain.*" key of langkah.messages and its parameters), said in the
    reader's language where it is shown; `str()` of it is the English."""

    problems: list[Text] = field(default_factory=list)
    hashes: list[str] = field(default_factory=list)
    chained: bool = True  # False: a schema-1 log (no links stored yet)
    definition_digest: str = ""  # the pinned definition the header names

    @property
    def head(self) -> str:
        return self.hashes[-1] if self.hashes else GENESIS

    @property
    def problem(self) -> Text | None:
        """The first problem (None: it verifies), saying how many more there are."""
        if not self.problems:
            return None
        more = len(self.problems) - 1
        first = self.problems[0]
        return say("chain.and_more", problem=first, more=more) if more else first


def chained_form(raw: dict[str, Any], prev: str) -> dict[str, Any]:
    """A schema-1 event as the upgrade stores it: unchanged, plus its `prev`."""
    return {**raw, "prev": prev}


def _seq(raw: Any) -> int:
    seq = raw.get("seq") if isinstance(raw, dict) else None
    return seq if isinstance(seq, int) else 0


def check_chain(header: dict[str, Any], raw_events: list[Any]) -> ChainCheck:
    """Check a log (its stored events, in any order) against itself and its header."""
    schema = header.get("schema")
    chained = isinstance(schema, int) and schema >= CHAINED_SCHEMA
    digest = header.get("definition_digest")
    result = ChainCheck(
        chained=chained, definition_digest=digest if isinstance(digest, str) else ""
    )
    problems = result.problems
    ordered = sorted([(_seq(e), e) for e in raw_events], key=_first)  # stable, as by seq
    events = [e for _, e in ordered]
    version = header.get("version")
    seqs = [seq for seq, _ in ordered]
    expected = list(range(1, len(events) + 1))
    if seqs != expected:
        missing = sorted(set(range(1, max(seqs, default=0) + 1)) - set(seqs))
        extra = sorted({s for s in seqs if seqs.count(s) > 1 or s < 1})
        if missing:
            problems.append(say("chain.event_missing", seq=missing[0]))
        if extra:
            problems.append(say("chain.event_repeated", seq=extra[0]))
    if isinstance(version, int) and version != len(events):
        if version > len(events):
            problems.append(
                say("chain.fewer_events", seq=len(events) + 1, version=version, count=len(events))
            )
        else:
            problems.append(
                say("chain.more_events", seq=version + 1, version=version, count=len(events))
            )
    prev = GENESIS
    last_at: dt.datetime | None = None
    for seq, raw in ordered:
        if not isinstance(raw, dict):
            problems.append(say("chain.not_object"))
            continue
        if chained:
            stored_prev = raw.get("prev")
            if stored_prev is None:
                problems.append(say("chain.no_link", seq=seq))
            elif stored_prev != prev:
                before = seq - 1
                problems.append(
                    say("chain.broken_link", seq=seq, before=before)
                    if before >= 1
                    else say("chain.first_linked")
                )
            digest = event_hash(raw)
        else:
            digest = event_hash(chained_form(raw, prev))
        at = _time(raw.get("at"))
        if at is not None and last_at is not None and at < last_at:
            problems.append(say("chain.time_backwards", seq=seq))
        last_at = at or last_at
        result.hashes.append(digest)
        prev = digest
    if chained:
        head = header.get("head")
        if not isinstance(head, str):
            problems.append(say("chain.no_head"))
        elif head != prev and not problems and events:
            problems.append(say("chain.last_differs", seq=_seq(events[-1])))
        elif head != prev and events and head not in result.hashes:
            problems.append(say("chain.head_unknown"))
    if events and isinstance(events[0], dict):
        data = events[0].get("data")
        if isinstance(data, dict):
            for name in ("cycle_id", "sop_id", "definition_digest", "period"):
                if name in header and name in data and header[name] != data[name]:
                    problems.append(say("chain.header_differs", name=name))
    return result


def _first(item: tuple[int, Any]) -> int:
    return item[0]


def _time(value: Any) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        at = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return at if at.tzinfo is not None else None
