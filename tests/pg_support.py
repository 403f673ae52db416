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


def tables(url: str) -> list[str]:
    """The tables of the schema `url` uses (its search_path), by name."""
    import psycopg

    with psycopg.connect(url, autocommit=True, connect_timeout=5) as conn:
        rows = conn.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() ORDER BY table_name"
        ).fetchall()
    return [name for (name,) in rows]


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


def _bin(name: str) -> str:
    """A PostgreSQL server program (initdb, pg_ctl): on PATH, else Debian's versioned folder."""
    import glob
    import shutil

    found = shutil.which(name) or next(
        iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None
    )
    if found is None:
        raise FileNotFoundError(f"{name} (the PostgreSQL server programs) not found")
    return found


class PrivateServer:
    """A PostgreSQL server of its own (a throw-away cluster on a socket in a temp folder), for
    tests that restart or stop it: the shared server is never restarted under other users.
    initdb and pg_ctl refuse to run as root: as root they run as the `postgres` user."""

    def __init__(self) -> None:
        import tempfile

        self.folder = tempfile.mkdtemp(prefix="langkah-pg-", dir="/tmp")
        self.data = os.path.join(self.folder, "data")
        self.port = 20000 + secrets.randbelow(20000)
        self.url = f"postgresql:///postgres?host={self.folder}&port={self.port}&user=postgres"

    def _run(self, *command: str) -> None:
        import subprocess

        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *command], check=True, capture_output=True, text=True, timeout=120)

    def _ctl(self, *args: str) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses='' -c fsync=on"
        log = os.path.join(self.folder, "server.log")
        self._run(_bin("pg_ctl"), "-D", self.data, "-o", options, "-l", log, "-w", *args)

    def start(self) -> None:
        if os.geteuid() == 0:
            import shutil

            shutil.chown(self.folder, "postgres", "postgres")
        if not os.path.isdir(self.data):
            self._run(
                _bin("initdb"), "-D", self.data, "-A", "trust", "-U", "postgres", "-E", "UTF8"
            )
        self._ctl("start")

    def restart(self) -> None:
        """A crash and a start: `immediate` stops without a checkpoint (recovery replays the
        WAL on start), as a power cut would."""
        self._ctl("-m", "immediate", "restart")

    def stop(self) -> None:
        import contextlib
        import shutil
        import subprocess

        with contextlib.suppress(subprocess.CalledProcessError, FileNotFoundError):
            self._ctl("-m", "immediate", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)
