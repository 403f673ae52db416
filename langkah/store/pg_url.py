"""Store locations: which backend a `--store` / LANGKAH_STORE value names, and PostgreSQL URLs.

A `postgresql://` (or `postgres://`) URL names a PostgreSQL database; anything else that looks
like a URL (`scheme://...`) is refused with a message, never taken for a folder; the rest is a
folder (the embedded store). Parsing uses psycopg's own conninfo parser when psycopg is
installed; the password never appears in `shown`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from langkah.messages import say
from langkah.store.base import StoreError

SCHEMES = ("postgresql", "postgres")
_URL = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*)://")


def url_scheme(location: str) -> str | None:
    """The scheme of a location written as a URL (`scheme://...`), else None."""
    match = _URL.match(location.strip())
    return match.group(1).lower() if match else None


def is_postgres(location: str) -> bool:
    return url_scheme(location) in SCHEMES


@dataclass(frozen=True)
class PgTarget:
    """A parsed PostgreSQL URL: what libpq is given, and how people see it (no password)."""

    conninfo: str
    shown: str
    params: dict[str, str]


def parse_url(url: str) -> PgTarget:
    """A `postgresql://` URL checked and described; StoreError naming what is wrong."""
    url = url.strip()
    scheme = url_scheme(url)
    if scheme not in SCHEMES:
        raise StoreError(say("store.unknown_kind", url=shown_url(url), scheme=scheme))
    try:
        from psycopg.conninfo import conninfo_to_dict
    except ImportError:
        raise StoreError(say("store.no_driver", url=shown_url(url), detail="psycopg")) from None
    try:
        params = {k: str(v) for k, v in conninfo_to_dict(url).items() if v is not None}
    except Exception as error:  # psycopg.ProgrammingError: a parameter libpq does not know
        why = (str(error).strip().splitlines() or [type(error).__name__])[0]
        raise StoreError(say("store.bad_url", url=shown_url(url), why=why)) from None
    port = params.get("port", "")
    if port and not port.isdigit():
        raise StoreError(say("store.bad_port", url=shown_url(url), port=port))
    return PgTarget(url, describe(params), params)


def describe(params: dict[str, str]) -> str:
    """postgresql://USER@HOST:PORT/DATABASE for people (the password left out)."""
    user = params.get("user", "")
    host = params.get("host", "") or "localhost"
    port = params.get("port", "")
    where = f"[socket {host}]" if host.startswith("/") else host
    text = "postgresql://" + (f"{user}@" if user else "") + where + (f":{port}" if port else "")
    return text + "/" + params.get("dbname", user or "")


def shown_url(url: str) -> str:
    """A URL as typed, with any password replaced by ***."""
    url = re.sub(r"(://[^/@:]*:)[^/@]*@", r"\1***@", url)
    return re.sub(r"([?&]password=)[^&]*", r"\1***", url)
