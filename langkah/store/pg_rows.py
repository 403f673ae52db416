"""The PostgreSQL store's rows: how a cycle, its summary and its events become row values, the
SQL every part of the store shares, and the error of a row that cannot be read as a log.

Pure (no connection): the store's modules (langkah.store.pg_*) build their statements from these.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from psycopg.types.json import Jsonb

from langkah.engine.chain_hash import hashed_text
from langkah.messages import Text, say
from langkah.store import pg_json
from langkah.store.base import SCHEMA_VERSION, DamagedStoreError, StoreError

if TYPE_CHECKING:  # (the engine's model: not imported by `langkah stats`' lean path)
    from langkah.engine.events import Event

# the indexed columns of a cycle row, filled from its header and summary (`columns`)
CYCLE_COLUMNS = "id, sop_id, kecamatan, period, status, current_step, due_at, version, head"
INSERT_CYCLE = (
    f"INSERT INTO cycles ({CYCLE_COLUMNS}, summary, header)"
    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO NOTHING"
)
COPY_CYCLES = f"COPY cycles ({CYCLE_COLUMNS}, summary, header) FROM STDIN"
INSERT_EVENT = "INSERT INTO events (cycle_id, seq, event, hash) VALUES (%s, %s, %s, %s)"
COPY_EVENTS = "COPY events (cycle_id, seq, event, hash) FROM STDIN"
# the summary and the columns read from it; change_no tells `changes_since` the row changed
SET_SUMMARY = (
    "summary = %s, kecamatan = %s, status = %s, current_step = %s, due_at = %s,"
    " change_no = nextval('langkah_change')"
)
# a cycle row whose last event is missing: joined in by every listing (`e.hash IS NULL`)
LAST_EVENT = "LEFT JOIN events e ON e.cycle_id = c.id AND e.seq = c.version"


class DamagedRowError(DamagedStoreError):
    """A stored cycle whose rows cannot be read as a log; `path` is the row's address."""

    def __init__(self, address: str, detail: str | Text, repairable: bool = True):
        key = "store.damaged_row_repairable" if repairable else "store.damaged_row"
        StoreError.__init__(self, say(key, path=address, detail=detail))
        self.path = address  # type: ignore[assignment]  # an address, not a file
        self.repairable = repairable


def missing_last(address: str, version: int) -> DamagedRowError:
    """The problem of a cycle row whose last event row is missing."""
    return DamagedRowError(address, say("damage.last_missing", version=version))


def head_differs(version: int) -> Text:
    """A row whose last event's hash is not its head: the last event (seq `version`) or the
    row was changed."""
    return say("chain.last_differs_row", seq=version)


def column_text(value: Any) -> str:
    """A summary value as the text of an indexed column (NUL and lone surrogates dropped: the
    exact value stays in the JSONB summary)."""
    if not isinstance(value, str):
        return ""
    return value.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")


def due_at(value: Any) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        at = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return at if at.tzinfo is not None else None


def _as_is(text: str) -> str:
    return text


def jsonb(value: Any) -> Jsonb:
    """A value as a JSONB parameter, encoded now (`pg_json.encode`)."""
    return Jsonb(pg_json.encode(value), dumps=_as_is)


def columns(header: dict[str, Any], summary: dict[str, Any]) -> list[Any]:
    """sop_id, kecamatan, period, status, current_step, due_at (the indexed columns)."""
    step = summary.get("current_step")
    return [
        column_text(header.get("sop_id", summary.get("sop_id"))),
        column_text(summary.get("kecamatan")),
        column_text(header.get("period", summary.get("period"))),
        column_text(summary.get("status")),
        step if isinstance(step, int) and not isinstance(step, bool) else None,
        due_at(summary.get("due_at")),
    ]


def summary_params(header: dict[str, Any], summary: dict[str, Any]) -> list[Any]:
    """The parameters of SET_SUMMARY."""
    found = columns(header, summary)
    return [jsonb(summary), found[1], *found[3:]]


def static_header(header: dict[str, Any]) -> dict[str, Any]:
    """The header as the `header` column keeps it: without what the row's columns hold."""
    return {k: v for k, v in header.items() if k not in ("version", "head", "summary")}


def full_header(header: Any, version: int, head: str) -> dict[str, Any]:
    """The header a record carries: the stored one with the row's version and head."""
    static = header if isinstance(header, dict) else {}
    return {**static, "version": version, "head": head}


def chained(events: list[Event], head: str) -> tuple[list[tuple[int, Jsonb, str]], str]:
    """The event rows (seq, stored event, hash) of `events` appended after `head`, and the
    new head. Each stored event is encoded once: the canonical text its hash is of
    (`event_hash`) is its JSONB text too, unless something in it needs a mark (pg_json)."""
    rows = []
    for event in events:
        stored = {**event.to_json(), "prev": head}
        canonical, head = hashed_text(stored)
        text = pg_json.encode_as(stored, canonical.decode("utf-8"))
        rows.append((event.seq, Jsonb(text, dumps=_as_is), head))
    return rows, head


def checked_header(address: str, header: Any) -> dict[str, Any]:
    """The stored header, refused (DamagedRowError) if it is not one this Langkah reads."""
    if not isinstance(header, dict) or not isinstance(header.get("schema"), int):
        raise DamagedRowError(address, say("damage.no_header"))
    schema = header["schema"]
    if schema > SCHEMA_VERSION:
        raise DamagedRowError(
            address,
            say("damage.newer", schema=schema, reads=SCHEMA_VERSION),
            repairable=False,
        )
    return header
