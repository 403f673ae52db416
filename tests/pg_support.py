"""The PostgreSQL server the tests use: one fresh database per test session, one schema per test.

The server is the one LANGKAH_TEST_PG names (an admin URL; default: the project machines'
server, postgresql://postgres@127.0.0.1:5432/postgres). A session creates its own database
`langkah_test_<random>` and drops it at the end; each test gets an empty schema of it (its URL
sets `search_path`), so no two tests share rows.
"""

from __future__ import annotations

import functools
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote, urlsplit, urlunsplit

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def admin_url() -> str:
    return os.environ.get("LANGKAH_TEST_PG", "").strip() or ADMIN_URL


@functools.cache
def server_problem() -> str | None:
    """None if the test server answers; else why not (no driver, refused, ...)."""
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed"
    try:
        psycopg.connect(admin_url(), connect_timeout=3, autocommit=True).close()
    except psycopg.Error as error:
        return str(error).strip().splitlines()[0]
    return None


def available() -> bool:
    return server_problem() is None


def with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + database))


def with_schema(url: str, schema: str) -> str:
    """`url` with its connections' search_path set to `schema` (libpq's `options`)."""
    options = quote(f"-csearch_path={schema}", safe="")
    return url + ("&" if "?" in url else "?") + f"options={options}"


def execute(url: str, *statements: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True, connect_timeout=5) as conn:
        for statement in statements:
            conn.execute(statement)  # type: ignore[arg-type]  # test-made SQL


@contextmanager
def session_database() -> Iterator[str]:
    """A new database on the test server (its URL), dropped at the end."""
    name = f"langkah_test_{secrets.token_hex(4)}"
    execute(admin_url(), f"CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0")
    try:
        yield with_database(admin_url(), name)
    finally:
        execute(admin_url(), f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@contextmanager
def test_schema(database_url: str) -> Iterator[str]:
    """An empty schema in the session's database (the URL that uses it), dropped after."""
    schema = f"t_{secrets.token_hex(6)}"
    execute(database_url, f"CREATE SCHEMA {schema}")
    try:
        yield with_schema(database_url, schema)
    finally:
        execute(database_url, f"DROP SCHEMA IF EXISTS {schema} CASCADE")
