"""The Word report of one cycle: what happened, against the SOP's standards, ready to sign.

`export_report(view, path, options)` writes the .docx atomically and returns its path.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import stat
import tempfile
from pathlib import Path

from langkah.file_kinds import not_regular
from langkah.messages import Text, os_reason, say
from langkah.report.content import monitoring_rows
from langkah.report.docx_writer import build_document
from langkah.report.options import MonitoringRow, ReportError, ReportOptions
from langkah.views import CycleView

REPORT_FOLDER = "laporan"


def default_report_path(data_dir: Path, cycle_id: str) -> Path:
    """<data_dir>/laporan/<cycle_id>.docx"""
    return Path(data_dir) / REPORT_FOLDER / f"{cycle_id}.docx"


def export_report(
    view: CycleView,
    path: Path | None = None,
    options: ReportOptions | None = None,
    *,
    replace: bool = True,
    create_folder: bool = True,
) -> Path:
    """Write the report (temp file in the target folder + rename) and return where it went.

    `path` defaults to the data directory's laporan/ folder; an existing directory gets
    <cycle_id>.docx inside it. The target must be absent or a regular file (a symlink counts
    as what it points to, and the file it points to is replaced); a FIFO, a device or a folder
    is refused. `replace=False` refuses an existing file (even one that appears during the
    write); `create_folder=False` refuses a missing parent folder instead of creating it.
    Raises ReportError naming the path; on any failure the old file is left as it was.
    """
    if path is None:
        from langkah import settings

        path = default_report_path(settings.data_dir(), view.state.cycle_id)
    path = Path(path).expanduser()
    if path.is_dir():
        path = path / f"{view.state.cycle_id}.docx"
    target = writable_target(path, replace, create_folder)
    document = build_document(view, options or ReportOptions())
    # Serialise in memory first: a failing disk then fails in our own write, never inside
    # zipfile (whose half-written archive complained from __del__ with a traceback).
    buffer = io.BytesIO()
    document.save(buffer)
    return save_durably(buffer, path, target, replace, create_folder, "the report")


def save_durably(
    buffer: io.BytesIO, path: Path, target: Path, replace: bool, create_folder: bool, what: str
) -> Path:
    """Write a serialised document to `target` (checked by `writable_target`): a temp file
    beside it, fsync'd, then renamed over it (`replace`) or linked as a new file; the folder
    fsync'd. ReportError names `what`, `path` and the cause; an old file is left as it was."""
    temp_name = None
    try:
        if create_folder:
            target.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temp_name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
        )
        os.fchmod(descriptor, 0o644)  # a document to share and print, not mkstemp's private 0600
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(buffer.getbuffer())
            handle.flush()
            os.fsync(handle.fileno())
        if replace:
            _check_still_replaceable(target, path)
            os.replace(temp_name, target)
        else:
            _link_new(temp_name, target, path)
        temp_name = None
        _fsync_folder(target.parent)
    except OSError as error:
        reason: Text = os_reason(error)
        key = "recap.cannot_write" if what == "the recap" else "report.cannot_write"
        raise ReportError(say(key, path=path, reason=reason), path) from None
    finally:
        if temp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp_name)
    return path


def writable_target(path: Path, replace: bool, create_folder: bool) -> Path:
    """The file the report will replace (`path`, or what a symlink at `path` points to)."""
    try:
        link = os.lstat(path)
    except FileNotFoundError:
        link = None
    except OSError as error:
        raise _cannot_write(path, os_reason(error)) from None
    target = path
    if link is not None and stat.S_ISLNK(link.st_mode):
        try:
            os.stat(path)
        except OSError:
            raise _cannot_write(path, say("file.dangling_link")) from None
        target = Path(os.path.realpath(path))
    _check_still_replaceable(target, path)
    if target.exists() and not replace:
        raise ReportError(say("file.exists", path=path), path)
    if not create_folder and not target.parent.is_dir():
        raise _cannot_write(path, say("file.no_folder", folder=target.parent))
    return target


def _cannot_write(path: Path, reason: object) -> ReportError:
    return ReportError(say("report.cannot_write", path=path, reason=reason), path)


def _check_still_replaceable(target: Path, path: Path) -> None:
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        return
    except OSError as error:
        raise _cannot_write(path, os_reason(error)) from None
    why = not_regular(mode)  # (a link was resolved above: `target` is not one)
    if why is not None:
        raise _cannot_write(path, why)


def _link_new(temp_name: str, target: Path, path: Path) -> None:
    """Put the temp file at `target` only if nothing is there (a hard link never replaces)."""
    try:
        os.link(temp_name, target)
    except FileExistsError:
        raise ReportError(say("file.exists", path=path), path) from None
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
            raise
        # a file system without hard links (FAT on a USB stick): check, then rename
        if os.path.lexists(target):
            raise ReportError(say("file.exists", path=path), path) from None
        os.replace(temp_name, target)
        return
    os.unlink(temp_name)


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


__all__ = [
    "MonitoringRow",
    "ReportError",
    "ReportOptions",
    "build_document",
    "default_report_path",
    "export_report",
    "monitoring_rows",
]
