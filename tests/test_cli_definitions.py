"""`langkah validate` and `langkah sops` through the command-line entry point."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from langkah.catalog import Catalog, bundled_dir, find_definitions
from langkah.cli.main import main

BUNDLED_IDS = [
    "dawarblandong/pengukuran-data-kinerja",
    "kalipare/pengukuran-kinerja",
    "mentebah/pengukuran-kinerja",
]


def test_validate_bundled(capsys):
    assert main(["validate"]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert len(lines) == 3
    assert all(line.startswith("OK  ") for line in lines)
    assert any("Kalipare — Pengukuran Kinerja (6 langkah, 3 pelaksana)" in line for line in lines)
    assert any("Mentebah — Pengukuran Kinerja (8 langkah, 4 pelaksana)" in line for line in lines)
    assert any(
        "Dawarblandong — Pengukuran Data Kinerja (11 langkah, 4 pelaksana)" in line
        for line in lines
    )
    assert err == ""


def test_validate_broken_copy(tmp_path, capsys):
    source = bundled_dir() / "kalipare" / "pengukuran-kinerja.toml"
    text = source.read_text(encoding="utf-8")
    broken = tmp_path / "kalipare.toml"
    broken.write_text(text.replace('time = "1 Jam"', 'time = "1 jam lebih"'), encoding="utf-8")
    line = next(i for i, s in enumerate(text.splitlines(), 1) if s == 'time = "1 Jam"')
    assert main(["validate", str(source), str(broken)]) == 1
    out, _ = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0].startswith(f"OK  {source}: ")
    assert lines[1].startswith(
        f"{broken}:{line}: steps[3].time: waktu '1 jam lebih' is not understood"
    )
    assert len(lines) == 2


@pytest.mark.parametrize("kind", ["missing", "directory", "empty_directory", "not_utf8"])
def test_validate_odd_paths_never_trace(kind, tmp_path, capsys):
    if kind == "missing":
        target = tmp_path / "nope.toml"
    elif kind == "empty_directory":
        target = tmp_path
    elif kind == "not_utf8":
        target = tmp_path / "latin1.toml"
        target.write_bytes(b'name = "Kecamatan \xe9"\n')
    else:
        target = tmp_path / "defs"
        shutil.copytree(bundled_dir() / "mentebah", target / "mentebah")
        (target / "mentebah" / "bad.toml").write_text("format = [\n", encoding="utf-8")
    status = main(["validate", str(target)])
    out, err = capsys.readouterr()
    assert status == 1
    assert "Traceback" not in out + err
    assert str(target) in out
    if kind == "directory":
        assert out.count("OK  ") == 1 and "TOML syntax error" in out


def test_sops_json(capsys):
    assert main(["sops", "--json"]) == 0
    out, _ = capsys.readouterr()
    items = json.loads(out)
    assert [i["id"] for i in items] == BUNDLED_IDS
    keys = {"id", "kecamatan", "name", "number", "steps", "actors", "origin", "version", "path"}
    assert all(set(i) == keys | {"unit_kind", "unit_label"} for i in items)
    assert items[1]["unit_kind"] == "kecamatan" and items[1]["unit_label"] == "Kecamatan Kalipare"
    mentebah = items[2]
    assert mentebah["steps"] == 8 and mentebah["number"] == "" and mentebah["origin"] == "bundled"
    assert [a["title"] for a in mentebah["actors"]][-1] == "Camat"
    assert len(mentebah["version"]) == 12


def test_sops_table(capsys):
    assert main(["sops"]) == 0
    out, _ = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "KECAMATAN", "NAMA", "SOP", "NOMOR", "LANGKAH", "ASAL"]
    assert lines[1].startswith("dawarblandong/pengukuran-data-kinerja")
    assert "070 / / 35.07.11/2019" in out
    assert len(lines) == 4
    assert all(line.split()[-1] == "bawaan" for line in lines[1:])


def test_sops_table_in_english(tmp_path, capsys):
    user = tmp_path / "defs"
    (user / "x").mkdir(parents=True)
    (user / "x" / "rusak.toml").write_text("format = 1\n", encoding="utf-8")
    assert main(["--lang", "en", "--defs-dir", str(user), "sops"]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "KECAMATAN", "SOP", "NAME", "NUMBER", "STEPS", "ORIGIN"]
    assert all(line.split()[-1] == "bundled" for line in lines[1:])
    assert err.startswith("langkah: 1 invalid definition(s) skipped (")
    assert err.rstrip().endswith("rusak.toml); run `langkah validate`")


def test_sops_table_names_each_unit_with_its_kind_when_not_all_are_kecamatan(tmp_path, capsys):
    user = tmp_path / "defs"
    shutil.copytree(Path(__file__).parent / "fixtures" / "definitions" / "dpmd", user / "dpmd")
    assert main(["--defs-dir", str(user), "sops"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["ID", "UNIT", "KERJA"]
    assert "Dinas Pemberdayaan Masyarakat dan Desa" in lines[2]
    assert "Kecamatan Kalipare" in lines[3]


def test_user_definitions_listed_with_bundled(tmp_path, capsys):
    user = tmp_path / "defs"
    (user / "contoh").mkdir(parents=True)
    text = (bundled_dir() / "kalipare" / "pengukuran-kinerja.toml").read_text(encoding="utf-8")
    (user / "contoh" / "sop-baru.toml").write_text(
        text.replace('kecamatan = "Kalipare"', 'kecamatan = "Contoh"'), encoding="utf-8"
    )
    # a user copy of a bundled SOP replaces it
    (user / "mentebah").mkdir()
    shutil.copy(bundled_dir() / "mentebah" / "pengukuran-kinerja.toml", user / "mentebah")
    # a broken user file is reported, not fatal
    (user / "contoh" / "rusak.toml").write_text("format = 1\n", encoding="utf-8")

    assert main(["--defs-dir", str(user), "sops", "--json"]) == 0
    out, err = capsys.readouterr()
    items = {i["id"]: i for i in json.loads(out)}
    assert sorted(items) == sorted([*BUNDLED_IDS, "contoh/sop-baru"])
    assert items["contoh/sop-baru"]["origin"] == "user"
    assert items["contoh/sop-baru"]["kecamatan"] == "Contoh"
    assert items["mentebah/pengukuran-kinerja"]["origin"] == "user"
    assert items["mentebah/pengukuran-kinerja"]["path"] == str(
        user / "mentebah" / "pengukuran-kinerja.toml"
    )
    assert items["kalipare/pengukuran-kinerja"]["origin"] == "bundled"
    assert "rusak.toml" in err

    assert main(["--defs-dir", str(user), "validate"]) == 1
    out, _ = capsys.readouterr()
    assert out.count("OK  ") == 4
    assert f"{user / 'contoh' / 'rusak.toml'}: identity: is required but missing" in out


def test_user_dir_from_environment(tmp_path, monkeypatch, capsys):
    user = tmp_path / "env-defs"
    (user / "contoh").mkdir(parents=True)
    shutil.copy(bundled_dir() / "kalipare" / "pengukuran-kinerja.toml", user / "contoh" / "a.toml")
    monkeypatch.setenv("LANGKAH_DEFS_DIR", str(user))
    assert main(["validate"]) == 0
    assert capsys.readouterr().out.count("OK  ") == 4


def test_find_definitions_order(tmp_path):
    (tmp_path / "aaa").mkdir()
    shutil.copy(bundled_dir() / "kalipare" / "pengukuran-kinerja.toml", tmp_path / "aaa" / "x.toml")
    entries = find_definitions(tmp_path)
    assert [e.sop_id for e in entries] == [*BUNDLED_IDS, "aaa/x"]
    assert [e.origin for e in entries] == ["bundled"] * 3 + ["user"]


def test_catalog_get():
    catalog = Catalog.load(None)
    assert catalog.problems == []
    assert list(catalog.definitions) == BUNDLED_IDS
    assert catalog.get("kalipare/pengukuran-kinerja").sop_id == "kalipare/pengukuran-kinerja"
    assert catalog.get("dawar").sop_id == "dawarblandong/pengukuran-data-kinerja"
    assert catalog.get("Mentebah").sop_id == "mentebah/pengukuran-kinerja"
    with pytest.raises(KeyError, match="known SOPs: dawarblandong/pengukuran-data-kinerja"):
        catalog.get("tidak-ada")


def test_catalog_ambiguous_and_invalid(tmp_path):
    (tmp_path / "kalipare").mkdir()
    text = (bundled_dir() / "kalipare" / "pengukuran-kinerja.toml").read_text(encoding="utf-8")
    (tmp_path / "kalipare" / "lain.toml").write_text(text, encoding="utf-8")
    (tmp_path / "kalipare" / "rusak.toml").write_text("[", encoding="utf-8")
    catalog = Catalog.load(tmp_path)
    assert len(catalog.problems) == 1
    with pytest.raises(KeyError, match="matches several SOPs"):
        catalog.get("kalipare")
    with pytest.raises(KeyError, match="has errors"):
        catalog.get("kalipare/rusak")
    assert catalog.get("kalipare/lain").sop_id == "kalipare/lain"


@pytest.mark.parametrize(
    ("lang", "said"), [("id", "Tidak ada definisi SOP."), ("en", "No SOP definitions.")]
)
def test_no_definitions_is_said_in_the_chosen_language(tmp_path, capsys, monkeypatch, lang, said):
    from langkah.cli.main import main as cli_main

    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("LANGKAH_DEFS_DIR", str(tmp_path / "no-defs"))
    monkeypatch.setenv("LANGKAH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr("langkah.catalog.bundled_dir", lambda: empty)
    assert cli_main(["--lang", lang, "sops"]) == 0
    assert capsys.readouterr().out.strip() == said
