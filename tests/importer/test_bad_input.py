"""Documents that cannot be imported: one clear message naming what is wrong, exit status 1,
and no draft written."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest

from langkah.cli.main import main
from langkah.importer import docx_reading

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _ole(stream_name: str) -> bytes:
    """A Compound File whose directory names one stream (enough for the signature checks)."""
    header = OLE + b"\x00" * (512 - len(OLE))
    entry = stream_name.encode("utf-16-le").ljust(64, b"\x00")
    return header + entry + b"\x00" * (512 - len(entry))


def _no_flowchart(path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Nomor SOP", "1/2/3"
    table.rows[1].cells[0].text, table.rows[1].cells[1].text = "Nama SOP", "Contoh"
    document.add_paragraph("Dasar Hukum: Undang-Undang")
    document.save(str(path))


def _no_actors(path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=4)
    for cell, text in zip(table.rows[0].cells, ["No", "Kegiatan", "Waktu", "Output"], strict=True):
        cell.text = text
    table.rows[1].cells[1].text = "Menyusun laporan"
    document.save(str(path))


def _zip_without_document(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a Word document")


CASES = {
    "empty": (lambda p: p.write_bytes(b""), "berkas kosong"),
    "not-a-zip": (lambda p: p.write_bytes(b"PK\x03\x04 broken beyond repair"), "bukan arsip ZIP"),
    "zip-not-word": (_zip_without_document, "tidak dapat dibaca sebagai dokumen Word"),
    "old-doc": (lambda p: p.write_bytes(_ole("WordDocument")), "dokumen Word lama (.doc"),
    "password": (lambda p: p.write_bytes(_ole("EncryptedPackage")), "dilindungi kata sandi"),
    "no-flowchart": (_no_flowchart, "tidak ada tabel diagram alir"),
    "no-actor-columns": (_no_actors, "tanpa kolom pelaksana"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_document_is_named_and_writes_no_draft(case, tmp_path, capsys):
    make, expected = CASES[case]
    source = tmp_path / "sop.docx"
    make(source)
    assert main(["import", str(source)]) == 1
    err = capsys.readouterr().err
    assert expected in err, err
    assert str(source) in err and "tidak ada draf yang ditulis" in err
    assert "Traceback" not in err
    assert not (tmp_path / "sop.toml").exists()


def test_a_folder_and_a_missing_file(tmp_path, capsys):
    assert main(["import", str(tmp_path)]) == 1
    assert "adalah folder" in capsys.readouterr().err
    assert main(["import", str(tmp_path / "tidak-ada.docx")]) == 1
    assert "berkas tidak ada" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_a_device_and_a_zip_bomb(tmp_path, capsys, monkeypatch):
    assert main(["import", "/dev/null"]) == 1
    assert "bukan berkas biasa" in capsys.readouterr().err
    monkeypatch.setattr(docx_reading, "MAX_BYTES", 2**20)  # 200 MB in the code
    bomb = tmp_path / "bom.docx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b" " * (2 * 2**20))
    assert main(["import", str(bomb)]) == 1
    assert "terlalu besar setelah dibuka" in capsys.readouterr().err
    assert not (tmp_path / "bom.toml").exists()
