"""`langkah show-sop`: the definition as its SOP table (symbols in the actors' columns)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from rich.cells import cell_len

from langkah.catalog import Catalog, bundled_dir
from langkah.cli.main import main
from langkah.engine.definition import Symbol
from langkah.sop_table import sop_table, step_differences

FIXTURES = Path(__file__).parent / "fixtures" / "definitions"


def _definition(sop: str):
    return Catalog.load(FIXTURES).get(sop).definition


def _cells_by_actor(table, number: int) -> dict[str, str]:
    row = next(r for r in table.rows if r.number == number)
    return {a: c for a, c in zip(table.actor_ids, row.cells, strict=True) if c}


def test_each_step_has_its_symbol_in_its_actors_columns_only():
    table = sop_table(_definition("dawarblandong"))
    assert table.actor_ids == ("camat", "sekcam", "tim_sakip", "seluruh_asn")
    assert _cells_by_actor(table, 1) == {"camat": "⬭"}
    assert _cells_by_actor(table, 2) == {"sekcam": "▭", "tim_sakip": "▭"}
    assert _cells_by_actor(table, 5) == {"seluruh_asn": "▭"}
    assert _cells_by_actor(table, 9) == {"sekcam": "◇"}
    nine = table.rows[8]
    assert nine.symbol == Symbol.DECISION
    # where each answer leads: "tidak" goes back to step 7
    assert nine.remarks == ("setuju → langkah 10", "tidak setuju → langkah 7")
    assert [r.number for r in table.rows] == list(range(1, 12))


def test_ascii_glyphs_and_english_words():
    table = sop_table(_definition("dawarblandong"), lang="en", ascii_only=True)
    assert _cells_by_actor(table, 1) == {"camat": "()"}
    assert _cells_by_actor(table, 9) == {"sekcam": "<>"}
    assert _cells_by_actor(table, 3) == {"tim_sakip": "[]"}
    assert table.rows[8].remarks[1] == "tidak setuju -> step 7"


def test_handoff_numbers_the_actors_in_their_order():
    definition = _definition("dpmd")
    table = sop_table(definition)
    assert _cells_by_actor(table, 2) == {"verifikator": "▭1", "kabid": "▭2"}
    two = table.rows[1]
    assert two.remarks[0] == "berurutan: Staf Verifikator → Kepala Bidang Pemerintahan Desa"
    three = table.rows[2]
    assert three.remarks == ("lengkap → langkah 4", "tidak lengkap → langkah 2")
    last = table.rows[-1]
    assert last.time == "½ hari" and last.inputs == ()


def _run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def _columns(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip("│|").split("│" if "│" in line else "|")]


@pytest.mark.parametrize("width", [80, 200])
def test_the_printed_table_fits_and_puts_symbols_under_their_actor(capsys, width):
    code, out, _ = _run(capsys, "show-sop", "dawarblandong", "--width", str(width))
    assert code == 0
    lines = out.splitlines()
    assert max(cell_len(line) for line in lines) <= width
    assert lines[0] == "KECAMATAN DAWARBLANDONG"
    assert "⬭ mulai/selesai" in lines[-1]
    if width == 200:  # one header line: find each step's symbol under its actor's title
        header = _columns(next(line for line in lines if line.startswith("│No")))
        assert header[:2] == ["No", "Kegiatan"]
        assert header[-4:] == ["Kelengkapan", "Waktu", "Output", "Keterangan"]
        rows = {}
        for line in lines:
            cells = _columns(line)
            if line.startswith("│") and cells[0].isdigit():
                rows[int(cells[0])] = dict(zip(header, cells, strict=True))
        assert rows[1]["Camat"] == "⬭" and rows[1]["Sekcam"] == ""
        assert rows[9]["Sekcam"] == "◇" and rows[9]["Camat"] == ""
        assert rows[2]["Sekcam"] == "▭" and rows[2]["Tim SAKIP"] == "▭"
        assert rows[9]["Keterangan"] == "setuju → langkah 10"
        assert rows[1]["Waktu"] == "5 menit"
    else:  # wrapped: every step still has its row, with its number at the start
        numbers = [_columns(line)[0] for line in lines if line.startswith("│")]
        assert [n for n in numbers if n.isdigit()] == [str(n) for n in range(1, 12)]
        # narrow: actor columns headed by keys, each key named once above the table
        assert lines[4:8] == ["P1 = Camat", "P2 = Sekcam", "P3 = Tim SAKIP", "P4 = Seluruh ASN"]
        header = _columns(next(line for line in lines if line.startswith("│No")))
        assert header[2:6] == ["P1", "P2", "P3", "P4"]
        row9 = next(_columns(line) for line in lines if line.startswith("│ 9│"))
        assert row9[2:6] == ["", "◇", "", ""]  # Sekcam (P2) decides


def test_ascii_output_has_no_other_characters(capsys):
    code, out, _ = _run(capsys, "show-sop", "dawarblandong", "--ascii", "--width", "100")
    assert code == 0
    assert out.isascii()
    assert "()" in out and "<>" in out and "[]" in out


def test_json_lists_cells_by_actor(capsys):
    code, out, _ = _run(capsys, "show-sop", "kalipare", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["id"] == "kalipare/pengukuran-kinerja"
    assert [r["number"] for r in data["rows"]] == [1, 2, 3, 4, 5, 6]
    assert data["rows"][0]["cells"] == {"tim": "⬭"}
    assert data["rows"][5]["cells"] == {"kasubag_evapor": "⬭"}
    assert data["rows"][0]["symbol"] == "terminator"
    assert data["rows"][1]["cells"] == {"tim": "▭", "sekretaris": "▭"}


def test_hostile_text_is_shown_escaped_never_as_markup(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "defs" / "jahat"
    folder.mkdir(parents=True)
    text = (bundled_dir() / "kalipare" / "pengukuran-kinerja.toml").read_text(encoding="utf-8")
    first = text.index('activity = "') + len('activity = "')
    text = text[:first] + "[bold]tebal[/] \\u001b[31mmerah " + text[first:]
    (folder / "sop.toml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("LANGKAH_DEFS_DIR", str(tmp_path / "defs"))
    code, out, _ = _run(capsys, "show-sop", "jahat/sop", "--width", "200")
    assert code == 0
    assert "[bold]tebal[/]" in out
    assert "\x1b" not in out and "\\x1b[31mmerah" in out


def test_unknown_or_broken_sop_is_one_clear_line(tmp_path, monkeypatch, capsys):
    code, _, err = _run(capsys, "show-sop", "tidak-ada")
    assert code == 1 and "tidak ada SOP 'tidak-ada'" in err
    folder = tmp_path / "defs" / "rusak"
    folder.mkdir(parents=True)
    shutil.copy(bundled_dir() / "kalipare" / "pengukuran-kinerja.toml", folder / "sop.toml")
    path = folder / "sop.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("[[steps]]", "[[steps]", 1))
    monkeypatch.setenv("LANGKAH_DEFS_DIR", str(tmp_path / "defs"))
    code, _, err = _run(capsys, "show-sop", "rusak/sop")
    assert code == 1 and "has errors" in err and len(err.splitlines()) == 1


def test_step_differences_names_the_cells_that_differ():
    kalipare = _definition("kalipare")
    mentebah = _definition("mentebah")
    same = step_differences(kalipare, kalipare.steps[0], kalipare, kalipare.steps[0])
    assert same == frozenset()
    differ = step_differences(kalipare, kalipare.steps[0], mentebah, mentebah.steps[0])
    assert "activity" in differ
    # only the time changed: only the time differs
    changed = kalipare.steps[1].model_copy(update={"time": "45 menit"})
    assert step_differences(kalipare, kalipare.steps[1], kalipare, changed) == {"time"}
    assert step_differences(kalipare, kalipare.steps[0], None, None) == frozenset(
        {"activity", "actors", "symbol", "inputs", "time", "output", "remarks"}
    )


@pytest.mark.parametrize("width", [80, 200])
def test_too_many_actors_for_columns_share_one_column_never_cut(
    tmp_path, monkeypatch, capsys, width
):
    text = (bundled_dir() / "kalipare" / "pengukuran-kinerja.toml").read_text(encoding="utf-8")
    extra = "".join(
        f'\n[[actors]]\nid = "aktor{i}"\ntitle = "Pelaksana Tambahan Nomor {i}"\n'
        for i in range(12)
    )
    first = text.index("[[steps]]")
    path = tmp_path / "defs" / "banyak" / "sop.toml"
    path.parent.mkdir(parents=True)
    path.write_text(text[:first] + extra + "\n" + text[first:], encoding="utf-8")
    monkeypatch.setenv("LANGKAH_DEFS_DIR", str(tmp_path / "defs"))
    code, out, _ = _run(capsys, "show-sop", "banyak/sop", "--width", str(width))
    assert code == 0
    lines = out.splitlines()
    top = next(line for line in lines if line.startswith("┌"))
    assert top.endswith("┐") and max(cell_len(line) for line in lines) <= width  # whole table
    header = next(line for line in lines if line.startswith("│No"))
    assert _columns(header)[:3] == ["No", "Kegiatan", "Pelaksana"]
    assert "Tambahan" not in header  # no column per actor
    row = "\n".join(lines[lines.index(header) + 2 : lines.index(header) + 8])
    assert "⬭ Tim" in row  # step 1's actor, with its symbol, in the Pelaksana column


def test_compare_marks_exactly_the_changed_cells(tmp_path, monkeypatch, capsys):
    text = (bundled_dir() / "kalipare" / "pengukuran-kinerja.toml").read_text(encoding="utf-8")
    assert text.count('time = "1 Jam"') == 1
    path = tmp_path / "defs" / "salinan" / "sop.toml"
    path.parent.mkdir(parents=True)
    path.write_text(text.replace('time = "1 Jam"', 'time = "2 Jam"'), encoding="utf-8")
    monkeypatch.setenv("LANGKAH_DEFS_DIR", str(tmp_path / "defs"))
    code, out, _ = _run(
        capsys, "show-sop", "kalipare", "--compare", "salinan/sop", "--width", "120"
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[-1] == "1 dari 6 langkah berbeda"
    rows = [line for line in lines if line.startswith("│")]
    marked = [cell for line in rows for cell in _columns(line) if "*" in cell]
    assert marked == ["Waktu: *1 Jam", "Waktu: *2 Jam"]  # step 3's time, both sides, only
    code, out, _ = _run(capsys, "show-sop", "kalipare", "--compare", "salinan/sop", "--json")
    steps = json.loads(out)["steps"]
    assert [s["differs"] for s in steps] == [[], [], ["time"], [], [], []]


def test_compare_of_variants_of_different_lengths(capsys):
    code, out, _ = _run(
        capsys, "show-sop", "kalipare", "--compare", "mentebah", "--width", "100", "--ascii"
    )
    assert code == 0 and out.isascii()
    assert out.count("(tidak ada langkah)") == 2  # kalipare 6 steps, mentebah 8
    assert out.splitlines()[-1] == "8 dari 8 langkah berbeda"
    code, _, err = _run(capsys, "show-sop", "kalipare", "--compare", "tidak-ada")
    assert code == 1 and "tidak ada SOP 'tidak-ada'" in err


def test_a_toml_file_named_directly_is_shown_and_compared(tmp_path, capsys):
    text = (bundled_dir() / "kalipare" / "pengukuran-kinerja.toml").read_text(encoding="utf-8")
    draft = tmp_path / "draft.toml"
    draft.write_text(text.replace('output = "Telaah Pengukuran Kinerja"', 'output = "X"', 1))
    code, out, _ = _run(capsys, "show-sop", str(draft), "--json")
    assert code == 0 and json.loads(out)["rows"][2]["output"] == "X"
    code, out, _ = _run(capsys, "show-sop", "kalipare", "--compare", str(draft), "--json")
    assert [s["differs"] for s in json.loads(out)["steps"]] == [[], [], ["output"], [], [], []]
    broken = tmp_path / "rusak.toml"
    broken.write_text(text.replace('time = "1 Jam"', 'time = "1 jam lebih"'), encoding="utf-8")
    code, _, err = _run(capsys, "show-sop", str(broken))
    assert code == 1 and err.startswith(f"langkah: {broken}:") and "steps[3].time" in err
    code, _, err = _run(capsys, "show-sop", str(tmp_path / "tidak-ada.toml"))
    assert code == 1 and "cannot read" in err
