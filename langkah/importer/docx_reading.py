"""Opening a Word file, with one clear message for each way it cannot be read, and the grid of
a table's rows (merged cells are one `w:tc` repeated under every grid column they cover)."""

from __future__ import annotations

import stat
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from docx.table import Table

from langkah.importer.errors import ImportFailure

MAX_BYTES = 200 * 2**20  # an SOP document, pictures included, is far smaller
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Compound File (old .doc, or an encrypted .docx)
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")


def open_document(path: Path) -> Any:
    """The python-docx Document of `path`, or ImportFailure naming what is wrong."""
    if path.is_dir():
        raise ImportFailure(f"{path}: adalah folder, bukan berkas Word (.docx)")
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise ImportFailure(f"{path}: bukan berkas biasa (perangkat, pipa atau soket)")
        size = info.st_size
        with path.open("rb") as handle:
            head = handle.read(8)
    except FileNotFoundError:
        raise ImportFailure(f"{path}: berkas tidak ada") from None
    except OSError as error:
        raise ImportFailure(f"{path}: tidak dapat dibaca ({error.strerror})") from None
    if size == 0:
        raise ImportFailure(f"{path}: berkas kosong (0 bita), bukan dokumen Word")
    if head == OLE_MAGIC:
        if _is_encrypted(path):
            raise ImportFailure(
                f"{path}: dokumen dilindungi kata sandi; buka di Word, hapus kata sandinya "
                "(File > Info > Protect Document), simpan, lalu impor lagi"
            )
        raise ImportFailure(
            f"{path}: dokumen Word lama (.doc, format biner); simpan ulang sebagai .docx "
            "(File > Save As > Word Document) lalu impor lagi"
        )
    if size > MAX_BYTES:
        raise ImportFailure(f"{path}: terlalu besar ({size // 2**20} MB; paling besar 200 MB)")
    if not zipfile.is_zipfile(path):
        raise ImportFailure(f"{path}: bukan dokumen Word .docx (bukan arsip ZIP Office Open XML)")
    _check_unpacked_size(path)
    import docx

    try:
        return docx.Document(str(path))
    except Exception as error:  # python-docx raises KeyError, ValueError, lxml errors ...
        reason = str(error).splitlines()[0][:200] if str(error) else type(error).__name__
        raise ImportFailure(
            f"{path}: tidak dapat dibaca sebagai dokumen Word (rusak atau bukan .docx: {reason})"
        ) from None


def _check_unpacked_size(path: Path) -> None:
    """Refuse an archive whose XML parts would unpack beyond MAX_BYTES (a zip bomb)."""
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(i.file_size for i in archive.infolist() if i.filename.endswith(".xml"))
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ImportFailure(f"{path}: arsip .docx rusak ({error})") from None
    if unpacked > MAX_BYTES:
        raise ImportFailure(
            f"{path}: isi XML-nya terlalu besar setelah dibuka ({unpacked // 2**20} MB; "
            "paling besar 200 MB)"
        )


def _is_encrypted(path: Path) -> bool:
    """An OLE file holding an 'EncryptedPackage' stream is a password-protected .docx."""
    try:
        with path.open("rb") as handle:
            return _ENCRYPTED in handle.read(1 << 20)
    except OSError:
        return False


def all_tables(document: Any) -> Iterator[Table]:
    """Every table of the document body in order, tables nested in cells included."""

    def walk(tables: list[Table]) -> Iterator[Table]:
        for table in tables:
            yield table
            seen: dict[int, Any] = {}  # holds the elements, so their ids are not reused
            for row in table.rows:
                for cell in row.cells:
                    if id(cell._tc) in seen:
                        continue
                    seen[id(cell._tc)] = cell._tc
                    if cell.tables:
                        yield from walk(cell.tables)

    yield from walk(list(document.tables))


def grid_rows(table: Table) -> list[list[Any]]:
    """The `w:tc` elements of each row, one per grid column (merged cells repeated)."""
    rows: list[list[Any]] = []
    for row in table.rows:
        rows.append([cell._tc for cell in row.cells])
    return rows
