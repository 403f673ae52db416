"""The index of definition files: what a listing needs of each, without parsing it again.

`<data dir>/definitions-index.json` keeps, per definition file (by its absolute path), the
file's stat key (inode, size, mtime, ctime in ns) and either the summary a listing shows (unit,
name, number, steps, actors, digest) or the problems that make the file invalid. A record is used
only while the file's stat key is unchanged; any change re-reads that one file. The index is
disposable: missing, unreadable, broken or written under other engine sources (an upgrade or
an edit of the validation rules), it is rebuilt.
Files changed in the last two seconds are not written into it (their mtime may not move on
another change within the file system's clock tick), so they are read again next time.

Nothing here imports pydantic or the engine's models: a listing with a fresh index reads one
JSON file and stats the definition files.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from langkah.cache_files import read_cache_file

if TYPE_CHECKING:
    from langkah.engine.loader import LoadedDefinition, Problem

INDEX_FILE = "definitions-index.json"
INDEX_FORMAT = 2  # 2: summaries carry the unit's kind and label
RACY_SECONDS = 2.0

FileKey = tuple[int, int, int, int]


def file_key(path: Path) -> FileKey | None:
    """(inode, size, mtime_ns, ctime_ns) of a file, or None when it cannot be stat'ed."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


@dataclass(frozen=True)
class DefinitionSummary:
    """What listings show of a valid definition (`langkah sops`, the TUI's pickers)."""

    sop_id: str
    source: str
    office_name: str
    name: str
    number: str
    steps: int
    actors: tuple[tuple[str, str], ...]  # (id, title)
    digest: str
    unit_kind: str = "kecamatan"  # engine.definition.UnitKind's value
    unit_label: str = ""  # "Kecamatan Kalipare", "Dinas Pemberdayaan Masyarakat dan Desa"

    @property
    def version(self) -> str:
        return self.digest[:12]

    @classmethod
    def of(cls, loaded: LoadedDefinition) -> DefinitionSummary:
        d = loaded.definition
        return cls(
            loaded.sop_id,
            loaded.source,
            d.identity.office.name,
            d.identity.name,
            d.identity.number,
            len(d.steps),
            tuple((a.id, a.title) for a in d.actors),
            loaded.digest,
            d.identity.office.kind.value,
            d.identity.office.unit_label,
        )


@dataclass(frozen=True)
class IndexRecord:
    """One file's entry: its stat key and its summary, or the problems found in it."""

    key: FileKey
    summary: DefinitionSummary | None
    problems: tuple[tuple[str, int | None, str, str], ...] = ()  # Problem fields

    def problem_objects(self) -> list[Problem]:
        from langkah.engine.loader import Problem

        return [Problem(*fields) for fields in self.problems]


def code_stamp() -> str:
    """What the validation rules depend on: the engine's source files (names, sizes, mtimes).

    An upgrade or an edit of the engine changes it, and the whole index is rebuilt."""
    import langkah.engine as engine  # its __init__ is a docstring: no pydantic here

    folder = Path(str(engine.__file__)).parent
    try:
        files = sorted(
            (e.name, e.stat().st_size, e.stat().st_mtime_ns)
            for e in os.scandir(folder)
            if e.name.endswith(".py")
        )
    except OSError:
        return ""
    return f"{INDEX_FORMAT}:" + ";".join(f"{n}:{size}:{mtime}" for n, size, mtime in files)


def _record(raw: Any) -> IndexRecord | None:
    """A record read back from JSON, or None when it is not one this code wrote."""
    try:
        key = tuple(int(k) for k in raw["key"])
        if len(key) != 4:
            return None
        summary = None
        if raw.get("summary") is not None:
            s = raw["summary"]
            summary = DefinitionSummary(
                str(s["sop_id"]),
                str(s["source"]),
                str(s["office_name"]),
                str(s["name"]),
                str(s["number"]),
                int(s["steps"]),
                tuple((str(i), str(t)) for i, t in s["actors"]),
                str(s["digest"]),
                str(s["unit_kind"]),
                str(s["unit_label"]),
            )
        problems = tuple(
            (str(src), None if line is None else int(line), str(path), str(message))
            for src, line, path, message in raw.get("problems", ())
        )
        if summary is None and not problems:
            return None
        return IndexRecord(key, summary, problems)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def read_index(path: Path) -> dict[str, IndexRecord]:
    """The records of the index file; {} when it is missing, broken or of another version."""
    text = read_cache_file(path)
    try:
        data = json.loads(text) if text is not None else None
    except ValueError:
        return {}
    if not isinstance(data, dict) or data.get("format") != INDEX_FORMAT:
        return {}
    stamp = code_stamp()
    if not stamp or data.get("code") != stamp or not isinstance(data.get("files"), dict):
        return {}
    records = {}
    for name, raw in data["files"].items():
        record = _record(raw) if isinstance(raw, dict) else None
        if record is not None:
            records[str(name)] = record
    return records


def write_index(path: Path, records: dict[str, IndexRecord]) -> None:
    """Write the index (atomically: a temp file renamed over it), best effort: a folder that
    does not exist or cannot be written is left alone. Racy records are left out."""
    if not path.parent.is_dir():
        return
    now_ns = time.time_ns()
    files = {}
    for name, record in records.items():
        if now_ns - record.key[2] < RACY_SECONDS * 1e9:
            continue
        entry: dict[str, Any] = {"key": list(record.key)}
        if record.summary is not None:
            entry["summary"] = asdict(record.summary)
        if record.problems:
            entry["problems"] = [list(p) for p in record.problems]
        files[name] = entry
    data = {"format": INDEX_FORMAT, "code": code_stamp(), "files": files}
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(temp, path)
    except (OSError, ValueError):  # UnicodeError is a ValueError
        with contextlib.suppress(OSError):
            temp.unlink()
