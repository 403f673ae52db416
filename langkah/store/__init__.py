"""Where cycles live: a small repository interface and its embedded TinyDB implementation."""

from langkah.store.base import (
    Changes,
    ConflictError,
    CycleNotFound,
    CycleRecord,
    CycleStore,
    DamagedStoreError,
    IntegrityError,
    ListedSummaries,
    LockTimeout,
    Rebuild,
    Recovery,
    StoredLog,
    StoreError,
    SummaryPage,
    SummaryQuery,
)

__all__ = [
    "ConflictError",
    "CycleNotFound",
    "CycleRecord",
    "CycleStore",
    "DamagedStoreError",
    "IntegrityError",
    "Changes",
    "ListedSummaries",
    "LockTimeout",
    "Rebuild",
    "Recovery",
    "StoredLog",
    "StoreError",
    "SummaryPage",
    "SummaryQuery",
]
