"""The backends the store contract runs against. Add a backend by adding a `StoreBackend`.

A backend gives the contract a fresh, empty store (`make`), a second handle on the same data
(`reopen`, as another process would open it), and a way to damage one stored cycle the way a
crash or a disk would (`damage`), so that `check` and `recover` can be tested.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from langkah.store import CycleStore
from langkah.store.tinydb_store import TinyDBStore


@dataclass
class StoreBackend:
    name: str
    make: Callable[[], CycleStore]
    reopen: Callable[[CycleStore], CycleStore]
    damage: Callable[[CycleStore, str], None]


def _tinydb(tmp_path: Path) -> StoreBackend:
    root = tmp_path / "data"

    def damage(store: CycleStore, cycle_id: str) -> None:
        path = root / "cycles" / f"{cycle_id}.json"
        raw = path.read_bytes()
        path.write_bytes(raw[: len(raw) * 2 // 3])  # a torn write: the end of the file is lost

    return StoreBackend("tinydb", lambda: TinyDBStore(root), lambda _: TinyDBStore(root), damage)


BACKENDS: dict[str, Callable[[Path], StoreBackend]] = {"tinydb": _tinydb}
# A PostgreSQL backend (issue 15) adds itself here, e.g. skipped when no server is configured.


@pytest.fixture(params=sorted(BACKENDS))
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> StoreBackend:
    return BACKENDS[request.param](tmp_path)


@pytest.fixture
def store_factory(backend: StoreBackend) -> Callable[[], CycleStore]:
    """Every call gives a new handle on the same (initially empty) store."""
    return backend.make


@pytest.fixture
def store(store_factory: Callable[[], CycleStore]) -> CycleStore:
    return store_factory()
