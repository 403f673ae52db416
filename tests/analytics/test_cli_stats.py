"""`langkah stats` end to end: logs written as the app writes them, figures read back."""

from __future__ import annotations

import json
import os

import pytest

from bench.synth import write_cycle
from langkah.store.appended import read_cycle_document
from langkah.store.tinydb_store import TinyDBStore
from tests.analytics.support import (
    DAWARBLANDONG,
    EXAMPLE_NOW,
    Log,
    example_logs,
    run,
    wib,
)
from tests.cli_support import _run


@pytest.fixture
def data(tmp_path, monkeypatch):
    store = TinyDBStore(tmp_path)
    for log in example_logs():
        write_cycle(store, log)
    dawar = run(Log(DAWARBLANDONG, "dawar-1", "2026-T4", wib(1, 8, 0)), [(1, 8, 3)])
    write_cycle(store, dawar)
    monkeypatch.setenv("LANGKAH_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("LANGKAH_DEFS_DIR", str(tmp_path / "no-defs"))
    monkeypatch.setenv("LANGKAH_NOW", EXAMPLE_NOW.isoformat())
    monkeypatch.delenv("LANGKAH_LANG", raising=False)
    return tmp_path


def stats(capsys, *args: str, status: int = 0, lang: str = "id") -> tuple[str, str]:
    capsys.readouterr()
    code = _run(("--lang", lang, "stats", *args))
    out, err = capsys.readouterr()
    assert code == status, (args, out, err)
    assert "Traceback" not in out + err
    return out, err


def test_json_of_the_worked_example_from_the_stored_logs(data, capsys):
    out, _ = stats(capsys, "--json", "--sop", "kalipare")
    result = json.loads(out)
    assert result["cycles"] == 5 and result["percentile_method"] == "linear-inclusive"
    (g,) = result["groups"]
    assert (g["kecamatan"], g["period"]) == ("Kalipare", "2026-T3")
    assert (g["cycles_started"], g["cycles_finished"], g["cycles_cancelled"]) == (5, 2, 1)
    assert (g["steps_judged"], g["steps_on_time"], g["on_time_pct"]) == (15, 9, 60.0)
    assert g["lead_time_median_min"] == 157.5 and g["standard_sum_min"] == 140.0
    assert g["steps"][1]["delay_p90_min"] == 29.0


def test_text_fits_80_columns_in_both_languages(data, capsys):
    for lang in ("id", "en"):
        out, _ = stats(capsys, lang=lang)
        assert max(len(line) for line in out.splitlines()) <= 80
    out, _ = stats(capsys, "--sop", "kalipare")
    flat = " ".join(out.split())  # wrapped lines joined
    assert "median 2 jam 38 menit (2 selesai); jumlah standar 2 jam 20 menit = 1,12×" in flat
    assert "Tepat waktu       60% (9 dari 15 langkah dinilai); 1 berjalan dalam waktu" in out
    assert "Paling terlambat  langkah 2 (3 dari 3 kali)" in out
    out, _ = stats(capsys, "--sop", "kalipare", lang="en")
    assert "On time           60% (9 of 15 steps judged); 1 running within time" in out


def test_filters_by_kecamatan_and_period(data, capsys):
    out, _ = stats(capsys, "--json", "--kecamatan", "DAWARBLANDONG")
    assert [g["kecamatan"] for g in json.loads(out)["groups"]] == ["Dawarblandong"]
    out, _ = stats(capsys, "--json", "--from", "2026-T4")
    assert [g["period"] for g in json.loads(out)["groups"]] == ["2026-T4"]
    out, _ = stats(capsys, "--json", "--period", "2026")
    assert json.loads(out)["cycles"] == 6


def test_an_empty_selection_says_so(data, capsys):
    out, _ = stats(capsys, "--period", "2019-T1")
    assert out.strip() == "Tidak ada siklus yang cocok dengan filter ini."
    out, _ = stats(capsys, "--json", "--period", "2019-T1")
    assert json.loads(out)["cycles"] == 0 and json.loads(out)["groups"] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--from", "2026-T3", "--to", "2026-T1"), "--from 2026-T3 comes after --to 2026-T1"),
        (("--kecamatan", "Atlantis"), "known: Dawarblandong, Kalipare, Mentebah"),
        (("--sop", "atlantis"), "known SOPs: dawarblandong/pengukuran-data-kinerja"),
        (("--period", "2026-T9"), "--period: '2026-T9' is not a period"),
        (("--period", "2026", "--to", "2026"), "--period and --from/--to: give one or the other"),
    ],
)
def test_bad_filters_get_a_clear_message(data, capsys, args, message):
    _, err = stats(capsys, *args, status=2, lang="en")  # the English of each (Indonesian: below)
    assert message in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--from", "2026-T3", "--to", "2026-T1"), "--from 2026-T3 jatuh sesudah --to 2026-T1"),
        (("--kecamatan", "Atlantis"), "yang ada: Dawarblandong, Kalipare, Mentebah"),
        (("--sop", "atlantis"), "SOP yang ada: dawarblandong/pengukuran-data-kinerja"),
        (("--period", "2026-T9"), "--period: '2026-T9' bukan periode"),
        (("--period", "2026", "--to", "2026"), "--period dan --from/--to: pilih salah satu"),
    ],
)
def test_bad_filters_are_refused_in_indonesian_by_default(data, capsys, args, message):
    _, err = stats(capsys, *args, status=2)
    assert message in err


@pytest.mark.parametrize(
    ("make", "why", "english"),
    [
        (os.mkfifo, "dilewati: FIFO, bukan berkas biasa", "skipped: a FIFO, not a regular file"),
        (
            lambda p: os.symlink("/etc/passwd", p),
            "dilewati: tautan simbolik",
            "skipped: a symbolic link",
        ),
    ],
    ids=["fifo", "symlink"],
)
def test_a_file_that_is_not_read_is_named_in_the_chosen_language(data, capsys, make, why, english):
    odd = data / "cycles" / "kalipare-zz.json"
    make(odd)
    out, err = stats(capsys, "--json", "--sop", "kalipare")
    assert f"langkah: {odd}: {why}" in err and "(tidak dihitung)" in err
    assert english not in err and "left out" not in err
    assert json.loads(out)["cycles"] == 5
    _, said = stats(capsys, "--json", "--sop", "kalipare", lang="en")
    assert f"langkah: {odd}: {english}" in said and "(left out)" in said and why not in said


def test_a_damaged_log_is_named_and_left_out(data, capsys):
    (data / "cycles" / "kalipare-a.json").write_text("{not json", encoding="utf-8")
    out, err = stats(capsys, "--json", "--sop", "kalipare")
    assert "kalipare-a" in err and "berkas penyimpanan rusak" in err and "(tidak dihitung)" in err
    assert "left out" not in err and "damaged store" not in err
    assert json.loads(out)["cycles"] == 4
    _, said = stats(capsys, "--json", "--sop", "kalipare", lang="en")
    assert "kalipare-a" in said and "damaged store file" in said and "(left out)" in said


def test_a_hand_edited_log_is_named_and_left_out(data, capsys):
    path = data / "cycles" / "kalipare-b.json"
    stored = read_cycle_document(path)
    stored["events"]["3"]["by"] = "someone else"  # the chain no longer matches
    path.write_text(json.dumps(stored), encoding="utf-8")
    out, err = stats(capsys, "--json", "--sop", "kalipare")
    assert "kalipare-b: tidak lolos verifikasi: peristiwa 4" in err and "(tidak dihitung)" in err
    assert "does not verify" not in err
    assert json.loads(out)["cycles"] == 4
    _, said = stats(capsys, "--json", "--sop", "kalipare", lang="en")
    assert "kalipare-b: does not verify: event 4" in said and "(left out)" in said
