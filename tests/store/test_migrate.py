"""`langkah migrate --to TARGET`: both directions, exact copies (the verification code holds),
idempotent, resumable after a kill, and refusing what does not verify or differs."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from langkah.service import Langkah
from tests.cli_support import Cli
from tests.test_integrity import write_schema_1

pytestmark = pytest.mark.needs_postgresql
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def cli(capsys, monkeypatch):
    return Cli(capsys, monkeypatch)


def data_dir() -> Path:
    return Path(os.environ["LANGKAH_DATA_DIR"])


def fingerprint(folder: Path) -> dict[str, str]:
    """Every file under `folder` by its SHA-256 (to prove a folder was not touched)."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def busy(cli: Cli, sop: str, note: str) -> str:
    cycle = cli.start(sop)
    cli("note", cycle, note)
    if sop == "dawarblandong":
        cli("input", cycle, "nota_dinas=005/12/2026;2026-10-01")
    return cycle


KEPT = ("events", "verification_code", "version", "status", "notes", "roles", "read_only")


def show_in(cli: Cli, store: tuple[str, ...], cycle: str) -> dict:
    """What `show --json` says of a cycle that does not depend on the clock."""
    shown = json.loads(cli(*store, "show", cycle, "--json"))
    return {key: shown[key] for key in KEPT}


def seen(cli: Cli, *store: str) -> dict[str, dict]:
    """Every cycle of a store as `show_in` sees it."""
    rows = json.loads(cli(*store, "status", "--json"))
    return {row["cycle_id"]: show_in(cli, store, row["cycle_id"]) for row in rows}


def test_a_data_folder_migrates_to_postgresql_and_back_exactly(cli, pg_url, tmp_path):
    first = busy(cli, "dawarblandong", "catatan \x00 dengan NUL dan 😀")
    second = busy(cli, "kalipare", "biasa")
    Langkah.open().save_draft(second, {"visit": 1, "values": {"x": "ketikan"}})
    before = seen(cli)
    out = cli("migrate", "--to", pg_url)
    assert "2 disalin, 0 sudah ada" in out and "1 draf disalin" in out
    pg = ("--store", pg_url)
    assert seen(cli, *pg) == before  # same logs, same summaries, same verification codes
    assert "2 siklus terverifikasi" in cli(*pg, "verify")
    assert Langkah.open(store=pg_url).load_draft(second) == {"visit": 1, "values": {"x": "ketikan"}}
    # a second run copies nothing and says so
    assert "0 disalin, 2 sudah ada" in cli("migrate", "--to", pg_url)
    # work goes on in PostgreSQL, then everything comes back to a new folder
    cli(*pg, "note", first, "di server")
    back = tmp_path / "back"
    out = cli(*pg, "migrate", "--to", str(back))
    assert "2 disalin, 0 sudah ada" in out
    assert seen(cli, "--store", str(back)) == seen(cli, *pg)
    assert "2 siklus terverifikasi" in cli("--store", str(back), "verify")


def test_a_schema_1_log_gets_its_chain_as_it_is_copied_and_keeps_its_code(cli, pg_url):
    cycle = busy(cli, "kalipare", "lama")
    write_schema_1(data_dir() / "cycles" / f"{cycle}.json")
    code = cli.show(cycle)["verification_code"]
    assert "1 disalin" in cli("migrate", "--to", pg_url)
    assert show_in(cli, ("--store", pg_url), cycle)["verification_code"] == code
    assert "1 siklus terverifikasi" in cli("--store", pg_url, "verify")
    assert "0 disalin, 1 sudah ada" in cli("migrate", "--to", pg_url)


def test_a_tampered_log_is_refused_and_the_rest_are_copied(cli, pg_url):
    tampered = busy(cli, "kalipare", "asli")
    sound = busy(cli, "dawarblandong", "baik")
    path = data_dir() / "cycles" / f"{tampered}.json"
    path.write_text(path.read_text().replace('"asli"', '"palsu"'))
    out, err = cli.both("migrate", "--to", pg_url, status=1)
    assert "1 disalin, 0 sudah ada, 1 ditolak" in out
    assert f"siklus {tampered}: ditolak: log-nya tidak terverifikasi: peristiwa" in err
    assert "migrate: 1 siklus ditolak (disebut di atas); selebihnya telah disalin" in err
    out, err = cli.both("--lang", "en", "migrate", "--to", pg_url, status=1)
    assert "0 copied, 1 already present, 1 refused" in out
    assert f"cycle {tampered}: refused: its log does not verify: event" in err
    assert "migrate: 1 cycle(s) refused (named above); the rest were copied" in err
    ids = json.loads(cli("--store", pg_url, "status", "--json"))
    assert [row["cycle_id"] for row in ids] == [sound]


def test_a_cycle_whose_logs_differ_is_refused_naming_it(cli, pg_url):
    moved = busy(cli, "kalipare", "satu")
    other = busy(cli, "dawarblandong", "dua")
    cli("migrate", "--to", pg_url)
    cli("--store", pg_url, "note", moved, "di server")
    cli("note", moved, "di folder")
    out, err = cli.both("migrate", "--to", pg_url, status=1)
    assert "0 disalin, 1 sudah ada, 1 ditolak" in out
    assert f"siklus {moved}: ditolak: tujuan memuat log yang berbeda untuk siklus ini" in err
    assert other not in err


def test_a_failed_migrate_never_touches_the_data_folder(cli, tmp_path):
    busy(cli, "kalipare", "satu")
    before = fingerprint(data_dir())
    err = cli("migrate", "--to", "postgresql://postgres@127.0.0.1:1/none", status=1)
    assert (
        "tujuan: PostgreSQL postgresql://postgres@127.0.0.1:1/none: tidak dapat tersambung" in err
    )
    err = cli("--lang", "en", "migrate", "--to", "postgresql://postgres@127.0.0.1:1/none", status=1)
    assert "PostgreSQL postgresql://postgres@127.0.0.1:1/none: cannot connect" in err
    err = cli("migrate", "--to", "postgresq://typo", status=1)
    assert "jenis penyimpanan 'postgresq://' tidak dikenal" in err
    err = cli("--lang", "en", "migrate", "--to", "postgresq://typo", status=1)
    assert "unknown kind of store 'postgresq://'" in err
    err = cli("migrate", "--to", str(data_dir()), status=2)
    assert "sumber dan tujuan adalah penyimpanan yang sama" in err
    assert fingerprint(data_dir()) == before


def run_migrate(*args: str, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "langkah.main", *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def kill_after_progress(proc: subprocess.Popen, lines: int) -> str:
    """SIGKILL `proc` once it has printed `lines` progress lines; what it printed."""
    printed = []
    assert proc.stdout is not None
    for line in proc.stdout:
        printed.append(line)
        if sum(1 for p in printed if p.startswith("[")) >= lines:
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait(30)
    return "".join(printed)


@pytest.mark.parametrize("direction", ["to-postgresql", "to-folder"])
def test_a_migrate_killed_midway_resumes_where_it_stopped(cli, pg_url, tmp_path, direction):
    from bench.synth import build_store

    source = tmp_path / "source"
    build_store(source, 60)
    if direction == "to-postgresql":
        target, env = pg_url, {"LANGKAH_DATA_DIR": str(source)}
        source_args: tuple[str, ...] = ("--data-dir", str(source))
    else:  # first into PostgreSQL (not killed), then out of it into a folder, killed
        cli("--data-dir", str(source), "migrate", "--to", pg_url)
        target, env = str(tmp_path / "target"), {"LANGKAH_STORE": pg_url}
        source_args = ("--store", pg_url)
    printed = kill_after_progress(run_migrate("migrate", "--to", target, env=env), 2)
    assert "disalin" in printed
    out = cli(*source_args, "migrate", "--to", target)
    done = out.strip().splitlines()[-1]
    copied, present = (int(done.split()[1]), int(done.split(", ")[1].split()[0]))
    assert copied + present == 60 and present >= 3 and copied >= 1, done
    assert "60 siklus terverifikasi" in cli("--store", target, "verify")
    assert "0 disalin, 60 sudah ada" in cli(*source_args, "migrate", "--to", target)


def test_a_kill_inside_a_folder_write_leaves_no_half_cycle(cli, pg_url, tmp_path):
    for note in ("satu", "dua", "tiga"):
        busy(cli, "kalipare", note)
    cli("migrate", "--to", pg_url)
    target = tmp_path / "target"
    # the copier kills itself in the middle of its 4th file write (temp written, not renamed)
    proc = run_migrate(
        "--store", pg_url, "migrate", "--to", str(target), env={"LANGKAH_FAULT_KILL_AFTER": "4"}
    )
    proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    out = cli("--store", pg_url, "migrate", "--to", str(target))
    assert "sudah ada" in out and "ditolak" not in out
    assert "3 siklus terverifikasi" in cli("--store", str(target), "verify")


def test_a_batch_whose_transaction_fails_stores_nothing_and_is_copied_one_by_one(pg_url, tmp_path):
    from bench.synth import build_store
    from langkah.store.postgres_store import PostgresStore
    from langkah.store.tinydb_store import TinyDBStore
    from langkah.store.transfer import Migration

    build_store(tmp_path / "source", 6)
    source, target = TinyDBStore(tmp_path / "source"), PostgresStore(pg_url)
    try:
        ids = source.cycle_ids()
        Migration(source, target, lambda _: None).copy_one(ids[3])  # already there
        looked: list[list[str]] = []
        real_export = target.export_cycles

        def blind_first_look(cycle_ids):  # the target's answer before the batch misses ids[3]
            looked.append(list(cycle_ids))
            return {} if len(looked) == 1 else real_export(cycle_ids)

        target.export_cycles = blind_first_look  # type: ignore[method-assign]
        stored_before_fallback: list[int] = []
        real_copy_one = Migration.copy_one

        def copy_one(self, cycle_id):
            stored_before_fallback.append(len(real_export(ids)))
            return real_copy_one(self, cycle_id)

        migration = Migration(source, target, lambda _: None)
        migration.copy_one = copy_one.__get__(migration)  # type: ignore[method-assign]
        report = migration.run(every=6)  # one batch of six
        # the batch's import met ids[3] and stored none of the six; then one by one
        assert stored_before_fallback[0] == 1
        assert (sorted(report.copied), report.present, report.refused) == (
            sorted(ids[:3] + ids[4:]),
            [ids[3]],
            {},
        )
        assert [target.verify(c).problem for c in ids] == [None] * 6
    finally:
        target.close()
