"""The one place a store is chosen: `open_store(location, data_dir)`.

`location` is what `--store` / LANGKAH_STORE said: a `postgresql://` URL opens the PostgreSQL
store (psycopg is imported only then); nothing keeps the embedded store in the data folder; a
folder path opens the embedded store there; any other `scheme://` is refused with a message.
"""

from __future__ import annotations

from pathlib import Path

from langkah.messages import say
from langkah.store.base import CycleStore, StoreError
from langkah.store.pg_url import is_postgres, shown_url, url_scheme


def open_store(location: str | None, data_dir: Path) -> CycleStore:
    """The store `location` names (see the module docstring); StoreError if it cannot be."""
    text = (location or "").strip()
    if is_postgres(text):
        try:
            from langkah.store.postgres_store import PostgresStore
        except ImportError as error:
            raise StoreError(
                say("store.no_driver", url=shown_url(text), detail=str(error))
            ) from None
        return PostgresStore(text)
    scheme = url_scheme(text)
    if scheme is not None:
        raise StoreError(say("store.unknown_kind", url=shown_url(text), scheme=scheme))
    from langkah.store.tinydb_store import TinyDBStore

    store = TinyDBStore(Path(text).expanduser() if text else data_dir)
    store.check_root()  # before anything is read from it: one clear message
    return store
