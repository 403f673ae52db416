"""The evaluators' recap as an .xlsx workbook: one sheet of cycles, one of cycle-steps.

Written with XlsxWriter: a maintained, write-only library that streams rows to disk
(`constant_memory`), about three times faster than openpyxl for a write-once file of 5,000
cycles, with real dates, numbers, a frozen header row and an autofilter. (openpyxl reads the
file back in the tests.) Dates are local times of each SOP's time zone, written as Excel
dates; durations are working minutes, written as numbers. Text typed by people goes through
the report's sanitiser and is always written as text (a leading "=" never becomes a formula).
The file is written beside its target and renamed into place, so a failure leaves no half file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import stat
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import xlsxwriter  # type: ignore[import-untyped]
import xlsxwriter.exceptions  # type: ignore[import-untyped]

from langkah.engine.vocabulary import cycle_status
from langkah.messages import TextError, say
from langkah.report.sanitize import clean
from langkah.views import RecapCycle, RecapStep

DATE_FORMAT = "dd/mm/yyyy hh:mm"
MINUTES_FORMAT = "0.0"
SHARE_FORMAT = "0%"


class RecapError(TextError):
    """A recap that could not be written; the message names the path and the cause."""


def _cannot_write(path: Path, reason: object) -> RecapError:
    return RecapError(say("recap.cannot_write", path=path, reason=reason))


# (header, width, kind, value) — kind: "text", "date", "minutes", "int", "share"
Column = tuple[str, float, str, Callable[[Any], Any]]


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("Ya" if value else "Tidak")


def _integrity_text(cycle: RecapCycle) -> str:
    """What does not verify, in the workbook's language (Bahasa Indonesia); "" if it does."""
    problem = cycle.integrity_problem
    return "" if problem is None else problem.message("id")


CYCLE_COLUMNS: tuple[Column, ...] = (
    ("Kode siklus", 34, "text", lambda c: c.cycle_id),
    ("SOP", 24, "text", lambda c: c.sop_id),
    ("Kecamatan", 16, "text", lambda c: c.kecamatan),
    ("Nama SOP", 26, "text", lambda c: c.sop_name),
    ("Periode", 10, "text", lambda c: c.period),
    ("Status", 11, "text", lambda c: cycle_status(c.status)),
    ("Langkah saat ini", 9, "int", lambda c: c.current_step),
    ("Dimulai", 16, "date", lambda c: c.started),
    ("Selesai", 16, "date", lambda c: c.ended),
    ("Waktu kerja (menit)", 11, "minutes", lambda c: c.actual_minutes),
    ("Langkah berwaktu standar", 10, "int", lambda c: c.timed_steps),
    ("Langkah tepat waktu", 10, "int", lambda c: c.on_time_steps),
    ("Langkah terlambat", 10, "int", lambda c: c.late_steps),
    ("Persentase tepat waktu", 10, "share", lambda c: c.on_time_share),
    ("Pengembalian", 10, "int", lambda c: c.returns),
    ("Versi definisi", 14, "text", lambda c: c.definition_version),
    ("Masalah verifikasi", 24, "text", _integrity_text),
)

STEP_COLUMNS: tuple[Column, ...] = (
    ("Kode siklus", 34, "text", lambda s: s.cycle_id),
    ("Kecamatan", 16, "text", lambda s: s.kecamatan),
    ("Periode", 10, "text", lambda s: s.period),
    ("No langkah", 8, "int", lambda s: s.step),
    ("Pelaksanaan ke-", 9, "int", lambda s: s.round),
    ("Kegiatan", 40, "text", lambda s: s.activity),
    ("Pelaksana", 20, "text", lambda s: s.actors),
    ("Waktu standar", 16, "text", lambda s: s.standard_text),
    ("Waktu standar (menit)", 11, "minutes", lambda s: s.standard_minutes),
    ("Batas waktu", 16, "date", lambda s: s.due),
    ("Mulai", 16, "date", lambda s: s.started),
    ("Selesai", 16, "date", lambda s: s.ended),
    ("Waktu aktual (menit)", 11, "minutes", lambda s: s.actual_minutes),
    ("Dijeda (menit)", 10, "minutes", lambda s: s.paused_minutes),
    ("Terlambat", 10, "text", lambda s: _yes_no(s.late)),
    ("Terlambat (menit)", 11, "minutes", lambda s: s.late_minutes if s.late else None),
    ("Hasil", 14, "text", lambda s: s.outcome),
    ("Dikembalikan ke langkah", 11, "int", lambda s: s.returned_to),
    ("Alasan", 30, "text", lambda s: s.reason),
)

NOTES = (
    "Rekap pelaksanaan SOP (Langkah)",
    "Waktu (menit) adalah menit kerja menurut jam kerja SOP (Perpres 21/2023), jeda tidak "
    "dihitung; tanggal dan jam adalah waktu setempat zona waktu SOP.",
    "Persentase tepat waktu = langkah dalam waktu standar / langkah yang berwaktu standar "
    "(hanya langkah yang sudah selesai).",
)


def _writer(
    sheet: Any, formats: dict[str, Any]
) -> Callable[[int, int, str, Any], None]:  # pragma: no branch
    def put(row: int, col: int, kind: str, value: Any) -> None:
        if value is None or value == "":
            return
        if kind == "text":
            sheet.write_string(row, col, clean(value))
        elif kind == "date":
            sheet.write_datetime(row, col, value, formats["date"])
        elif kind == "minutes":
            sheet.write_number(row, col, round(float(value), 1), formats["minutes"])
        elif kind == "share":
            sheet.write_number(row, col, value, formats["share"])
        else:
            sheet.write_number(row, col, value)

    return put


def _sheet(workbook: Any, name: str, columns: Sequence[Column], rows: Iterable[Any],
           formats: dict[str, Any]) -> int:  # fmt: skip
    sheet = workbook.add_worksheet(name)
    for col, (title, width, _, _) in enumerate(columns):
        sheet.set_column(col, col, width)
        sheet.write_string(0, col, title, formats["header"])
    sheet.freeze_panes(1, 0)
    put = _writer(sheet, formats)
    count = 0
    for count, item in enumerate(rows, 1):
        for col, (_, _, kind, get) in enumerate(columns):
            put(count, col, kind, get(item))
    sheet.autofilter(0, 0, max(count, 1), len(columns) - 1)
    return count


def _steps(cycles: Sequence[RecapCycle]) -> Iterable[RecapStep]:
    for cycle in cycles:
        yield from cycle.steps


def write_workbook(
    path: str,
    cycles: Sequence[RecapCycle],
    filters: str,
    made: dt.datetime,
    extra: Callable[[Any], None] | None = None,
) -> None:
    """Write the workbook to `path` (overwritten)."""
    workbook = xlsxwriter.Workbook(path, {"constant_memory": True, "strings_to_numbers": False})
    formats = {
        "header": workbook.add_format(
            {"bold": True, "bg_color": "#D9D9D9", "text_wrap": True, "valign": "top", "border": 1}
        ),  # fmt: skip
        "date": workbook.add_format({"num_format": DATE_FORMAT}),
        "minutes": workbook.add_format({"num_format": MINUTES_FORMAT}),
        "share": workbook.add_format({"num_format": SHARE_FORMAT}),
    }
    _sheet(workbook, "Siklus", CYCLE_COLUMNS, cycles, formats)
    _sheet(workbook, "Langkah", STEP_COLUMNS, _steps(cycles), formats)
    notes = workbook.add_worksheet("Keterangan")
    notes.set_column(0, 0, 110)
    lines = [*NOTES, f"Filter: {filters or 'semua siklus'}", f"Dibuat: {made:%d/%m/%Y %H:%M}"]
    for row, line in enumerate(lines):
        notes.write_string(row, 0, clean(line))
    workbook.set_properties({"title": "Rekap pelaksanaan SOP", "author": "Langkah"})
    if extra is not None:  # more sheets (langkah/report/xlsx_stats.py)
        extra(workbook)
    workbook.close()


def _link_new(temp_name: str, path: Path) -> None:
    """Put the temp file at `path` only if nothing is there (a hard link never replaces)."""
    try:
        os.link(temp_name, path)
    except FileExistsError:
        raise
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
            raise
        if os.path.lexists(path):  # a file system without hard links (FAT): check, then rename
            raise FileExistsError(errno.EEXIST, "exists", str(path)) from None
        os.replace(temp_name, path)
        return
    os.unlink(temp_name)


def export_recap(cycles: Sequence[RecapCycle], path: Path, *, replace: bool = False,
                 filters: str = "", made: dt.datetime | None = None,
                 extra: Callable[[Any], None] | None = None) -> Path:  # fmt: skip
    """Write the recap to `path` atomically. An existing file is refused unless `replace`;
    the folder must exist. Raises RecapError naming the path and the cause."""
    path = Path(path).expanduser()
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        mode = None
    except NotADirectoryError:
        raise _cannot_write(path, say("file.not_a_folder", folder=path.parent)) from None
    except OSError as error:
        raise _cannot_write(path, error.strerror) from None
    if mode is not None and not stat.S_ISREG(mode):
        raise _cannot_write(path, say("file.not_regular"))
    if mode is not None and not replace:
        raise RecapError(say("file.exists", path=path))
    if not path.parent.is_dir():
        key = "file.not_a_folder" if path.parent.exists() else "file.folder_missing"
        raise _cannot_write(path, say(key, folder=path.parent))
    temp_name = None
    try:
        descriptor, temp_name = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
        )
        os.close(descriptor)
        write_workbook(temp_name, cycles, filters, made or dt.datetime.now(), extra)
        os.chmod(temp_name, 0o644)
        with open(temp_name, "rb") as handle:
            os.fsync(handle.fileno())
        if replace:
            os.replace(temp_name, path)
        else:
            _link_new(temp_name, path)
        temp_name = None
    except FileExistsError:
        raise RecapError(say("file.exists", path=path)) from None
    except (OSError, xlsxwriter.exceptions.XlsxWriterException) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise _cannot_write(path, reason) from None
    finally:
        if temp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp_name)
    return path
