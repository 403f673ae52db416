"""Each seed SOP run from start to finish with the CLI alone, with a refusal at each decision."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from langkah.cli.main import main

VALUES = {
    "check": "ya",
    "text": "teks uji",
    "number": "12,5",
    "date": "5/10/2026",
    "document": "005/12/416-317/2026;2026-10-01",
}


class Cli:
    """Runs `langkah` in-process with a clock that moves ten minutes per command."""

    def __init__(self, capsys, monkeypatch):
        self.capsys, self.monkeypatch = capsys, monkeypatch
        self.now = dt.datetime(2026, 10, 1, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))

    def __call__(self, *args: str, status: int = 0) -> str:
        self.now += dt.timedelta(minutes=10)
        self.monkeypatch.setenv("LANGKAH_NOW", self.now.isoformat())
        self.capsys.readouterr()
        code = main(list(args))
        out, err = self.capsys.readouterr()
        assert code == status, (args, out, err)
        assert "Traceback" not in out + err
        return out if status == 0 else err

    def show(self, cycle: str) -> dict:
        return json.loads(self("show", cycle, "--json"))


@pytest.fixture
def cli(capsys, monkeypatch):
    return Cli(capsys, monkeypatch)


def _value(item: dict) -> str:
    return item["choices"][0] if item["type"] == "choice" else VALUES[item["type"]]


@pytest.mark.parametrize(
    ("sop", "steps", "decision"),
    [
        ("dawarblandong", 11, 9),
        ("kalipare", 6, None),
        ("mentebah", 8, 7),
    ],
)
def test_a_seed_sop_runs_start_to_finish(cli, sop, steps, decision):
    cycle = cli(
        "start",
        sop,
        "--period",
        "2026-T3",
        "--role",
        "camat=NAMA CAMAT;197006261990031006;Pembina"
        if sop != "kalipare"
        else "sekretaris=NAMA SEKRETARIS;;Penata",
    ).strip()
    refused_once = False
    visited = []
    for _ in range(40):
        data = cli.show(cycle)
        if data["status"] == "finished":
            break
        current = data["current"]
        visited.append(current["step"])
        required = [i for i in current["inputs"] if i["required"]]
        if required:
            # completing before the inputs are in is refused, naming what is missing
            verb = ["complete", cycle] + (["--answer", "ya"] if current["decision"] else [])
            err = cli(*verb, status=1)
            assert required[0]["label"] in err
            pairs = [f"{i['id']}={_value(i)}" for i in current["inputs"]]
            cli("input", cycle, *pairs)
        if current["decision"]:
            if not refused_once:
                assert "alasan" in cli("complete", cycle, "--answer", "tidak", status=1)
                cli("complete", cycle, "--answer", "tidak", "--reason", "belum lengkap")
                refused_once = True
                back = cli.show(cycle)
                assert back["current"]["step"] == current["decision"]["no"]
                assert back["returns"] == {str(current["step"]): 1}
                continue
            cli("complete", cycle, "--answer", "ya")
        else:
            cli("complete", cycle)
    data = cli.show(cycle)
    assert data["status"] == "finished"
    assert sorted(set(visited)) == list(range(1, steps + 1))
    assert refused_once == (decision is not None)
    if decision:
        assert data["returns"] == {str(decision): 1}
        assert len(data["history"]) > steps  # the returned steps were taken twice
    # after the end nothing but roles is accepted
    assert "selesai" in cli("note", cycle, "terlambat", status=1)


def test_status_shows_where_each_cycle_stands(cli):
    first = cli("start", "dawarblandong", "--period", "2026-T3").strip()
    cli("start", "kalipare", "--period", "2026-T3")
    cli.now += dt.timedelta(hours=3)
    rows = json.loads(cli("status", "--json"))
    assert len(rows) == 2
    assert rows[0]["cycle_id"] == first  # 5 menit, now hours overdue: most urgent
    assert rows[0]["time"]["status"] == "overdue"
    assert rows[0]["time"]["overdue_minutes"] > 60
    text = cli("status")
    assert "terlambat" in text and "Dawarblandong" in text
    only = json.loads(cli("status", "--json", "--kecamatan", "kalipare"))
    assert [r["kecamatan"] for r in only] == ["Kalipare"]
    assert json.loads(cli("status", "--json", "--overdue"))[0]["cycle_id"] == first


def test_status_says_when_filters_match_nothing_and_names_units_of_any_kind(
    cli, tmp_path, monkeypatch
):
    assert "Belum ada siklus" in cli("status")
    cli("start", "kalipare", "--period", "2026-T3")
    assert cli("status").splitlines()[0].split()[1] == "KECAMATAN"
    assert "cocok dengan filter" in cli("status", "--kecamatan", "mentebah")
    assert "cocok dengan filter" in cli("status", "--period", "2026-T1")
    defs = tmp_path / "defs-with-dinas"
    fixture = Path(__file__).parent / "fixtures" / "definitions" / "dpmd"
    shutil.copytree(fixture, defs / "dpmd")
    monkeypatch.setenv("LANGKAH_DEFS_DIR", str(defs))
    assert cli("status").splitlines()[0].split()[1:3] == ["UNIT", "KERJA"]
    cli("start", "dpmd", "--period", "2026-T3")  # its waktu column is in minutes: "30"
    assert "30 (= 30 menit kerja)" in cli("status")  # a bare number says what it is read as


def test_pause_resume_cancel_and_notes(cli):
    cycle = cli("start", "kalipare", "--period", "2026-T2").strip()
    cli("pause", cycle, "--reason", "menunggu data IKU")
    assert "dijeda" in cli("complete", cycle, status=1)
    cli("resume", cycle, "--reason", "data diterima")
    cli("note", cycle, "rapat", "pagi")
    cli("roles", cycle, "--role", "sekretaris=Budi;198001012005011001;Penata")
    data = cli.show(cycle)
    assert data["history"][0]["notes"][0]["text"] == "rapat pagi"
    assert data["roles"]["sekretaris"]["name"] == "Budi"
    assert "kepala" not in data["roles"]  # the signers are listed apart from the actors
    assert data["signers"]["kepala"] == {
        "title": "Camat Kalipare",
        "name": "",
        "nip": "",
        "rank": "",
    }
    cli("roles", cycle, "penanggung_jawab=Siti;197006261990031006;Penata")
    assert cli.show(cycle)["signers"]["penanggung_jawab"]["nip"] == "197006261990031006"
    cli("cancel", cycle, "--reason", "diganti SOP baru")
    assert cli.show(cycle)["status"] == "cancelled"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["start", "nowhere", "--period", "2026-T3"], "tidak ada SOP 'nowhere'"),
        (["start", "kalipare", "--period", "2026-Q3"], "2026-T3"),
        (["start", "kalipare", "--period", "2026-T3", "--role", "bupati=X"], "bupati"),
        (["show", "no-such-cycle"], "tidak ada siklus 'no-such-cycle'"),
        (["input", "no-such-cycle", "a=b"], "tidak ada siklus"),
        (["--lang", "en", "show", "no-such-cycle"], "no cycle 'no-such-cycle'"),
    ],
)
def test_bad_input_is_one_clear_line(cli, args, message):
    assert message in cli(*args, status=1)


def test_input_values_are_validated_per_type(cli):
    cycle = cli("start", "dawarblandong", "--period", "2026-T3").strip()
    err = cli("input", cycle, "nota_dinas=tanpa tanggal", status=1)
    assert "Nota Dinas" in err
    assert "'nota_dinas' bukan KUNCI=NILAI" in cli("input", cycle, "nota_dinas", status=1)
    cli("input", cycle, "nota_dinas=005/1/2026;05-10-2026")
    item = cli.show(cycle)["current"]["inputs"][0]
    assert item["value"] == {"nomor": "005/1/2026", "tanggal": "2026-10-05"}
    assert item["missing"] is False


def test_lang_en(cli):
    cycle = cli("start", "dawarblandong", "--period", "2026-T3").strip()
    assert "missing: Nota Dinas" in cli("--lang", "en", "complete", cycle, status=1)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_show_as_text_after_a_return(cli, lang):
    cycle = cli("start", "mentebah", "--period", "2026-T3").strip()
    for _ in range(6):
        data = cli.show(cycle)
        pairs = [f"{i['id']}={_value(i)}" for i in data["current"]["inputs"]]
        cli("input", cycle, *pairs)
        cli("complete", cycle)
    cli("input", cycle, "format_pengukuran=ya")
    cli("complete", cycle, "--answer", "tidak", "--reason", "angka IKU 2 belum sesuai")
    text = cli("--lang", lang, "show", cycle)
    assert "angka IKU 2 belum sesuai" in text
    assert ("dikembalikan" if lang == "id" else "returned") in text
    assert ("ke-2" if lang == "id" else "round 2") in text


def _to_the_decision(cli) -> str:
    """A mentebah cycle at its decision (step 7), its inputs filled."""
    cycle = cli("start", "mentebah", "--period", "2026-T3").strip()
    for _ in range(6):
        data = cli.show(cycle)
        cli("input", cycle, *[f"{i['id']}={_value(i)}" for i in data["current"]["inputs"]])
        cli("complete", cycle)
    cli("input", cycle, "format_pengukuran=ya")
    return cycle


@pytest.mark.parametrize("word", ["setuju", "ya", "yes", "Setuju"])
def test_every_yes_word_agrees(cli, word):
    cycle = _to_the_decision(cli)
    assert cli.show(cycle)["current"]["step"] == 7
    cli("complete", cycle, "--answer", word)
    data = cli.show(cycle)
    assert data["history"][6]["outcome"] == "yes"
    assert data["current"]["step"] == 8


@pytest.mark.parametrize("lang", ["id", "en"])
def test_an_unknown_answer_is_refused_naming_the_accepted_words(cli, lang):
    cycle = _to_the_decision(cli)
    err = cli("--lang", lang, "complete", cycle, "--answer", "mungkin", status=1)
    assert "mungkin" in err
    for word in ("ya", "yes", "setuju", "tidak", "no"):
        assert word in err
    assert cli.show(cycle)["current"]["step"] == 7  # nothing recorded
