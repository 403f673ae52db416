"""The evaluators' recap as an .xlsx workbook: one sheet of cycles, one of cycle-steps.

Written by langkah/report/xlsx_writer.py, a small writer of tables of typed columns (it
replaced XlsxWriter, whose generic per-cell path made ~600,000 cells cost 4-6 s of the export;
docs/performance.md). Dates are local times of each SOP's time zone, written as Excel dates;
durations are working minutes, written as numbers. Text typed by people goes through the
report's sanitiser and is always written as text (a leading "=" never becomes a formula).
The file is written beside its target and renamed into place, so a failure leaves no half file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import stat
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from langkah.engine.vocabulary import cycle_status
from langkah.messages import TextError, os_reason, say
from langkah.report.sanitize import clean
from langkah.report.xlsx_writer import DATE, NUMBER, CellError, Column, Workbook
from langkah.views import RecapCycle, RecapStep

DATE_FORMAT = "dd/mm/yyyy hh:mm"
MINUTES_FORMAT = "0.0"
SHARE_FORMAT = "0%"
TITLE = "Rekap pelaksanaan SOP"
AUTHOR = "Langkah"


class RecapError(TextError):
    """A recap that could not be written; the message names the path and the cause."""


def _cannot_write(path: Path, reason: object) -> RecapError:
    return RecapError(say("recap.cannot_write", path=path, reason=reason))


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("Ya" if value else "Tidak")


def _integrity_text(cycle: RecapCycle) -> str:
    """What does not verify, in the workbook's language (Bahasa Indonesia); "" if it does."""
    problem = cycle.integrity_problem
    return "" if problem is None else problem.message("id")


def _minutes(value: float | None) -> float | None:
    """Working minutes as the sheet shows them: to one decimal."""
    return None if value is None else round(float(value), 1)


def _date(title: str, width: float, get: Callable[[Any], Any]) -> Column:
    return Column(title, width, get, DATE, DATE_FORMAT)


def _int(title: str, width: float, get: Callable[[Any], Any]) -> Column:
    return Column(title, width, get, NUMBER)


def _mins(title: str, width: float, get: Callable[[Any], float | None]) -> Column:
    return Column(title, width, lambda item: _minutes(get(item)), NUMBER, MINUTES_FORMAT)


CYCLE_COLUMNS: tuple[Column, ...] = (
    Column("Kode siklus", 34, lambda c: c.cycle_id),
    Column("SOP", 24, lambda c: c.sop_id),
    Column("Kecamatan", 16, lambda c: c.kecamatan),
    Column("Nama SOP", 26, lambda c: c.sop_name),
    Column("Periode", 10, lambda c: c.period),
    Column("Status", 11, lambda c: cycle_status(c.status)),
    _int("Langkah saat ini", 9, lambda c: c.current_step),
    _date("Dimulai", 16, lambda c: c.started),
    _date("Selesai", 16, lambda c: c.ended),
    _mins("Waktu kerja (menit)", 11, lambda c: c.actual_minutes),
    _int("Langkah berwaktu standar", 10, lambda c: c.timed_steps),
    _int("Langkah tepat waktu", 10, lambda c: c.on_time_steps),
    _int("Langkah terlambat", 10, lambda c: c.late_steps),
    Column("Persentase tepat waktu", 10, lambda c: c.on_time_share, NUMBER, SHARE_FORMAT),
    _int("Pengembalian", 10, lambda c: c.returns),
    Column("Versi definisi", 14, lambda c: c.definition_version),
    Column("Masalah verifikasi", 24, _integrity_text),
)

STEP_COLUMNS: tuple[Column, ...] = (
    Column("Kode siklus", 34, lambda s: s.cycle_id),
    Column("Kecamatan", 16, lambda s: s.kecamatan),
    Column("Periode", 10, lambda s: s.period),
    _int("No langkah", 8, lambda s: s.step),
    _int("Pelaksanaan ke-", 9, lambda s: s.round),
    Column("Kegiatan", 40, lambda s: s.activity),
    Column("Pelaksana", 20, lambda s: s.actors),
    Column("Waktu standar", 16, lambda s: s.standard_text),
    _mins("Waktu standar (menit)", 11, lambda s: s.standard_minutes),
    _date("Batas waktu", 16, lambda s: s.due),
    _date("Mulai", 16, lambda s: s.started),
    _date("Selesai", 16, lambda s: s.ended),
    _mins("Waktu aktual (menit)", 11, lambda s: s.actual_minutes),
    _mins("Dijeda (menit)", 10, lambda s: s.paused_minutes),
    Column("Terlambat", 10, lambda s: _yes_no(s.late)),
    _mins("Terlambat (menit)", 11, lambda s: s.late_minutes if s.late else None),
    Column("Hasil", 14, lambda s: s.outcome),
    _int("Dikembalikan ke langkah", 11, lambda s: s.returned_to),
    Column("Alasan", 30, lambda s: s.reason),
)

NOTES = (
    "Rekap pelaksanaan SOP (Langkah)",
    "Waktu (menit) adalah menit kerja menurut jam kerja SOP (Perpres 21/2023), jeda tidak "
    "dihitung; tanggal dan jam adalah waktu setempat zona waktu SOP.",
    "Persentase tepat waktu = langkah dalam waktu standar / langkah yang berwaktu standar "
    "(hanya langkah yang sudah selesai).",
)


def write_workbook(
    path: str,
    cycles: Sequence[RecapCycle],
    filters: str,
    made: dt.datetime,
    extra: Callable[[Workbook], None] | None = None,
) -> None:
    """Write the workbook to `path` (overwritten)."""
    workbook = Workbook(path, title=TITLE, author=AUTHOR, clean=clean)
    steps: list[RecapStep] = [step for cycle in cycles for step in cycle.steps]
    workbook.add_table("Siklus", CYCLE_COLUMNS, cycles)
    workbook.add_table("Langkah", STEP_COLUMNS, steps)
    lines = [*NOTES, f"Filter: {filters or 'semua siklus'}", f"Dibuat: {made:%d/%m/%Y %H:%M}"]
    workbook.add_notes("Keterangan", 110, lines)
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
                 extra: Callable[[Workbook], None] | None = None) -> Path:  # fmt: skip
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
        raise _cannot_write(path, os_reason(error)) from None
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
    except (OSError, CellError) as error:
        reason = os_reason(error) if isinstance(error, OSError) else str(error)
        raise _cannot_write(path, reason) from None
    finally:
        if temp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp_name)
    return path
