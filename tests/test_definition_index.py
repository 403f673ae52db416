"""The catalog parses a definition only when it is used; listings come from the file index.

Correctness only (no timings): which files are read, and that a changed, deleted, broken or
racy file or index never shows stale data.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

import langkah.catalog as catalog_module
import langkah.definition_index as index_module
from langkah.catalog import Catalog, bundled_dir
from langkah.cli.main import main
from langkah.definition_index import INDEX_FILE, read_index

KALIPARE = (bundled_dir() / "kalipare" / "pengukuran-kinerja.toml").read_text(encoding="utf-8")
AN_HOUR_AGO = time.time() - 3600


def _write(path: Path, text: str, age: float = 3600) -> None:
    """A definition file last changed `age` seconds ago (older than the racy window)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    when = time.time() - age
    os.utime(path, (when, when))


@pytest.fixture
def parsed(monkeypatch) -> list[str]:
    """The files the catalog reads and validates, in order."""
    seen: list[str] = []
    original = catalog_module.load_definition

    def counting(path, sop_id=""):
        seen.append(sop_id)
        return original(path, sop_id)

    monkeypatch.setattr(catalog_module, "load_definition", counting)
    return seen


@pytest.fixture
def defs(tmp_path) -> Path:
    root = tmp_path / "defs"
    for i in range(5):
        text = KALIPARE.replace('kecamatan = "Kalipare"', f'kecamatan = "Kalipare{i}"')
        _write(root / f"unit{i}" / "sop.toml", text)
    return root


def test_nothing_is_parsed_until_used_and_get_parses_only_that_one(defs, tmp_path, parsed):
    catalog = Catalog.load(defs, tmp_path / INDEX_FILE)
    assert parsed == []
    assert catalog.get("unit3/sop").definition.identity.kecamatan == "Kalipare3"
    assert catalog.get("unit3/sop") is catalog.get("unit3/sop")  # once per process
    assert parsed == ["unit3/sop"]


def test_a_listing_with_a_fresh_index_parses_nothing(defs, tmp_path, parsed):
    index = tmp_path / INDEX_FILE
    first = Catalog.load(defs, index).summaries()
    assert len(parsed) == 8 and index.exists()  # 3 bundled + 5 user, once
    parsed.clear()
    again = Catalog.load(defs, index)
    assert again.summaries() == first and again.problems == []
    assert list(again.definitions) == sorted(first)
    assert parsed == []
    assert again.summaries()["unit2/sop"].office_name == "Kalipare2"
    assert again.definitions["unit2/sop"].definition.identity.kecamatan == "Kalipare2"
    assert parsed == ["unit2/sop"]


def test_a_changed_file_is_read_again(defs, tmp_path, parsed):
    index = tmp_path / INDEX_FILE
    Catalog.load(defs, index).summaries()
    parsed.clear()
    path = defs / "unit1" / "sop.toml"
    _write(path, KALIPARE.replace('kecamatan = "Kalipare"', 'kecamatan = "Baru"'), age=1800)
    summaries = Catalog.load(defs, index).summaries()
    assert parsed == ["unit1/sop"]
    assert summaries["unit1/sop"].office_name == "Baru"
    # the same size and mtime, another inode (replaced by rename, as editors save): re-read too
    parsed.clear()
    replacement = path.with_suffix(".new")
    _write(replacement, KALIPARE.replace('kecamatan = "Kalipare"', 'kecamatan = "Lain"'), 1800)
    os.replace(replacement, path)
    assert Catalog.load(defs, index).summaries()["unit1/sop"].office_name == "Lain"
    assert parsed == ["unit1/sop"]


def test_a_deleted_file_disappears(defs, tmp_path):
    index = tmp_path / INDEX_FILE
    assert "unit4/sop" in Catalog.load(defs, index).summaries()
    (defs / "unit4" / "sop.toml").unlink()
    catalog = Catalog.load(defs, index)
    assert "unit4/sop" not in catalog.summaries() and "unit4/sop" not in catalog.definitions
    assert not any("unit4" in name for name in read_index(index))
    with pytest.raises(KeyError, match="no SOP 'unit4/sop'"):
        catalog.get("unit4/sop")


@pytest.mark.parametrize(
    "content",
    [
        "not json at all {",
        "[]",
        '{"format": 99, "files": {}}',
        '{"format": 1, "code": "another engine", "files": {}}',
        "",
    ],
)
def test_a_broken_index_is_rebuilt(defs, tmp_path, parsed, content):
    index = tmp_path / INDEX_FILE
    index.write_text(content, encoding="utf-8")
    summaries = Catalog.load(defs, index).summaries()
    assert len(summaries) == 8 and len(parsed) == 8
    parsed.clear()
    assert Catalog.load(defs, index).summaries() == summaries
    assert parsed == []  # rewritten whole and valid


def test_a_broken_record_is_read_again_and_the_others_kept(defs, tmp_path, parsed):
    index = tmp_path / INDEX_FILE
    Catalog.load(defs, index).summaries()
    data = json.loads(index.read_text(encoding="utf-8"))
    name = str((defs / "unit0" / "sop.toml").absolute())
    data["files"][name]["summary"]["steps"] = "many"
    index.write_text(json.dumps(data), encoding="utf-8")
    parsed.clear()
    summaries = Catalog.load(defs, index).summaries()
    assert parsed == ["unit0/sop"] and summaries["unit0/sop"].steps == 6


def test_the_index_follows_the_engine_sources(defs, tmp_path, parsed, monkeypatch):
    index = tmp_path / INDEX_FILE
    Catalog.load(defs, index).summaries()
    parsed.clear()
    monkeypatch.setattr(index_module, "code_stamp", lambda: "1:an edited loader.py")
    Catalog.load(defs, index).summaries()
    assert len(parsed) == 8


def test_a_bad_definition_keeps_its_file_and_line_from_the_index(defs, tmp_path, parsed):
    index = tmp_path / INDEX_FILE
    bad = defs / "rusak" / "sop.toml"
    text = KALIPARE.replace('time = "1 Jam"', 'time = "1 jam lebih"')
    line = next(i for i, s in enumerate(text.splitlines(), 1) if s == 'time = "1 jam lebih"')
    _write(bad, text)
    first = Catalog.load(defs, index)
    assert [str(e.problems[0]) for e in first.problems][0].startswith(f"{bad}:{line}: steps[3]")
    parsed.clear()
    second = Catalog.load(defs, index)
    problem = second.problems[0].problems[0]
    assert (problem.source, problem.line, problem.path) == (str(bad), line, "steps[3].time")
    assert "1 jam lebih" in problem.message
    assert parsed == []
    assert "rusak/sop" not in second.definitions
    with pytest.raises(KeyError, match="has errors"):
        second.get("rusak/sop")


def test_a_file_changed_just_now_is_not_trusted_to_the_index(defs, tmp_path, parsed):
    index = tmp_path / INDEX_FILE
    _write(defs / "baru" / "sop.toml", KALIPARE, age=0)
    Catalog.load(defs, index).summaries()
    parsed.clear()
    Catalog.load(defs, index).summaries()
    assert parsed == ["baru/sop"]  # read again: its mtime could hide another change


def test_a_file_read_before_it_changed_is_indexed_under_its_old_key(defs, tmp_path, parsed):
    index = tmp_path / INDEX_FILE
    catalog = Catalog.load(defs, index)
    catalog.get("unit2/sop")  # read now ...
    _write(
        defs / "unit2" / "sop.toml", KALIPARE.replace("Kalipare", "Sesudah", 1), age=1800
    )  # ... changed after
    catalog.summaries()  # indexes what it read, under the key it read it with
    parsed.clear()
    fresh = Catalog.load(defs, index).summaries()
    assert parsed == ["unit2/sop"]
    assert fresh["unit2/sop"].digest != catalog.summaries()["unit2/sop"].digest


def test_no_data_folder_no_index_written(defs, tmp_path):
    index = tmp_path / "missing" / INDEX_FILE
    assert len(Catalog.load(defs, index).summaries()) == 8
    assert not index.parent.exists()


def test_sops_reads_the_index_and_lists_the_same(defs, tmp_path, parsed, monkeypatch, capsys):
    data = tmp_path / "data"
    data.mkdir()
    monkeypatch.setenv("LANGKAH_DEFS_DIR", str(defs))
    monkeypatch.setenv("LANGKAH_DATA_DIR", str(data))
    assert main(["sops", "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert len(first) == 8 and len(parsed) == 8
    parsed.clear()
    assert main(["sops", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == first
    assert parsed == []
    assert {i["kecamatan"] for i in first} >= {"Kalipare0", "Kalipare4", "Dawarblandong"}


def test_validate_reports_the_same_from_the_index(defs, tmp_path, parsed, monkeypatch, capsys):
    data = tmp_path / "data"
    data.mkdir()
    monkeypatch.setenv("LANGKAH_DEFS_DIR", str(defs))
    monkeypatch.setenv("LANGKAH_DATA_DIR", str(data))
    bad = defs / "rusak" / "sop.toml"
    text = KALIPARE.replace('time = "1 Jam"', 'time = "1 jam lebih"')
    line = next(i for i, s in enumerate(text.splitlines(), 1) if s == 'time = "1 jam lebih"')
    _write(bad, text)
    assert main(["validate"]) == 1
    first = capsys.readouterr().out
    assert len(parsed) == 9
    assert f"{bad}:{line}: steps[3].time: " in first
    assert f"OK  {defs / 'unit0' / 'sop.toml'}: Kalipare0 — Pengukuran Kinerja (6 langkah" in first
    parsed.clear()
    assert main(["validate"]) == 1
    assert capsys.readouterr().out == first and parsed == []
    _write(bad, KALIPARE, age=1800)  # fixed
    assert main(["validate"]) == 0
    assert parsed == ["rusak/sop"]


def test_fifos_and_folders_are_refused_never_waited_on(defs, tmp_path):
    """A FIFO named like a definition, or in place of the caches, is refused or ignored: the
    commands never wait for a writer (run as a subprocess, with a timeout, to prove it)."""
    import subprocess
    import sys

    data = tmp_path / "data"
    data.mkdir()
    os.mkfifo(defs / "unit0" / "pipa.toml")
    os.mkfifo(data / INDEX_FILE)
    os.mkfifo(data / "holiday-coverage.json")
    (defs / "unit1" / "folder.toml").mkdir()
    env = dict(os.environ, LANGKAH_DEFS_DIR=str(defs), LANGKAH_DATA_DIR=str(data))
    for args in (["validate"], ["sops"], ["show-sop", "unit2/sop", "--json"]):
        proc = subprocess.run(
            [sys.executable, "-m", "langkah.cli.main", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr
        if args == ["validate"]:
            assert proc.returncode == 1
            assert f"{defs / 'unit0' / 'pipa.toml'}: not a regular file" in proc.stdout
            assert f"{defs / 'unit1' / 'folder.toml'}: not a regular file" in proc.stdout
            assert proc.stdout.count("OK  ") == 8
        else:
            assert proc.returncode == 0, proc.stderr


def test_a_definition_too_large_is_refused_unread(defs, tmp_path, monkeypatch):
    monkeypatch.setattr(catalog_module, "MAX_DEFINITION_BYTES", 1000)
    catalog = Catalog.load(defs, tmp_path / INDEX_FILE)
    problems = [str(p) for e in catalog.problems for p in e.problems]
    assert len(problems) == 8  # every one here is bigger than 1000 bytes
    assert all("too large (" in p and "at most 1000 bytes" in p for p in problems)
