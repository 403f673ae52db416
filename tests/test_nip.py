"""NIP checks (engine/nip.py) and where they apply: roles through the engine, the CLI, config."""

from __future__ import annotations

import pytest

from langkah.cli.main import main
from langkah.engine import nip
from langkah.engine.cycle import Person
from langkah.engine.errors import ActionRefused

GOOD = "197006261990031006"


@pytest.mark.parametrize(
    "typed",
    ["19700626 199003 1 006", GOOD, " 19700626-199003-1-006 ", "NIP. 19700626 199003 1 006"],
)
def test_a_plausible_nip_is_stored_as_digits_and_printed_spaced(typed):
    assert nip.normalize(typed) == GOOD
    assert nip.printed(nip.normalize(typed)) == "19700626 199003 1 006"


@pytest.mark.parametrize(
    ("typed", "part", "says"),
    [
        ("12", "length", "18 angka (yang ditulis 2 angka)"),
        ("abc123", "length", "dan tanda lain"),
        ("1970062619900310061", "length", "19 angka"),
        ("197013261990031006", "birth", "tanggal lahir (angka ke-1 s.d. 8: 19701326)"),
        ("190006261990031006", "birth", "tanggal lahir"),
        ("197006261990131006", "appointment", "TMT pengangkatan (angka ke-9 s.d. 14: 199013)"),
        ("197006261980031006", "age", "tidak cocok dengan tanggal lahir"),
        ("197006261990033006", "gender", "angka ke-15 (jenis kelamin) harus 1 atau 2, bukan 3"),
    ],
)
def test_an_implausible_nip_is_refused_naming_the_part(typed, part, says):
    with pytest.raises(nip.NipError) as caught:
        nip.normalize(typed)
    assert caught.value.part == part
    message = caught.value.message("id")
    assert says in message
    assert '"NI PPPK' in message  # how to mark another identity number
    assert caught.value.message("en") != message


@pytest.mark.parametrize(
    "typed", ["NI PPPK 199001012021212001", "NIK 3507123456789", "NRPTT 12/34"]
)
def test_a_marked_other_number_is_kept_as_written(typed):
    assert nip.is_marked(typed)
    assert nip.normalize(f"  {typed} ") == typed
    assert nip.printed(typed) == typed


def test_empty_is_no_number():
    assert nip.normalize("  ") == ""


def test_the_engine_refuses_a_bad_nip_for_any_role_and_stores_digits(tmp_path):
    from tests.report.scenarios import SteppingClock, open_app

    app = open_app(tmp_path / "data", tmp_path / "defs", SteppingClock())
    view = app.start("kalipare", "2026-T3")
    with pytest.raises(ActionRefused) as caught:
        app.update_roles(view.state.cycle_id, {"kepala": Person(name="X", nip="12")})
    assert caught.value.code == "bad_nip"
    assert "kepala" in caught.value.message("id") and "18 angka" in caught.value.message("id")
    people = {
        "kepala": Person(name="NEPO", nip="19631116 199010 2 002"),
        "penanggung_jawab": Person(name="DEWI", nip="NI PPPK 1990 0001"),
    }
    view = app.update_roles(view.state.cycle_id, people)
    assert view.state.roles["kepala"].nip == "196311161990102002"
    assert view.state.roles["penanggung_jawab"].nip == "NI PPPK 1990 0001"
    with pytest.raises(ActionRefused) as caught:
        app.update_roles(view.state.cycle_id, {"bendahara": Person(name="X")})
    assert "kepala, penanggung_jawab" in caught.value.message("id")


def test_cli_roles_positional_with_quoting_and_refusals(tmp_path, capsys):
    data = ["--data-dir", str(tmp_path / "data")]
    assert main([*data, "start", "kalipare", "--period", "2026-T3"]) == 0
    cycle = capsys.readouterr().out.strip()
    assert (
        main(
            [
                *data,
                "roles",
                cycle,
                "kepala=NEPO MARIS, S.Pd, MM;19631116 199010 2 002;Pembina",
                'penanggung_jawab="DEWI; LESTARI, S.AP";NI PPPK 12345;"Penata; Muda"',
            ]
        )
        == 0
    )
    capsys.readouterr()
    from langkah.service import Langkah

    state = Langkah.open(tmp_path / "data").open_cycle(cycle).state
    roles = {k: v.model_dump() for k, v in state.roles.items()}
    assert roles["kepala"]["name"] == "NEPO MARIS, S.Pd, MM"  # commas stay in the name
    assert roles["kepala"]["nip"] == "196311161990102002"
    assert roles["penanggung_jawab"] == {
        "name": "DEWI; LESTARI, S.AP",
        "nip": "NI PPPK 12345",
        "rank": "Penata; Muda",
    }
    assert main([*data, "roles", cycle, "kepala=A;B;C;D"]) == 1
    assert "dengan tanda petik" in capsys.readouterr().err  # the interface's language
    assert main([*data, "--lang", "en", "roles", cycle, "kepala=A;B;C;D"]) == 1
    assert "double quotes" in capsys.readouterr().err
    assert main([*data, "roles", cycle, "kepala=A;12;B"]) == 1
    err = capsys.readouterr().err
    assert "18 angka" in err and "Traceback" not in err


def test_cli_config_sets_the_profile_that_records_actions(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("LANGKAH_USER", raising=False)
    data = ["--data-dir", str(tmp_path / "data")]
    assert main([*data, "config"]) == 0
    assert "belum diisi" in capsys.readouterr().out
    assert main([*data, "config", "--name", "Siti", "--nip", "abc"]) == 1
    assert "18 angka" in capsys.readouterr().err
    assert main([*data, "config", "--name", "Siti  Rahayu", "--nip", "198005122005012003"]) == 0
    out = capsys.readouterr().out
    assert "Siti Rahayu" in out and "19800512 200501 2 003" in out
    assert main([*data, "start", "kalipare", "--period", "2026-T3"]) == 0
    cycle = capsys.readouterr().out.strip()
    assert main([*data, "--by", "Budi", "note", cycle, "dicek"]) == 0
    capsys.readouterr()
    assert main([*data, "show", cycle, "--json"]) == 0
    import json

    events = json.loads(capsys.readouterr().out)["events"]
    assert [e["by"] for e in events] == ["Siti Rahayu", "Budi"]  # the profile, then --by


def test_cli_config_says_whether_the_logo_is_missing_or_not_a_file(tmp_path, capsys):
    data = ["--data-dir", str(tmp_path / "data")]
    assert main([*data, "config", "--logo", str(tmp_path / "tidak-ada.png")]) == 1
    assert "berkas tidak ada" in capsys.readouterr().err
    assert main([*data, "config", "--logo", str(tmp_path)]) == 1  # a folder
    assert "bukan berkas biasa" in capsys.readouterr().err
    assert main([*data, "config", "--logo", "/dev/null"]) == 1  # a device
    assert "bukan berkas biasa" in capsys.readouterr().err
