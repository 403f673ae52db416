"""Shared test fixtures. Keep it small: add only what several test files need."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from tests import pg_support

# Suites that need a program outside Python. Outside CI they are skipped when it is missing;
# in CI (CI=true, where .ci/run installs them) a missing program fails the run instead, and the
# summary at the end says which of these suites ran.
EXTERNAL = {
    "needs_libreoffice": (
        "LibreOffice (report -> PDF)",
        lambda: bool(shutil.which("soffice") or shutil.which("libreoffice")),
    ),
    "needs_libreoffice_calc": (
        "LibreOffice Calc (the xlsx recap read back)",
        lambda: _calc_available(),
    ),
    "needs_postgresql": (
        "PostgreSQL (the pg store backend; LANGKAH_TEST_PG names the server)",
        pg_support.available,
    ),
}
_ran: dict[str, int] = {}


def _calc_available() -> bool:
    """soffice, with Calc beside it (Debian packages it apart from Writer: libsclo.so)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return False
    program = os.path.dirname(os.path.realpath(soffice))
    return os.path.exists(os.path.join(program, "libsclo.so"))


def pytest_configure(config):
    for marker, (what, _) in EXTERNAL.items():
        config.addinivalue_line("markers", f"{marker}: the test needs {what}")


def pytest_collection_modifyitems(config, items):
    in_ci = os.environ.get("CI", "").lower() in ("1", "true", "yes")
    for marker, (what, available) in EXTERNAL.items():
        chosen = [item for item in items if item.get_closest_marker(marker)]
        found = available() if chosen else True  # a server is asked only when needed
        _ran[marker] = len(chosen) if found else -len(chosen)
        if chosen and not found:
            if in_ci:
                raise pytest.UsageError(
                    f"CI needs {what} for {len(chosen)} test(s); not found or not reachable"
                )
            for item in chosen:
                item.add_marker(pytest.mark.skip(reason=f"{what} is not installed"))


def pytest_terminal_summary(terminalreporter):
    for marker, (what, _) in EXTERNAL.items():
        count = _ran.get(marker, 0)
        if count > 0:
            state = f"ran ({count} tests)"
        elif count < 0:
            state = f"SKIPPED ({-count} tests; not installed or not reachable)"
        else:
            state = "not selected"
        terminalreporter.write_line(f"external suite {what}: {state}")


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory, monkeypatch):
    """Never read or write the machine's real Langkah folders: point them at empty temp dirs."""
    root = tmp_path_factory.mktemp("langkah-home")
    monkeypatch.setenv("LANGKAH_DEFS_DIR", str(root / "definitions"))
    monkeypatch.setenv("LANGKAH_DATA_DIR", str(root / "data"))
    for name in ("LANGKAH_NOW", "LANGKAH_LANG", "LANGKAH_STORE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def pg_database():
    """A database of its own on the test server for this session (URL), dropped at the end."""
    if not pg_support.available():
        pytest.skip(f"PostgreSQL: {pg_support.server_problem()}")
    with pg_support.session_database() as url:
        yield url


@pytest.fixture
def pg_url(pg_database):
    """An empty schema of the session's database, for one test: the store URL that uses it."""
    with pg_support.test_schema(pg_database) as url:
        yield url


@pytest.fixture
def on_postgresql(pg_url, monkeypatch):
    """LANGKAH_STORE names the test's own schema: the service, the CLI and the stats the test
    runs use the PostgreSQL store. A module that reruns another's tests on PostgreSQL takes it
    for all of them: `pytestmark = [..., pytest.mark.usefixtures("on_postgresql")]`.

    After the test its schema must hold the store's tables: a test that never reached
    PostgreSQL (it opened a folder store, or LANGKAH_STORE was set too late) fails here."""
    monkeypatch.setenv("LANGKAH_STORE", pg_url)
    yield
    assert pg_support.tables(pg_url), "the test never opened the PostgreSQL store it was given"


@pytest.fixture
def private_server():
    """A PostgreSQL server of the test's own (started as the postgres user; initdb refuses
    root), for restart and crash tests; skipped where none can be started."""
    server = pg_support.PrivateServer()
    try:
        server.start()
    except (OSError, subprocess.CalledProcessError) as error:
        pytest.skip(f"no private PostgreSQL server could be started: {error}")
    try:
        yield server
    finally:
        server.stop()
