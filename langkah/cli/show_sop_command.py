"""`langkah show-sop ID`: a definition printed as its SOP table, to check it against the paper.

The table (langkah/sop_table.py) is drawn with rich: No, Kegiatan, one column per actor with the
step's symbol, Mutu Baku (Kelengkapan, Waktu, Output) and Keterangan. It wraps to the terminal's
width (COLUMNS, else 80 when not a terminal; --width overrides) and falls back to ASCII glyphs and
borders when the output cannot encode them (or with --ascii). Every text from the file passes
through the display sanitiser.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import sys
from typing import TYPE_CHECKING, Any

from langkah import settings
from langkah.cli.common import CliError, language, relay
from langkah.display import json_text, visible
from langkah.messages import say

if TYPE_CHECKING:
    from langkah.engine.loader import LoadedDefinition
    from langkah.sop_table import SopRow, SopTable

MIN_WIDTH = 40
WIDE = 120  # from this width on, actor columns may be wider (their titles wrap less)
# The narrowest table without its actor columns: the other columns' minimums and all borders.
FIXED_CELLS = 44


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "show-sop",
        help="print an SOP definition as its SOP table",
        description="Print an SOP definition as the SOP table (actor columns with the flowchart "
        "symbols, Mutu Baku, Keterangan), to compare it with the paper SOP.",
    )
    p.add_argument(
        "sop", help="SOP id or unit name (langkah sops lists them), or a .toml file to read"
    )
    p.add_argument("--json", action="store_true", help="print the table as JSON")
    p.add_argument("--width", type=int, help="table width in columns (default: the terminal's)")
    p.add_argument("--ascii", action="store_true", help="ASCII symbols and borders only")
    p.add_argument(
        "--compare",
        metavar="OTHER",
        help="set another SOP (id, name or .toml file) beside it, step by step, the differing "
        "cells marked '*'",
    )
    p.set_defaults(handler=run_show_sop)


def _can_encode(stream: Any, sample: str) -> bool:
    encoding = getattr(stream, "encoding", None) or "ascii"
    try:
        sample.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _loaded(args: argparse.Namespace, *names: str) -> list[LoadedDefinition]:
    from langkah.catalog import Catalog
    from langkah.definition_index import INDEX_FILE

    catalog = Catalog.load(
        settings.user_definitions_dir(args.defs_dir),
        settings.data_dir(args.data_dir) / INDEX_FILE,
    )
    try:
        return [_from_file(name) if name.endswith(".toml") else catalog.get(name) for name in names]
    except KeyError as error:
        raise relay(error) from None


def _from_file(name: str) -> LoadedDefinition:
    """A definition file named on the command line (an import's draft, say), read as it is."""
    from pathlib import Path

    from langkah.catalog import load_definition
    from langkah.engine.loader import DefinitionError

    try:
        return load_definition(Path(name).expanduser(), Path(name).stem)
    except DefinitionError as error:
        more = len(error.problems) - 1
        first = error.problems[0]
        if more > 0:
            raise CliError(say("cli.more_problems", problem=first, more=more, name=name)) from None
        raise CliError(say("as_given", detail=first)) from None


def as_json(loaded: LoadedDefinition, table: SopTable) -> dict[str, Any]:
    identity = loaded.definition.identity
    return {
        "id": loaded.sop_id,
        "unit": identity.office.unit_label,
        "name": identity.name,
        "number": identity.number,
        "version": loaded.version,
        "actors": [
            {"id": i, "title": t} for i, t in zip(table.actor_ids, table.actor_titles, strict=True)
        ],
        "rows": [
            {
                "number": row.number,
                "activity": row.activity,
                "symbol": row.symbol.value,
                "cells": {
                    actor: cell
                    for actor, cell in zip(table.actor_ids, row.cells, strict=True)
                    if cell
                },
                "inputs": list(row.inputs),
                "time": row.time,
                "output": row.output,
                "remarks": list(row.remarks),
            }
            for row in table.rows
        ],
    }


def _actor_lines(table: SopTable, row: SopRow) -> str:
    """The one-column form of a row's actor cells: "▭ Sekcam" per actor, in column order."""
    cells = zip(table.actor_titles, row.cells, strict=True)
    return "\n".join(f"{cell} {title}" for title, cell in cells if cell) or "-"


def _actor_width(title: str, width: int) -> int:
    """An actor column's width: its title's longest word, capped (the title wraps in a few
    cells, where the symbol sits); from WIDE columns on, the whole title up to 14 cells."""
    from rich.cells import cell_len

    shown = visible(title)
    if width >= WIDE:  # the whole title on one line when it is short
        return min(14, max(3, cell_len(shown)))
    return 3  # narrow: the column is headed by a key ("P1"), named in the key's legend


def actor_key(index: int, lang: str) -> str:
    """The header of the `index`-th (0-based) actor column in a narrow table: "P1", "A1"."""
    return f"{'P' if lang == 'id' else 'A'}{index + 1}"


def _grid(table: SopTable, lang: str, width: int, style: dict[str, Any], one_column: bool) -> Any:
    """The rich Table: an actor column each, or (`one_column`) one Pelaksana column listing
    each step's actors with the symbol."""
    from rich.table import Table
    from rich.text import Text

    from langkah.sop_table import WORDS

    words = WORDS[lang]
    grid = Table(show_lines=True, padding=(0, 0), expand=True, **style)
    grid.add_column(words["no"], no_wrap=True, justify="right", min_width=2)
    grid.add_column(words["activity"], ratio=3, min_width=14, overflow="fold")
    if one_column:
        grid.add_column(words["actors"], ratio=2, min_width=8, overflow="fold")
    for index, title in enumerate(() if one_column else table.actor_titles):
        grid.add_column(
            Text(visible(title) if width >= WIDE else actor_key(index, lang)),
            justify="center",
            min_width=3,
            max_width=_actor_width(title, width),
            overflow="fold",
        )
    grid.add_column(words["inputs"], ratio=2, min_width=11, overflow="fold")
    grid.add_column(words["time"], ratio=2, min_width=9, overflow="fold")
    grid.add_column(words["output"], ratio=2, min_width=10, overflow="fold")
    grid.add_column(words["remarks"], ratio=2, min_width=8, overflow="fold")
    for row in table.rows:
        actors = (
            [Text(visible(_actor_lines(table, row)))]
            if one_column
            else [Text(cell, style=style.get("header_style", "")) for cell in row.cells]
        )
        grid.add_row(
            Text(str(row.number)),
            Text(visible(row.activity)),
            *actors,
            Text(visible("\n".join(row.inputs)) or "-"),
            Text(visible(row.time) or "-"),
            Text(visible(row.output) or "-"),
            Text(visible("\n".join(row.remarks))),
        )
    return grid


def grid_is_one_column(grid: Any, words: dict[str, str]) -> bool:
    return any(str(column.header) == words["actors"] for column in grid.columns)


def render(
    loaded: LoadedDefinition,
    table: SopTable,
    lang: str,
    width: int,
    ascii_only: bool = False,
    colour: bool = False,
) -> str:
    """The identity lines, the table and the symbols' legend, as text `width` columns wide."""
    from rich import box
    from rich.console import Console
    from rich.text import Text

    from langkah.engine.definition import Symbol
    from langkah.sop_table import WORDS, glyph

    words = WORDS[lang]
    identity = loaded.definition.identity
    out = io.StringIO()
    console = Console(
        file=out,
        width=width,
        force_terminal=colour,
        no_color=not colour,
        color_system="standard" if colour else None,
        highlight=False,
        emoji=False,
        legacy_windows=False,
    )
    style = {
        "box": box.ASCII if ascii_only else box.SQUARE,
        "header_style": "bold" if colour else "",
    }
    # Too many actors for a column each at this width: one Pelaksana column instead (rich
    # would cut the table at the right edge). An actor column is at least its title's longest
    # word wide (up to its cap), and a border; the other columns fold down to their minimums.
    needed = FIXED_CELLS + sum(_actor_width(t, width) + 1 for t in table.actor_titles)
    grid = _grid(table, lang, width, style, one_column=needed > width)
    console.print(Text(visible(identity.unit, one_line=True), style="bold" if colour else ""))
    console.print(Text(visible(identity.name, one_line=True), style="bold" if colour else ""))
    if identity.number:
        console.print(Text(visible(identity.number, one_line=True)))
    console.print(Text(f"{loaded.sop_id} ({words['version']} {loaded.version})"))
    if width < WIDE and not grid_is_one_column(grid, words):
        for index, title in enumerate(table.actor_titles):
            key = f"{actor_key(index, lang)} = "
            console.print(Text(key + visible(title, one_line=True)))
    console.print(grid)
    legend = words["legend"].format(
        t=glyph(Symbol.TERMINATOR, ascii_only),
        p=glyph(Symbol.PROCESS, ascii_only),
        d=glyph(Symbol.DECISION, ascii_only),
    )
    console.print(Text(legend))
    return out.getvalue()


def run_show_sop(args: argparse.Namespace) -> int:
    from langkah.sop_table import sop_table

    lang = language(args)
    if args.width is not None and args.width < MIN_WIDTH:
        raise CliError(say("cli.width", width=args.width, minimum=MIN_WIDTH))
    width = max(args.width or shutil.get_terminal_size((80, 24)).columns, MIN_WIDTH)
    colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    ascii_only = bool(args.ascii) or not _can_encode(sys.stdout, "⬭▭◇┌─┐│↔→")
    if args.compare is not None:
        from langkah.cli import sop_compare

        first, second = _loaded(args, args.sop, args.compare)
        if args.json:
            print(json_text(sop_compare.as_json(first, second)))
            return 0
        text = sop_compare.render(first, second, lang, width, ascii_only, colour)
    else:
        (loaded,) = _loaded(args, args.sop)
        table = sop_table(loaded.definition, lang, ascii_only)
        if args.json:
            print(json_text(as_json(loaded, table)))
            return 0
        text = render(loaded, table, lang, width, ascii_only, colour)
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    sys.stdout.write(text.encode(encoding, "backslashreplace").decode(encoding))
    return 0
