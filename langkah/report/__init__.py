"""The Word report of one cycle: what happened, against the SOP's standards, ready to sign.

`export_report(view, path, options)` writes the .docx atomically and returns its path.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from langkah.report.content import monitoring_rows
from langkah.report.docx_writer import build_document
from langkah.report.options import MonitoringRow, ReportError, ReportOptions
from langkah.views import CycleView

REPORT_FOLDER = "laporan"


def default_report_path(data_dir: Path, cycle_id: str) -> Path:
    """<data_dir>/laporan/<cycle_id>.docx"""
    return Path(data_dir) / REPORT_FOLDER / f"{cycle_id}.docx"


def export_report(
    view: CycleView, path: Path | None = None, options: ReportOptions | None = None
) -> Path:
    """Write the report (temp file + os.replace) and return where it went.

    `path` defaults to the data directory's laporan/ folder; an existing directory gets
    <cycle_id>.docx inside it. Raises ReportError naming the path when it cannot be written.
    """
    if path is None:
        from langkah import settings

        path = default_report_path(settings.data_dir(), view.state.cycle_id)
    path = Path(path).expanduser()
    if path.is_dir():
        path = path / f"{view.state.cycle_id}.docx"
    document = build_document(view, options or ReportOptions())
    temp_name = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temp_name = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
        )
        os.fchmod(descriptor, 0o644)  # a document to share and print, not mkstemp's private 0600
        with os.fdopen(descriptor, "wb") as handle:
            document.save(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
        temp_name = None
    except OSError as error:
        reason = error.strerror or str(error)
        raise ReportError(f"cannot write the report to {path}: {reason}", path) from None
    finally:
        if temp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp_name)
    return path


__all__ = [
    "MonitoringRow",
    "ReportError",
    "ReportOptions",
    "build_document",
    "default_report_path",
    "export_report",
    "monitoring_rows",
]
