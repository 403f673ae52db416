"""Finding SOP definitions: those bundled with Langkah and those the user keeps in a folder.

A definition's id is "<kecamatan folder>/<file stem>", e.g. "dawarblandong/pengukuran-data-kinerja".
User definitions live in `<user_dir>/<kecamatan>/<sop>.toml`; a user file with the same id as a
bundled one replaces it. One bad file never stops the others from loading: its problems are kept.
"""

from __future__ import annotations

import importlib.resources
from dataclasses import dataclass, field
from pathlib import Path

from langkah.engine.loader import DefinitionError, LoadedDefinition, Problem, parse_definition

BUNDLED = "bundled"
USER = "user"


def bundled_dir() -> Path:
    """The folder of the definitions shipped in the `sop_definitions` package."""
    return Path(str(importlib.resources.files("langkah.sop_definitions")))


def load_definition(path: Path, sop_id: str = "") -> LoadedDefinition:
    """Read and validate one definition file; a file that cannot be read is a `DefinitionError`."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        reason = error.strerror or str(error)
        raise DefinitionError([Problem(str(path), None, "", f"cannot read: {reason}")]) from None
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


@dataclass
class Catalog:
    """Every definition found: the valid ones by id, and the problems of the others."""

    definitions: dict[str, LoadedDefinition] = field(default_factory=dict)
    problems: list[DefinitionError] = field(default_factory=list)
    entries: dict[str, CatalogEntry] = field(default_factory=dict)

    @classmethod
    def load(cls, user_dir: Path | None) -> Catalog:
        found: dict[str, LoadedDefinition] = {}
        problems: list[DefinitionError] = []
        entries: dict[str, CatalogEntry] = {}
        for entry in find_definitions(user_dir):
            entries[entry.sop_id] = entry
            try:
                found[entry.sop_id] = load_definition(entry.path, entry.sop_id)
            except DefinitionError as error:
                problems.append(error)
            except Exception as error:  # never let one file stop the catalog
                problems.append(
                    DefinitionError([Problem(str(entry.path), None, "", f"cannot load: {error}")])
                )
        definitions = {sop_id: found[sop_id] for sop_id in sorted(found)}
        return cls(definitions, problems, entries)

    def origin(self, sop_id: str) -> str:
        entry = self.entries.get(sop_id)
        return entry.origin if entry else ""

    def get(self, sop_id: str) -> LoadedDefinition:
        """A definition by exact id, unique id prefix, or kecamatan name (case-insensitive)."""
        if sop_id in self.definitions:
            return self.definitions[sop_id]
        wanted = sop_id.strip().lower()
        ids = list(self.definitions)
        matches = [i for i in ids if i.lower() == wanted]
        if not matches and wanted:
            matches = [i for i in ids if i.lower().startswith(wanted)]
        if not matches and wanted:
            matches = [
                i
                for i, loaded in self.definitions.items()
                if loaded.definition.identity.office.name.lower() == wanted
            ]
        if len(matches) == 1:
            return self.definitions[matches[0]]
        known = ", ".join(ids) if ids else "(none)"
        invalid = [i for i in self.entries if i not in self.definitions and i.lower() == wanted]
        if invalid:
            raise KeyError(f"SOP '{invalid[0]}' has errors (see `langkah validate`)")
        if matches:
            raise KeyError(f"'{sop_id}' matches several SOPs: {', '.join(matches)}")
        raise KeyError(f"no SOP '{sop_id}'; known SOPs: {known}")
