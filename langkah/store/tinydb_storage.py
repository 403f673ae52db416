"""A TinyDB storage that writes atomically and durably, and can group writes in a transaction.

TinyDB's own JSONStorage rewrites the file in place (a crash can tear it) and every table
operation is a separate write; here a write is temp + fsync + rename, and `transaction()` turns
several table operations into one such write (or none, if the block raises).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pydantic_core
from pydantic_core import PydanticSerializationError
from tinydb.storages import Storage

from langkah.messages import say
from langkah.store.atomic import FileKey, atomic_write, read_regular
from langkah.store.base import DamagedStoreError


def read_json(path: Path) -> dict[str, Any] | None:
    """The JSON object in `path`; None if there is no file; DamagedStoreError if unreadable
    (UnreadableFile if it is not a regular file, is too large, or may not be read)."""
    try:
        raw = read_regular(path)
    except FileNotFoundError:
        return None
    return parse_json(path, raw)


def parse_json(path: Path, raw: bytes) -> dict[str, Any]:
    """The JSON object in `raw` (read from `path`); DamagedStoreError if it is not one."""
    if not raw.strip():
        raise DamagedStoreError(path, say("damage.empty"))
    try:
        # pydantic-core's parser: the same values as `json.loads`, in half its time (the
        # first action on a cycle reads its file). It refuses what `json.loads` reads back
        # (lone surrogates written as escapes), and its messages are its own: `json.loads`
        # then reads the file, or says what is wrong with it.
        data = pydantic_core.from_json(raw)
    except ValueError:
        try:
            data = json.loads(raw)
        except (ValueError, UnicodeDecodeError, RecursionError) as error:
            raise DamagedStoreError(path, say("damage.not_json", detail=str(error))) from None
    if not isinstance(data, dict):
        raise DamagedStoreError(path, say("damage.not_object"))
    return data


def dump_json(data: Any) -> bytes:
    """Compact UTF-8 JSON. Text with lone surrogates (undecodable bytes from a terminal arrive
    that way) cannot be UTF-8: such a document is written with ASCII escapes, which JSON reads
    back exactly.

    pydantic-core's encoder writes the same bytes as `json.dumps(..., ensure_ascii=False,
    separators=(",", ":"))` for these documents, about three times faster (it is most of an
    action's CPU); it refuses lone surrogates, which then take the escaped path."""
    try:
        return pydantic_core.to_json(data)
    except PydanticSerializationError:
        pass
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(data, ensure_ascii=True, separators=(",", ":")).encode("ascii")


class AtomicJSONStorage(Storage):
    """TinyDB storage over one JSON file, written atomically; see the module docstring."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._pending: dict[str, Any] | None = None
        self._in_transaction = False
        # the last transaction's document, the written file's key and its bytes
        self.written: tuple[dict[str, Any], FileKey, bytes] | None = None

    def read(self) -> dict[str, Any] | None:
        if self._in_transaction:
            return self._pending
        return read_json(self.path)

    def write(self, data: dict[str, Any]) -> None:
        if self._in_transaction:
            self._pending = data
        else:
            atomic_write(self.path, dump_json(data))

    @contextmanager
    def transaction(self, current: dict[str, Any] | None = None) -> Iterator[None]:
        """Group writes into one atomic write at the end; nothing is written if the block raises.

        `current` is the file's content if the caller has just read it (under the lock).
        """
        self._pending = current if current is not None else (read_json(self.path) or {})
        self._in_transaction = True
        try:
            yield
        except BaseException:
            self._in_transaction = False
            self._pending = None
            raise
        self._in_transaction = False
        data, self._pending = self._pending, None
        if data is not None:
            raw = dump_json(data)
            self.written = (data, atomic_write(self.path, raw), raw)

    def close(self) -> None:
        pass
