"""Finding SOP definitions: those bundled with Langkah and those the user keeps in a folder.

A definition's id is "<kecamatan folder>/<file stem>", e.g. "dawarblandong/pengukuran-data-kinerja".
User definitions live in `<user_dir>/<kecamatan>/<sop>.toml`; a user file with the same id as a
bundled one replaces it. One bad file never stops the others from loading: its problems are kept.

A catalog parses nothing when it is made: a definition is read and validated the first time it
is used (`get`, `definitions[id]`), once per process. Listings (`summaries`, `problems`, the
ids of `definitions`) come from the index of definition files (langkah/definition_index.py),
which re-reads only the files whose stat changed.
"""

from __future__ import annotations

import importlib.resources
import os
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from langkah.definition_index import (
    DefinitionSummary,
    FileKey,
    IndexRecord,
    file_key,
    read_index,
    write_index,
)
from langkah.messages import NoSuchName, say

if TYPE_CHECKING:  # the loader (pydantic) is imported when a definition is first parsed
    from langkah.engine.loader import DefinitionError, LoadedDefinition, Problem

BUNDLED = "bundled"
MAX_DEFINITION_BYTES = 32 * 1024 * 1024  # ~130,000 steps; a bigger file is refused unread
USER = "user"


def bundled_dir() -> Path:
    """The folder of the definitions shipped in the `sop_definitions` package."""
    return Path(str(importlib.resources.files("langkah.sop_definitions")))


def load_definition(path: Path, sop_id: str = "") -> LoadedDefinition:
    """Read and validate one definition file; a file that cannot be read is a `DefinitionError`."""
    from langkah.engine.loader import DefinitionError, Problem, parse_definition

    def refused(message: str) -> DefinitionError:
        return DefinitionError([Problem(str(path), None, "", message)])

    try:
        # non-blocking: a FIFO named *.toml is refused below instead of waiting for a writer
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as error:
        raise refused(f"cannot read: {error.strerror or error}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise refused("not a regular file (a folder, FIFO or device); nothing was read")
        if st.st_size > MAX_DEFINITION_BYTES:
            raise refused(
                f"too large ({st.st_size} bytes; a definition has at most "
                f"{MAX_DEFINITION_BYTES} bytes)"
            )
        with os.fdopen(os.dup(fd), "rb") as stream:
            data = stream.read(MAX_DEFINITION_BYTES + 1)
    except OSError as error:
        raise refused(f"cannot read: {error.strerror or error}") from None
    finally:
        os.close(fd)
    if len(data) > MAX_DEFINITION_BYTES:
        raise refused(f"too large (a definition has at most {MAX_DEFINITION_BYTES} bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DefinitionError(
            [Problem(str(path), None, "", f"not UTF-8 text ({error.reason} at byte {error.start})")]
        ) from None
    return parse_definition(text, str(path), sop_id)


@dataclass(frozen=True)
class CatalogEntry:
    """One definition file and the id it is known by."""

    sop_id: str
    path: Path
    origin: str


def _entries_in(root: Path, origin: str) -> list[CatalogEntry]:
    if not root.is_dir():
        return []
    entries = []
    try:
        folders = sorted(
            p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))
        )
    except OSError:
        return []
    for folder in folders:
        try:
            files = sorted(p for p in folder.glob("*.toml") if not p.name.startswith("."))
        except OSError:
            continue
        for path in files:
            entries.append(CatalogEntry(f"{folder.name}/{path.stem}", path, origin))
    return entries


def find_definitions(user_dir: Path | None) -> list[CatalogEntry]:
    """Bundled definitions first, then the user's; a user file replaces a bundled one of its id."""
    entries = _entries_in(bundled_dir(), BUNDLED)
    if user_dir is not None:
        position = {e.sop_id: i for i, e in enumerate(entries)}
        for entry in _entries_in(user_dir, USER):
            if entry.sop_id in position:
                entries[position[entry.sop_id]] = entry
            else:
                position[entry.sop_id] = len(entries)
                entries.append(entry)
    return entries


def _fits(record: IndexRecord, entry: CatalogEntry) -> bool:
    """The record names the file as this catalog does (an id and a path as given)."""
    if record.summary is not None:
        return record.summary.sop_id == entry.sop_id and record.summary.source == str(entry.path)
    return bool(record.problems) and record.problems[0][0] == str(entry.path)


class _Definitions(Mapping[str, "LoadedDefinition"]):
    """The valid definitions by id (sorted), each parsed when it is first looked up."""

    def __init__(self, catalog: Catalog):
        self._catalog = catalog

    def _ids(self) -> list[str]:
        return list(self._catalog.summaries())

    def __getitem__(self, sop_id: str) -> LoadedDefinition:
        if sop_id not in self._catalog.summaries():
            raise KeyError(sop_id)
        return self._catalog.get(sop_id)

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids())

    def __len__(self) -> int:
        return len(self._catalog.summaries())

    def __contains__(self, sop_id: object) -> bool:
        return sop_id in self._catalog.summaries()


class Catalog:
    """Every definition found: the valid ones by id, and the problems of the others.

    `index_path` (normally `<data dir>/definitions-index.json`) keeps what listings need between
    processes; without it the index lives in memory only."""

    def __init__(self, entries: dict[str, CatalogEntry], index_path: Path | None = None):
        self.entries = entries
        self.index_path = index_path
        self._parsed: dict[str, LoadedDefinition] = {}
        self._failed: dict[str, DefinitionError] = {}
        self._keys: dict[str, FileKey | None] = {}  # each file's stat key when it was read
        self._summaries: dict[str, DefinitionSummary] | None = None
        self._problems: list[DefinitionError] = []
        self._results: list[tuple[CatalogEntry, DefinitionSummary | None, list[Problem]]] = []
        self.definitions: Mapping[str, LoadedDefinition] = _Definitions(self)

    @classmethod
    def load(cls, user_dir: Path | None, index_path: Path | None = None) -> Catalog:
        """The definitions in the bundled folder and `user_dir`; nothing is parsed yet."""
        entries = {entry.sop_id: entry for entry in find_definitions(user_dir)}
        return cls(entries, index_path)

    # -- one definition, parsed once -----------------------------------------------------------

    def _parse(self, sop_id: str) -> LoadedDefinition:
        """The entry's definition, parsed on first use; raises its `DefinitionError`."""
        from langkah.engine.loader import DefinitionError, Problem

        if sop_id in self._parsed:
            return self._parsed[sop_id]
        if sop_id in self._failed:
            raise self._failed[sop_id]
        entry = self.entries[sop_id]
        self._keys[sop_id] = file_key(entry.path)  # before reading: a later change is seen
        try:
            loaded = load_definition(entry.path, sop_id)
        except DefinitionError as error:
            self._failed[sop_id] = error
            raise
        except Exception as error:  # never let one file stop the catalog
            failed = DefinitionError([Problem(str(entry.path), None, "", f"cannot load: {error}")])
            self._failed[sop_id] = failed
            raise failed from None
        self._parsed[sop_id] = loaded
        return loaded

    def parsed_with_digest(self, digest: str) -> LoadedDefinition | None:
        """A definition this catalog has already parsed whose text has this hash, if any."""
        for loaded in self._parsed.values():
            if loaded.digest == digest:
                return loaded
        return None

    # -- listings, from the index ---------------------------------------------------------------

    def summaries(self) -> dict[str, DefinitionSummary]:
        """The valid definitions' summaries by id (sorted); problems go to `problems`.

        Files whose stat key matches the index are not read; the others are parsed, and the
        index is written back when anything changed."""
        if self._summaries is not None:
            return self._summaries
        from_disk = read_index(self.index_path) if self.index_path is not None else {}
        records: dict[str, IndexRecord] = {}
        changed = False
        summaries: dict[str, DefinitionSummary] = {}
        problems = []
        for sop_id, entry in self.entries.items():
            name = str(entry.path.absolute())
            key = file_key(entry.path)
            record = from_disk.get(name)
            if record is None or key is None or record.key != key or not _fits(record, entry):
                record = self._record(sop_id)
                changed = True
            records[name] = record
            if record.summary is not None:
                summaries[sop_id] = record.summary
                self._results.append((entry, record.summary, []))
            else:
                problems.append(self._error_of(sop_id, record))
                self._results.append((entry, None, problems[-1].problems))
        if self.index_path is not None and (changed or set(records) != set(from_disk)):
            write_index(self.index_path, records)
        self._summaries = {sop_id: summaries[sop_id] for sop_id in sorted(summaries)}
        self._problems = problems
        return self._summaries

    def _record(self, sop_id: str) -> IndexRecord:
        """The index record of a file, from parsing it (or its parse earlier in this process),
        under the stat key the file had when it was read."""
        from langkah.engine.loader import DefinitionError

        try:
            loaded: LoadedDefinition | None = self._parse(sop_id)
            fields: tuple[tuple[str, int | None, str, str], ...] = ()
        except DefinitionError as error:
            loaded = None
            fields = tuple((p.source, p.line, p.path, p.message) for p in error.problems)
        key = self._keys.get(sop_id) or (0, 0, 0, 0)
        return IndexRecord(key, DefinitionSummary.of(loaded) if loaded else None, fields)

    def _error_of(self, sop_id: str, record: IndexRecord) -> DefinitionError:
        from langkah.engine.loader import DefinitionError

        if sop_id in self._failed:
            return self._failed[sop_id]
        return DefinitionError(record.problem_objects())

    def results(self) -> list[tuple[CatalogEntry, DefinitionSummary | None, list[Problem]]]:
        """Every file in catalog order: (entry, its summary, []) or (entry, None, problems)."""
        self.summaries()
        return self._results

    @property
    def problems(self) -> list[DefinitionError]:
        """The problems of every definition file that is not valid."""
        self.summaries()
        return self._problems

    def origin(self, sop_id: str) -> str:
        entry = self.entries.get(sop_id)
        return entry.origin if entry else ""

    def get(self, sop_id: str) -> LoadedDefinition:
        """A definition by exact id, unique id prefix, or unit name (case-insensitive)."""
        from langkah.engine.loader import DefinitionError

        if sop_id in self.entries:
            try:
                return self._parse(sop_id)
            except DefinitionError:
                raise KeyError(f"SOP '{sop_id}' has errors (see `langkah validate`)") from None
        summaries = self.summaries()
        wanted = sop_id.strip().lower()
        ids = list(summaries)
        matches = [i for i in ids if i.lower() == wanted]
        if not matches and wanted:
            matches = [i for i in ids if i.lower().startswith(wanted)]
        if not matches and wanted:
            matches = [i for i, s in summaries.items() if s.office_name.lower() == wanted]
        if len(matches) == 1:
            return self.get(matches[0])
        known = ", ".join(ids) if ids else say("sop.none")
        invalid = [i for i in self.entries if i not in summaries and i.lower() == wanted]
        if invalid:
            raise NoSuchName(say("sop.has_errors", sop=invalid[0]))
        if matches:
            raise NoSuchName(say("sop.ambiguous", sop=sop_id, matches=", ".join(matches)))
        raise NoSuchName(say("sop.unknown", sop=sop_id, known=known))
