"""`langkah import` as a user runs it: where the draft goes, the PERIKSA checklist with its line
numbers, no overwrite without --force, and documents that are not clean."""

from __future__ import annotations

from pathlib import Path

import pytest

from langkah.cli.main import main
from langkah.engine.loader import DefinitionError, parse_definition
from langkah.importer.draft_builder import import_docx
from tests.importer.sop_docx import LAYOUTS, Layout, build_docx
from tests.importer.test_roundtrip import canonical, differences

ROOT = Path(__file__).resolve().parents[2]
DINAS = ROOT / "tests/fixtures/definitions/dpmd/verifikasi-dana-desa.toml"
KALIPARE = ROOT / "sop_definitions/kalipare/pengukuran-kinerja.toml"
MENTEBAH = ROOT / "sop_definitions/mentebah/pengukuran-kinerja.toml"


def _definition(path: Path, text: str | None = None):
    return parse_definition(text or path.read_text(encoding="utf-8"), str(path)).definition


def _docx(tmp_path: Path, source: Path = KALIPARE, layout: Layout = LAYOUTS[0]) -> Path:
    return build_docx(_definition(source), layout, tmp_path / "sop.docx")


def _checks_point_at_their_lines(text: str, checks: list[tuple[int, str]]) -> None:
    lines = text.splitlines()
    for line, message in checks:
        assert lines[line - 1].strip() == f"# PERIKSA: {message}"


def test_default_draft_beside_the_document_with_its_checklist(tmp_path, capsys):
    source = _docx(tmp_path)
    assert main(["import", str(source)]) == 0
    out = capsys.readouterr().out
    draft = tmp_path / "sop.toml"
    assert f"Draf ditulis: {draft} (6 langkah, 3 pelaksana)" in out
    assert "Periksa 1 hal" in out and "zona waktu" in out
    assert "Draf lolos validasi" in out
    text = draft.read_text(encoding="utf-8")
    line = int(out.split("baris ")[1].split(":")[0])
    assert text.splitlines()[line - 1].startswith("# PERIKSA: dokumen tidak menyebut zona waktu")
    assert main(["validate", str(draft)]) == 0


def test_an_existing_draft_is_kept_without_force(tmp_path, capsys):
    source = _docx(tmp_path)
    target = tmp_path / "mine.toml"
    target.write_text("# my edits\n", encoding="utf-8")
    assert main(["import", str(source), "-o", str(target)]) == 1
    assert "sudah ada; tidak ditimpa (pakai --force" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "# my edits\n"
    assert main(["import", str(source), "-o", str(target), "--force"]) == 0
    assert target.read_text(encoding="utf-8").startswith("# Draf definisi SOP")


def test_standard_output_and_a_bad_time_zone(tmp_path, capsys):
    source = _docx(tmp_path, MENTEBAH)
    assert main(["import", str(source), "-o", "-", "--timezone", "Asia/Pontianak"]) == 0
    out, err = capsys.readouterr()
    assert 'timezone = "Asia/Pontianak"' in out and "Tidak ada hal PERIKSA." in err
    assert list(tmp_path.iterdir()) == [source]
    assert main(["import", str(source), "--timezone", "Asia/Mentebah"]) == 1
    assert "bukan zona waktu IANA" in capsys.readouterr().err


def test_a_dinas_with_placeholder_dates_and_minutes_in_the_header(tmp_path):
    """A dinas: unit kind and name from the kop, a placeholder date kept as text (PERIKSA), a
    revision number, bare minutes under "Waktu (menit)". The Word document holds no `place`
    and no handoff (who hands to whom is drawn by arrows Langkah does not follow)."""
    dinas = _definition(DINAS)
    draft = import_docx(build_docx(dinas, LAYOUTS[1], tmp_path / "dinas.docx"))
    imported = parse_definition(draft.text, "draft.toml").definition
    want = canonical(dinas)
    want["identity"]["place"] = ""
    for step in want["steps"]:
        step["handoff"] = False
    assert differences(canonical(imported), want) == []
    assert imported.identity.office.head_label == "Kepala Dinas Pemberdayaan Masyarakat dan Desa"
    assert 'time_unit = "menit"' in draft.text
    assert any("'…… 2022' bukan tanggal lengkap" in text for _, text in draft.checks)
    _checks_point_at_their_lines(draft.text, draft.checks)


@pytest.mark.parametrize("symbols", ["floating", "text"])
def test_a_decision_without_its_exits_is_a_check_and_does_not_validate(tmp_path, symbols):
    layout = Layout(symbols, 2, exits=False)
    draft = import_docx(build_docx(_definition(MENTEBAH), layout, tmp_path / "m.docx"))
    messages = [text for _, text in draft.checks]
    assert any("ke mana jawaban 'tidak' kembali (baris" in m for m in messages)
    _checks_point_at_their_lines(draft.text, draft.checks)
    with pytest.raises(DefinitionError) as refused:
        parse_definition(draft.text, "draft.toml")
    assert "decision.no: is required" in str(refused.value.problems[0])


def test_arrow_labels_without_step_numbers_give_the_exit_labels(tmp_path, monkeypatch):
    """Arrows labelled "Setuju" / "Tidak setuju" (no step number): the labels are read, the
    'tidak' target stays a PERIKSA item."""
    from tests.importer import sop_docx

    original = sop_docx._label_runs
    monkeypatch.setattr(
        sop_docx, "_label_runs", lambda style, text: original(style, text.split(":")[0])
    )
    layout = Layout("floating", 2)
    draft = import_docx(build_docx(_definition(MENTEBAH), layout, tmp_path / "m.docx"))
    assert 'yes_label = "setuju"  # label panah' in draft.text
    assert 'no_label = "tidak setuju"  # label panah' in draft.text
    assert any("ke mana jawaban 'tidak' kembali" in text for _, text in draft.checks)


def test_words_that_look_like_toml_are_kept_exactly(tmp_path):
    text = KALIPARE.read_text(encoding="utf-8").replace(
        'activity = "Hasil penyempurnaan diketik oleh Kasubag Evapor"',
        'activity = "Ketik \\"hasil\\" [final] # bukan komentar \\\\ C:\\\\arsip selesai"',
    )
    d = _definition(KALIPARE, text)
    draft = import_docx(build_docx(d, LAYOUTS[5], tmp_path / "k.docx"))
    imported = parse_definition(draft.text, "draft.toml").definition
    assert imported.steps[4].activity == d.steps[4].activity
    assert differences(canonical(imported), canonical(d)) == []


def test_an_unclean_document_gets_checks_and_the_loader_problems(tmp_path, capsys):
    """No kop, two columns with one title, a repeated and a missing step number, a waktu the
    engine refuses: each is a PERIKSA item or a located problem; the draft is still written."""
    import docx

    document = docx.Document()
    table = document.add_table(rows=4, cols=6)
    header = ["No", "Kegiatan", "Camat", "Camat", "Waktu", "Keterangan"]
    rows = [
        ("1", "Mulai", "⬭", "", "sebentar", ""),
        ("1", "Periksa", "", "◇", "5 menit", "Apakah lengkap? tidak: kembali ke langkah 1"),
        ("x", "Selesai", "✓", "", "", "catatan"),
    ]
    for row, values in zip(table.rows, [header, *rows], strict=True):
        for cell, text in zip(row.cells, values, strict=True):
            cell.text = text
    source = tmp_path / "kotor.docx"
    document.save(str(source))
    assert main(["import", str(source)]) == 0
    out = capsys.readouterr().out
    text = (tmp_path / "kotor.toml").read_text(encoding="utf-8")
    for expected in (
        "tulis `government",
        "dua kolom pelaksana berjudul 'Camat'",
        "nomor langkah 1 dipakai lebih dari sekali",
        "kolom No baris 4: 'x'; nomor 3 dipakai",
    ):
        assert expected in out
    assert "Draf belum lolos validasi" in out and "identity.government: is required" in out
    for line in out.splitlines():
        if line.startswith("  baris "):
            number = int(line.split()[1].rstrip(":"))
            assert text.splitlines()[number - 1].startswith("# PERIKSA: ")
    assert 'question = "Apakah lengkap?"' in text and "no = 1" in text
    assert 'remarks = "catatan"' in text


def test_a_two_row_header_whose_first_columns_are_not_merged(tmp_path):
    """'No' and 'Kegiatan' above empty cells (not merged down), 'Pelaksana' over two actors."""
    import docx

    document = docx.Document()
    table = document.add_table(rows=3, cols=6)
    top, sub, row = (r.cells for r in table.rows)
    top[0].text, top[1].text, top[4].text, top[5].text = "No", "Kegiatan", "Waktu", "Ket."
    top[2].merge(top[3]).text = "Pelaksana"
    sub[2].text, sub[3].text = "Camat", "Staf"
    row[0].text, row[1].text, row[3].text, row[4].text = "1", "Mulai", "▭", "5 menit"
    document.save(str(tmp_path / "s.docx"))
    draft = import_docx(tmp_path / "s.docx")
    assert [(a.title) for a in _actors_of(draft.text)] == ["Camat", "Staf"]
    assert 'actors = ["staf"]' in draft.text and 'time = "5 menit"' in draft.text


def _actors_of(text: str):
    import tomllib
    from types import SimpleNamespace

    return [SimpleNamespace(**a) for a in tomllib.loads(text)["actors"]]


def test_bidi_and_zero_width_characters_are_escaped_in_the_draft_and_kept(tmp_path):
    text = KALIPARE.read_text(encoding="utf-8").replace(
        'name = "Pengukuran Kinerja"', 'name = "Pengukuran\\u202e Kinerja\\u200b"'
    )
    d = _definition(KALIPARE, text)
    draft = import_docx(build_docx(d, LAYOUTS[0], tmp_path / "k.docx"))
    assert "\u202e" not in draft.text and "\u200b" not in draft.text
    assert 'name = "Pengukuran\\u202E Kinerja\\u200B"' in draft.text
    assert parse_definition(draft.text, "d.toml").definition.identity.name == d.identity.name


def test_the_report_speaks_english_with_lang_en(tmp_path, capsys):
    source = _docx(tmp_path)
    assert main(["--lang", "en", "import", str(source)]) == 0
    out = capsys.readouterr().out
    draft = tmp_path / "sop.toml"
    assert f"Draft written: {draft} (6 steps, 3 actors)" in out
    assert "Check 1 items (# PERIKSA in the draft):" in out and "  line " in out
    assert "The draft validates" in out and "To use it: copy it to" in out
    assert "Draf ditulis" not in out and "baris" not in out
