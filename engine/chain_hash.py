"""The hash chain of a cycle's log (docs/store-format.md, "The hash chain"): the canonical
bytes an event hashes as and its hash. Apart from engine/events.py's models (no pydantic here),
so that the stores import it without them; engine.events re-exports every name.
"""

from __future__ import annotations

import hashlib
import json
import json.encoder
import re
from typing import Any

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
