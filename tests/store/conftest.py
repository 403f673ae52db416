"""The backends the store contract runs against. Add a backend by adding a `StoreBackend`.

A backend gives the contract a fresh, empty store (`make`), a second handle on the same data
(`reopen`, as another process would open it), and a way to damage one stored cycle the way a
crash or a disk would (`damage`), so that `check` and `recover` can be tested.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from langkah.store import CycleStore
from langkah.store.tinydb_store import TinyDBStore
from tests import pg_support


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
        # the end of the file lost, a line feed after the cut (a cut alone, among the records
        # appended to the file, is an unfinished write: tests/fault/test_appended_records.py)
        path.write_bytes(raw[: len(raw) * 2 // 3] + b"\n")

    return StoreBackend("tinydb", lambda: TinyDBStore(root), lambda _: TinyDBStore(root), damage)


def _postgresql(url: str, opened: list[CycleStore]) -> StoreBackend:
    """A schema of the session's test database (tests/pg_support.py); every handle is closed
    after the test."""
    from langkah.store.postgres_store import PostgresStore

    def make() -> CycleStore:
        store = PostgresStore(url, lock_timeout=5, pool_size=4)
        opened.append(store)
        return store

    def damage(store: CycleStore, cycle_id: str) -> None:
        # the end of the log lost (a partial restore, an edit outside Langkah): the last half
        # of the event rows deleted behind the append-only trigger's back
        pg_support.execute(
            url,
            "SET session_replication_role = replica",
            f"DELETE FROM events WHERE cycle_id = '{cycle_id}' AND seq > "
            f"(SELECT (max(seq) + 1) / 2 FROM events WHERE cycle_id = '{cycle_id}')",
        )

    return StoreBackend("postgresql", make, lambda _: make(), damage)


BACKENDS = ["tinydb", "postgresql"]


@pytest.fixture(
    params=[
        "tinydb",
        pytest.param("postgresql", marks=pytest.mark.needs_postgresql),
    ]
)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoreBackend]:
    if request.param == "tinydb":
        yield _tinydb(tmp_path)
        return
    opened: list[CycleStore] = []
    url = request.getfixturevalue("pg_url")
    try:
        yield _postgresql(url, opened)
    finally:
        for store in opened:
            store.close()  # type: ignore[attr-defined]


@pytest.fixture
def store_factory(backend: StoreBackend) -> Callable[[], CycleStore]:
    """Every call gives a new handle on the same (initially empty) store."""
    return backend.make


@pytest.fixture
def store(store_factory: Callable[[], CycleStore]) -> CycleStore:
    return store_factory()
