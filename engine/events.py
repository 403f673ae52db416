"""The events of a cycle's append-only log: every action anyone takes is one of these."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import json.encoder
import re
from enum import StrEnum
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


class EventType(StrEnum):
    STARTED = "started"
    INPUTS_RECORDED = "inputs_recorded"
    STEP_COMPLETED = "step_completed"
    DECISION_ANSWERED = "decision_answered"
    PAUSED = "paused"
    RESUMED = "resumed"
    CANCELLED = "cancelled"
    NOTE_ADDED = "note_added"
    ROLES_UPDATED = "roles_updated"


class Event(BaseModel):
    """One action: what, when (UTC), at which step, for which actor(s), recorded by whom.

    `seq` is the event's position in its cycle's log, from 1; `id` is unique across all logs.
    `data` holds what the action carries (see docs/store-format.md for each type).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    seq: int = Field(ge=1)
    type: EventType
    at: AwareDatetime
    step: int | None = None
    actors: tuple[str, ...] = ()
    by: str = ""
    data: dict[str, Any] = Field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Event:
        return cls.model_validate(data)

    @property
    def at_utc(self) -> dt.datetime:
        return self.at.astimezone(dt.UTC)


# -- the hash chain (docs/store-format.md, "The hash chain") ------------------------------------

GENESIS = ""
"""The `prev` of a log's first event: there is no event before it."""

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# `json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)`, with the
# encoder made once (json.dumps builds a new one on each call with these options)
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
# The C encoder that `_CANONICAL.encode` builds on every call (json.encoder.iterencode), built
# once with the same arguments: the same bytes without the per-call set-up (every event of a
# log read is hashed). No check for circular structures: JSON values have none.
_MAKE_C_ENCODER: Any = getattr(json.encoder, "c_make_encoder", None)  # private to json
_C_CANONICAL = (
    _MAKE_C_ENCODER(
        None,
        _CANONICAL.default,
        json.encoder.encode_basestring,
        None,
        ":",
        ",",
        True,
        False,
        True,
    )
    if _MAKE_C_ENCODER is not None
    else None
)


def _canonical_text(value: Any) -> str:
    if _C_CANONICAL is None:  # pragma: no cover - CPython has the C encoder
        return _CANONICAL.encode(value)
    return "".join(_C_CANONICAL(value, 0))


def canonical_json(value: Any) -> bytes:
    """The one byte string a JSON value hashes as: keys sorted, no whitespace, UTF-8.

    Text that cannot be UTF-8 (a lone surrogate, as undecodable bytes arrive in Python) is
    written as its JSON escape `\\udXXX` (lower-case hex), so equal values always give equal
    bytes."""
    text = _canonical_text(value)
    try:
        return text.encode("utf-8")  # fails exactly when the text has a lone surrogate
    except UnicodeEncodeError:
        text = _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
        return text.encode("utf-8")


def event_hash(stored: dict[str, Any]) -> str:
    """SHA-256 (hex) of a stored event: the event as written, its `prev` included."""
    return hashlib.sha256(canonical_json(stored)).hexdigest()


def hashed_text(stored: dict[str, Any]) -> tuple[bytes, str]:
    """`(canonical_json(stored), event_hash(stored))`, the text encoded once: a store that
    writes the canonical text as the event (PostgreSQL's JSONB) need not encode it again."""
    text = canonical_json(stored)
    return text, hashlib.sha256(text).hexdigest()


CODE_LENGTH = 12  # hex characters of the head hash printed as the verification code


def verification_code(head: str) -> str:
    """The short code a report prints for a log's head hash: 12 hex characters in groups of 4
    ("3f9a 0c1d 77e2"), enough to tell a rewritten log from the one printed."""
    short = head[:CODE_LENGTH]
    return " ".join(short[i : i + 4] for i in range(0, len(short), 4))


def normalize_code(text: str) -> str:
    """A typed verification code as hex: case, spaces and dashes ignored."""
    return re.sub(r"[\s\-]", "", text).lower()
