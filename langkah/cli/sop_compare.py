"""`langkah show-sop A --compare B`: two definitions step by step, the differing cells marked.

Step i of one beside step i of the other (as the TUI's comparison); each cell that differs
(langkah.sop_table.step_differences) starts with `*` (kept without colour) and is shown in
reverse video on a colour terminal. Every text from the files passes the display sanitiser.
"""

from __future__ import annotations

import io
from itertools import zip_longest
from typing import TYPE_CHECKING, Any

from langkah.display import visible

if TYPE_CHECKING:
    from langkah.engine.definition import SopDefinition, Step
    from langkah.engine.loader import LoadedDefinition

DIFFERS = "*"

WORDS = {
    "id": {
        "title": "Perbandingan: {a} ↔ {b} (* = berbeda)",
        "none": "(tidak ada langkah)",
        "summary": "{n} dari {m} langkah berbeda",
    },
    "en": {
        "title": "Comparison: {a} ↔ {b} (* = differs)",
        "none": "(no step)",
        "summary": "{n} of {m} steps differ",
    },
}


def pairs(
    a: SopDefinition, b: SopDefinition
) -> list[tuple[Step | None, Step | None, frozenset[str]]]:
    """Step i of `a` beside step i of `b`, with the cells that differ."""
    from langkah.sop_table import step_differences

    return [
        (left, right, step_differences(a, left, b, right))
        for left, right in zip_longest(a.steps, b.steps)
    ]


def as_json(a: LoadedDefinition, b: LoadedDefinition) -> dict[str, Any]:
    return {
        "a": a.sop_id,
        "b": b.sop_id,
        "steps": [
            {
                "a": left.number if left else None,
                "b": right.number if right else None,
                "differs": sorted(differs),
            }
            for left, right, differs in pairs(a.definition, b.definition)
        ],
    }


def _cell(
    definition: SopDefinition, step: Step | None, differs: frozenset[str], lang: str, ascii: bool
) -> Any:
    from rich.text import Text

    from langkah.sop_table import WORDS as TABLE_WORDS
    from langkah.sop_table import glyph, step_remarks

    if step is None:
        return Text(WORDS[lang]["none"])
    words = TABLE_WORDS[lang]
    text = Text()

    def part(key: str, value: str, label: str = "") -> None:
        if label:
            text.append(f"{label}: ")
        if key in differs:
            text.append(DIFFERS + visible(value), style="reverse")
        else:
            text.append(visible(value))

    text.append(f"{step.number}. ")
    part("symbol", glyph(step.symbol, ascii))
    text.append(" ")
    part("actors", definition.actor_titles(step))
    text.append("\n")
    part("activity", step.activity)
    text.append("\n")
    part("inputs", ", ".join(i.label for i in step.inputs) or "-", words["inputs"])
    text.append("\n")
    part("time", step.time or "-", words["time"])
    text.append("\n")
    part("output", step.output or "-", words["output"])
    remarks = "; ".join(step_remarks(definition, step, lang, ascii))
    if remarks or "remarks" in differs:
        text.append("\n")
        part("remarks", remarks or "-", words["remarks"])
    return text


def render(
    a: LoadedDefinition,
    b: LoadedDefinition,
    lang: str,
    width: int,
    ascii_only: bool = False,
    colour: bool = False,
) -> str:
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    grid = Table(
        box=box.ASCII if ascii_only else box.SQUARE,
        show_lines=True,
        padding=(0, 0),
        expand=True,
    )
    grid.add_column(Text(visible(a.definition.identity.office.unit_label)), ratio=1)
    grid.add_column(Text(visible(b.definition.identity.office.unit_label)), ratio=1)
    compared = pairs(a.definition, b.definition)
    for left, right, differs in compared:
        grid.add_row(
            _cell(a.definition, left, differs, lang, ascii_only),
            _cell(b.definition, right, differs, lang, ascii_only),
        )
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
    words = WORDS[lang]
    title = words["title"].format(a=visible(a.sop_id), b=visible(b.sop_id))
    console.print(Text(title.replace("↔", "<->") if ascii_only else title))
    console.print(grid)
    differing = sum(1 for *_, differs in compared if differs)
    console.print(Text(words["summary"].format(n=differing, m=len(compared))))
    return out.getvalue()
