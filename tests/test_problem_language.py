"""The problems a listing reports (a file that is not read, a damaged file or row) are said in
the chosen language: Bahasa Indonesia by default, English with --lang en, on both stores."""

from __future__ import annotations

import os

import pytest

from tests.cli_support import _run
from tests.pg_support import execute

# (what is put in the cycles folder, how `status` names it in Indonesian, and in English)
ODD = {
    "fifo": (
        lambda p: os.mkfifo(p),
        "dilewati: FIFO, bukan berkas biasa",
        "skipped: a FIFO, not a regular file",
    ),
    "symlink": (
        lambda p: os.symlink("/etc/passwd", p),
        "dilewati: tautan simbolik (tautan tidak diikuti di folder data)",
        "skipped: a symbolic link (links are not followed in the data folder)",
    ),
    "damaged-json": (
        lambda p: p.write_text('{"cycle": \n', encoding="utf-8"),
        "berkas penyimpanan rusak (bukan JSON yang sah",
        "damaged store file (not valid JSON",
    ),
}


def _langkah(capsys, *args: str, status: int = 0) -> tuple[str, str]:
    capsys.readouterr()
    code = _run(args)
    out, err = capsys.readouterr()
    assert code == status, (args, out, err)
    assert "Traceback" not in out + err
    return out, err


@pytest.fixture
def data(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("LANGKAH_USER", "SITI")
    folder = tmp_path / "data"
    _langkah(capsys, "--data-dir", str(folder), "start", "dawarblandong", "--period", "2026-T3")
    return folder


@pytest.mark.parametrize("kind", list(ODD))
def test_status_and_verify_name_a_file_not_read_in_the_chosen_language(data, capsys, kind):
    make, said_id, said_en = ODD[kind]
    odd = data / "cycles" / "aneh-0001.json"
    make(odd)
    where = ("--data-dir", str(data))
    _, err = _langkah(capsys, *where, "status")
    assert f"langkah: {odd}: {said_id}" in err and said_en not in err
    _, err = _langkah(capsys, "--lang", "en", *where, "status")
    assert f"langkah: {odd}: {said_en}" in err and said_id not in err
    out, _ = _langkah(capsys, *where, "verify", status=1)
    assert f"aneh-0001: tidak dapat dibaca: {odd}: {said_id}" in out and said_en not in out
    out, _ = _langkah(capsys, "--lang", "en", *where, "verify", status=1)
    assert f"aneh-0001: cannot be read: {odd}: {said_en}" in out and said_id not in out
    recap = data.parent / "rekap.xlsx"
    _, err = _langkah(capsys, *where, "export-xlsx", "-o", str(recap))
    assert f"langkah: {odd}: {said_id}" in err and said_en not in err
    _, err = _langkah(capsys, "--lang", "en", *where, "export-xlsx", "-o", str(recap), "--force")
    assert f"langkah: {odd}: {said_en}" in err and said_id not in err


@pytest.mark.needs_postgresql
def test_a_damaged_row_is_named_in_the_chosen_language(data, capsys, pg_url):
    _langkah(capsys, "--data-dir", str(data), "migrate", "--to", pg_url)
    (cycle_id,) = [p.name[:-5] for p in (data / "cycles").glob("*.json")]
    execute(
        pg_url,
        "ALTER TABLE events DISABLE TRIGGER events_append_only",
        f"DELETE FROM events WHERE cycle_id = '{cycle_id}'"
        f" AND seq = (SELECT version FROM cycles WHERE id = '{cycle_id}')",
        "ALTER TABLE events ENABLE TRIGGER events_append_only",
    )
    where = ("--store", pg_url)
    said_id = "siklus tersimpan rusak (peristiwa 1 tidak ada: baris siklus mencatat 1 peristiwa)"
    said_en = "damaged stored cycle (event 1 is missing: the cycle row records 1 events)"
    _, err = _langkah(capsys, *where, "status")
    assert said_id in err and said_en not in err and "`langkah repair` menyisihkannya" in err
    _, err = _langkah(capsys, "--lang", "en", *where, "status")
    assert said_en in err and said_id not in err
    out, _ = _langkah(capsys, *where, "verify", status=1)  # its log is read: what it lacks
    assert f"{cycle_id}: peristiwa 1 tidak ada: header mencatat 1 peristiwa, log berisi 0" in out
    out, _ = _langkah(capsys, "--lang", "en", *where, "verify", status=1)
    assert f"{cycle_id}: event 1 is missing: the header records 1 events, the log has 0" in out
