"""Only regular files are read (issue 11, part 6): a FIFO, a symlink (to /dev/zero or to a real
cycle), an unreadable or oversized file in the store is named with why it was skipped, and the
other cycles are listed; nothing hangs. A data folder that is a file is one clear message."""

from __future__ import annotations

import builtins
import errno
import json
import os
import subprocess
import sys

import pytest

from langkah.cli.main import main
from langkah.store import StoreError
from langkah.store import atomic as atomic_module
from tests.fault.conftest import NOW, ROOT, open_app


def cli(data_dir, *args):
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT),
        LANGKAH_NOW=NOW.isoformat(),
        LANGKAH_DEFS_DIR=str(data_dir / "no-defs"),
    )
    return subprocess.run(
        [sys.executable, "-m", "langkah.cli.main", "--data-dir", str(data_dir), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,  # a read that blocks fails the test instead of hanging the suite
    )


def _listed(result):
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return {row["cycle_id"] for row in json.loads(result.stdout)}


@pytest.mark.parametrize(
    ("make", "why", "english"),
    [
        (lambda p, other: os.mkfifo(p), "FIFO, bukan berkas biasa", "a FIFO"),
        (lambda p, other: os.symlink("/dev/zero", p), "tautan simbolik", "a symbolic link"),
        (lambda p, other: os.symlink(other, p), "tautan simbolik", "a symbolic link"),
        (lambda p, other: os.mkdir(p), "folder, bukan berkas biasa", "a folder"),
    ],
    ids=["fifo", "symlink-to-dev-zero", "symlink-to-a-cycle", "folder"],
)
def test_status_names_what_it_skipped_and_lists_the_rest(data_dir, cycles, make, why, english):
    odd = data_dir / "cycles" / "aneh-0001.json"
    make(odd, data_dir / "cycles" / f"{cycles[0]}.json")
    result = cli(data_dir, "status", "--json")  # Bahasa Indonesia by default
    assert _listed(result) == set(cycles)
    assert f"langkah: {odd}: dilewati: {why}" in result.stderr
    assert english not in result.stderr and "skipped" not in result.stderr
    said = cli(data_dir, "--lang", "en", "status", "--json")
    assert _listed(said) == set(cycles)
    assert f"langkah: {odd}: skipped: {english}" in said.stderr and why not in said.stderr
    shown = cli(data_dir, "show", "aneh-0001")
    assert shown.returncode == 1 and why in shown.stderr and "Traceback" not in shown.stderr
    repaired = cli(data_dir, "repair")
    assert repaired.returncode == 1 and why in repaired.stdout + repaired.stderr
    assert "Traceback" not in repaired.stderr
    assert os.path.lexists(odd)  # never moved or replaced
    assert sorted(p.name for p in (data_dir / "cycles").iterdir()) == sorted(
        [odd.name] + [f"{c}.json" for c in cycles]
    )


def _deny(monkeypatch, path):
    """Simulate a mode-000 file: the tests run as root, where chmod 000 does not stop reading,
    so opening `path` (by os.open or open) raises EACCES as it would for another user."""
    real_os_open, real_open = os.open, builtins.open

    def os_open(file, *args, **kwargs):
        if os.fspath(file) == str(path):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_os_open(file, *args, **kwargs)

    def open_(file, *args, **kwargs):
        if isinstance(file, (str, os.PathLike)) and os.fspath(file) == str(path):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(os, "open", os_open)
    monkeypatch.setattr(builtins, "open", open_)


def test_an_unreadable_cycle_file_is_named_not_a_traceback(data_dir, cycles, monkeypatch, capsys):
    path = data_dir / "cycles" / f"{cycles[0]}.json"
    os.chmod(path, 0)
    _deny(monkeypatch, path)
    monkeypatch.setenv("LANGKAH_NOW", NOW.isoformat())
    args = ["--data-dir", str(data_dir), "--defs-dir", str(data_dir / "no-defs")]
    assert main([*args, "status", "--json"]) == 0
    out, err = capsys.readouterr()
    assert {r["cycle_id"] for r in json.loads(out)} == {cycles[1]}
    assert str(path) in err and "akses ditolak" in err and "permission denied" not in err
    assert main([*args, "--lang", "en", "status", "--json"]) == 0
    out, err = capsys.readouterr()
    assert str(path) in err and "permission denied" in err
    assert main([*args, "show", cycles[0]]) == 1
    out, err = capsys.readouterr()
    assert str(path) in err and "akses ditolak" in err and "Traceback" not in err
    assert main([*args, "--lang", "en", "note", cycles[0], "x"]) == 1
    out, err = capsys.readouterr()
    assert str(path) in err and "permission denied" in err


def test_an_oversized_cycle_file_is_refused_with_its_size(data_dir, cycles, monkeypatch):
    monkeypatch.setattr(atomic_module, "MAX_FILE_BYTES", 200)
    app = open_app(data_dir)
    listed = app.overview()
    assert listed.rows == []
    assert any("too large" in str(p) and "200 bytes" in str(p) for p in listed.problems)
    assert any(
        "terlalu besar (" in p.message("id") and "paling besar 200 bita" in p.message("id")
        for p in listed.problems
    )
    with pytest.raises(StoreError, match="too large"):
        app.open_cycle(cycles[0])


def test_an_odd_draft_or_definition_file_is_refused_not_followed(data_dir, app, cycles):
    draft = data_dir / "drafts" / f"{cycles[0]}.json"
    draft.parent.mkdir(exist_ok=True)
    os.mkfifo(draft)
    assert app.load_draft(cycles[0]) is None  # a draft is a convenience: ignored, no hang
    digest = app.store.load(cycles[0]).header["definition_digest"]
    definition = data_dir / "definitions" / f"{digest}.toml"
    target = definition.with_suffix(".real")
    definition.rename(target)
    definition.symlink_to(target)
    view = open_app(data_dir).open_cycle(cycles[0])  # shown read-only, with why
    problem = view.integrity_problem.message("en") if view.integrity_problem else ""
    assert "symbolic link" in problem and str(definition) in problem
    definition.unlink()
    os.mkfifo(definition)  # never opened: a FIFO would block the read for ever
    with pytest.raises(StoreError, match="a FIFO"):
        open_app(data_dir).note(cycles[0], "x")


@pytest.mark.parametrize("command", [("status",), ("start", "kalipare", "--period", "2026-T3")])
def test_a_data_folder_that_is_a_file_is_one_clear_message(tmp_path, command):
    data = tmp_path / "data"
    data.write_text("bukan folder")
    result = cli(data, *command)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{data}: folder data berupa berkas, bukan folder" in result.stderr
    assert data.read_text() == "bukan folder"


# Langkah's own small files in the data folder (caches, the overview index, the holiday
# overrides' neighbours): each may be found replaced by a FIFO.
_OWN_FILES = [
    "summary-cache.json",
    "facts-cache.json",
    "recap-cache.json",
    "definitions-index.json",
    "holiday-coverage.json",
    "holiday-days.json",
    "overview-index/base.json",
    "overview-index/journal",
]


@pytest.mark.parametrize("name", _OWN_FILES)
def test_a_fifo_in_place_of_one_of_langkahs_own_files_hangs_no_command(data_dir, cycles, name):
    """Found by trying: a FIFO as summary-cache.json made `export-xlsx` wait forever. Every
    command that reads these files ends, lists every cycle and writes its export."""
    target = data_dir / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    os.mkfifo(target)
    assert _listed(cli(data_dir, "status", "--json")) == set(cycles)
    for command in (["stats", "--json"], ["verify"]):
        result = cli(data_dir, *command)
        assert "Traceback" not in result.stderr, (command, result.stderr)
    out = data_dir.parent / f"recap-{name.replace('/', '-')}.xlsx"
    result = cli(data_dir, "export-xlsx", "-o", str(out))
    assert result.returncode == 0 and out.is_file(), result.stderr
