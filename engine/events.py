"""The events of a cycle's append-only log: every action anyone takes is one of these."""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

# the hash chain lives in engine/chain_hash.py (no pydantic: the stores import it alone)
from langkah.engine.chain_hash import GENESIS as GENESIS
from langkah.engine.chain_hash import canonical_json as canonical_json
from langkah.engine.chain_hash import event_hash as event_hash
from langkah.engine.chain_hash import hashed_text as hashed_text


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


CODE_LENGTH = 12  # hex characters of the head hash printed as the verification code


def verification_code(head: str) -> str:
    """The short code a report prints for a log's head hash: 12 hex characters in groups of 4
    ("3f9a 0c1d 77e2"), enough to tell a rewritten log from the one printed."""
    short = head[:CODE_LENGTH]
    return " ".join(short[i : i + 4] for i in range(0, len(short), 4))


def normalize_code(text: str) -> str:
    """A typed verification code as hex: case, spaces and dashes ignored."""
    return re.sub(r"[\s\-]", "", text).lower()
