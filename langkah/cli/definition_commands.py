"""Commands about SOP definitions: `langkah validate` and `langkah sops`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from langkah import settings
from langkah.cli.common import language
from langkah.display import json_text, visible
from langkah.messages import say

if TYPE_CHECKING:  # the loader (pydantic) is imported when a command runs, not when parsing
    from langkah.definition_index import DefinitionSummary
    from langkah.engine.loader import LoadedDefinition, Problem


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    validate = sub.add_parser(
        "validate",
        help="check SOP definition files",
        description="Check SOP definition files. Without a path: every bundled and user "
        "definition. A folder means every .toml file in it.",
    )
    validate.add_argument("paths", nargs="*", metavar="PATH", help="a .toml file or a folder")
    validate.set_defaults(handler=run_validate)

    sops = sub.add_parser("sops", help="list the SOP definitions available")
    sops.add_argument("--json", action="store_true", help="print JSON (see docs/cli-json.md)")
    sops.set_defaults(handler=run_sops)


def _summary(loaded: LoadedDefinition) -> str:
    d = loaded.definition
    return _summary_line(d.identity.office.name, d.identity.name, len(d.steps), len(d.actors))


def _summary_line(office: str, name: str, steps: int, actors: int) -> str:
    return f"{office} — {name} ({steps} langkah, {actors} pelaksana)"


def _validate_catalog(args: argparse.Namespace) -> int | None:
    """`langkah validate` without paths: every bundled and user definition, through the index
    (a file unchanged since it was last validated, under the same engine, is not parsed
    again: the result would be the same). None when there is none."""
    from langkah.catalog import Catalog
    from langkah.definition_index import INDEX_FILE

    catalog = Catalog.load(
        settings.user_definitions_dir(args.defs_dir),
        settings.data_dir(args.data_dir) / INDEX_FILE,
    )
    results = catalog.results()
    if not results:
        return None
    status = 0
    for entry, summary, problems in results:
        if summary is not None:
            line = _summary_line(
                summary.office_name, summary.name, summary.steps, len(summary.actors)
            )
            print(visible(f"OK  {entry.path}: {line}", one_line=True))
        else:
            status = 1
            for problem in problems:
                print(visible(str(problem), one_line=True))
    return status


def _files_to_check(args: argparse.Namespace) -> list[tuple[Path, str]]:
    """(path, sop_id) pairs; a folder given on the command line expands to its .toml files."""
    files: list[tuple[Path, str]] = []
    for raw in args.paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            try:
                found = sorted(p for p in path.rglob("*.toml") if p.is_file())
            except OSError:
                found = []
            # an empty folder stays in the list and is reported as a problem of its own
            if found:
                files.extend((p, "") for p in found)
            else:
                files.append((path, ""))
        else:
            files.append((path, ""))
    return files


def _check(path: Path, sop_id: str) -> tuple[LoadedDefinition | None, list[Problem]]:
    from langkah.catalog import load_definition
    from langkah.engine.loader import DefinitionError, Problem

    if path.is_dir():
        return None, [Problem(str(path), None, "", "no .toml definition files in this folder")]
    try:
        return load_definition(path, sop_id), []
    except DefinitionError as error:
        return None, error.problems
    except Exception as error:  # the loader should not raise anything else; never a traceback
        return None, [Problem(str(path), None, "", f"cannot load: {error}")]


def run_validate(args: argparse.Namespace) -> int:
    if not args.paths:
        found = _validate_catalog(args)
        if found is None:
            print(say("definitions.none_found").message(language(args)), file=sys.stderr)
            return 1
        _holiday_note(args.data_dir, language(args))
        return found
    files = _files_to_check(args)
    if not files:
        print(say("definitions.none_found").message(language(args)), file=sys.stderr)
        return 1
    status = 0
    for path, sop_id in files:
        loaded, problems = _check(path, sop_id)
        if loaded is not None:
            print(visible(f"OK  {path}: {_summary(loaded)}", one_line=True))
        else:
            status = 1
            for problem in problems:
                print(visible(str(problem), one_line=True))
    _holiday_note(args.data_dir, language(args))
    return status


def _holiday_note(data_dir_option: str | None = None, lang: str | None = None) -> None:
    """Near the end of the holiday data, say how to extend it."""
    from langkah.holiday_coverage import (
        cached_last_year,
        package_covers,
        package_last_year_cached,
    )
    from langkah.holiday_overrides import FILE_NAME, load_overrides

    data_dir = settings.data_dir(data_dir_option)
    try:
        clock = settings.FixedOrSystemClock.from_environment()
        added, _ = load_overrides(data_dir / FILE_NAME)
    except ValueError:
        return  # the commands that use them report these problems
    year = clock.now().year
    if cached_last_year(data_dir) is None and package_covers(year + 1):
        return  # the data goes on past this year (no cache yet: one year computed, not fifty)
    # as clock_bounds.holiday_last_year, without importing `holidays` when the cache knows
    last = max([package_last_year_cached(data_dir), *(day.year for day in added)])
    if year >= last:
        note = say("holidays.data_ends", last=last, counted=last + 1)
        print(note.message(lang or settings.language(None)))


def _as_json(summary: DefinitionSummary, origin: str) -> dict[str, Any]:
    return {
        "id": summary.sop_id,
        "kecamatan": summary.office_name,
        "unit_kind": summary.unit_kind,
        "unit_label": summary.unit_label,
        "name": summary.name,
        "number": summary.number,
        "steps": summary.steps,
        "actors": [{"id": i, "title": title} for i, title in summary.actors],
        "origin": origin,
        "version": summary.version,
        "path": summary.source,
    }


def run_sops(args: argparse.Namespace) -> int:
    from langkah.catalog import BUNDLED, USER, Catalog
    from langkah.definition_index import INDEX_FILE

    catalog = Catalog.load(
        settings.user_definitions_dir(args.defs_dir),
        settings.data_dir(args.data_dir) / INDEX_FILE,
    )
    summaries = catalog.summaries()  # from the index: only changed files are parsed
    lang = language(args)
    if catalog.problems:
        names = ", ".join(str(e.problems[0].source) for e in catalog.problems if e.problems)
        skipped = say("definitions.skipped", count=len(catalog.problems), names=names)
        print(visible(skipped.message(lang), one_line=True), file=sys.stderr)
    items = [_as_json(summary, catalog.origin(sop_id)) for sop_id, summary in summaries.items()]
    if args.json:
        print(json_text(items))
        return 0
    if not items:
        print(say("definitions.none").message(lang))
        return 0
    # Every SOP a kecamatan's: the kecamatan's name; else each unit named with its kind.
    only_kecamatan = all(i["unit_kind"] == "kecamatan" for i in items)
    header_key = "definitions.header" if only_kecamatan else "definitions.header_units"
    header = tuple(say(header_key).message(lang).split("|"))
    origins = {
        BUNDLED: say("definitions.origin_bundled").message(lang),
        USER: say("definitions.origin_user").message(lang),
    }
    rows = [
        tuple(
            visible(cell, one_line=True)
            for cell in (
                i["id"],
                i["kecamatan"] if only_kecamatan else i["unit_label"],
                i["name"],
                i["number"] or "-",
                str(i["steps"]),
                origins.get(i["origin"], i["origin"]),
            )
        )
        for i in items
    ]
    widths = [max(len(r[c]) for r in [header, *rows]) for c in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    return 0
