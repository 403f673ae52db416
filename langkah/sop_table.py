"""A definition as the SOP table of PermenPAN-RB 35/2012: the pure model behind `show-sop`.

One row per step: No, Kegiatan, one cell per actor column (the step's symbol in the columns of
the actors who carry it; numbered 1, 2, ... in order for a handoff), then Mutu Baku (Kelengkapan,
Waktu, Output) and Keterangan (the remarks, where a decision's answers lead, a jump, the order of
a handoff). Nothing here draws: the command renders it (langkah/cli/show_sop_command.py), and
`step_differences` tells the variants comparison which cells of two steps differ.

Texts are kept as the definition has them; the renderer passes them through the display
sanitiser.
"""

from __future__ import annotations

from dataclasses import dataclass

from langkah.engine.definition import SopDefinition, Step, Symbol

# The glyph of each symbol, as drawn in a UTF-8 terminal and in plain ASCII.
GLYPHS = {
    Symbol.TERMINATOR: ("⬭", "()"),
    Symbol.PROCESS: ("▭", "[]"),
    Symbol.DECISION: ("◇", "<>"),
}

WORDS = {
    "id": {
        "no": "No",
        "activity": "Kegiatan",
        "inputs": "Kelengkapan",
        "time": "Waktu",
        "output": "Output",
        "remarks": "Keterangan",
        "actors": "Pelaksana",
        "quality": "Mutu Baku",
        "version": "versi",
        "then": "lalu",
        "next": "lanjut ke langkah {n}",
        "end": "selesai",
        "step": "langkah {n}",
        "order": "berurutan: {order}",
        "legend": "{t} mulai/selesai   {p} proses   {d} keputusan   1, 2: berurutan",
    },
    "en": {
        "no": "No",
        "activity": "Activity",
        "inputs": "Requirements",
        "time": "Time",
        "output": "Output",
        "remarks": "Remarks",
        "actors": "Actors",
        "quality": "Quality standard",
        "version": "version",
        "then": "then",
        "next": "continues at step {n}",
        "end": "end",
        "step": "step {n}",
        "order": "in turn: {order}",
        "legend": "{t} start/end   {p} process   {d} decision   1, 2: in turn",
    },
}


def glyph(symbol: Symbol, ascii_only: bool = False) -> str:
    return GLYPHS[symbol][1 if ascii_only else 0]


@dataclass(frozen=True)
class SopRow:
    """One step as a row of the SOP table."""

    number: int
    activity: str
    symbol: Symbol
    cells: tuple[str, ...]  # one per actor column: "" or the symbol's glyph (+ order)
    inputs: tuple[str, ...]  # kelengkapan labels
    time: str
    output: str
    remarks: tuple[str, ...]  # keterangan lines


@dataclass(frozen=True)
class SopTable:
    """The whole table: the actor columns (ids and titles, in declared order) and the rows."""

    actor_ids: tuple[str, ...]
    actor_titles: tuple[str, ...]
    rows: tuple[SopRow, ...]


def _target(number: int | None, lang: str) -> str:
    words = WORDS[lang]
    return words["end"] if number is None else words["step"].format(n=number)


def step_remarks(
    definition: SopDefinition, step: Step, lang: str = "id", ascii_only: bool = False
) -> tuple[str, ...]:
    """Keterangan: the handoff order, where each answer leads, a jump, then the step's remarks."""
    words = WORDS[lang]
    arrow = "->" if ascii_only else "→"
    lines: list[str] = []
    if step.handoff and len(step.actors) > 1:
        titles = [definition.actor(a).title for a in step.actors]
        lines.append(words["order"].format(order=f" {arrow} ".join(titles)))
    following = definition.successors(step.number)
    if step.decision is not None:
        lines.append(f"{step.decision.yes_label} {arrow} {_target(following['yes'], lang)}")
        lines.append(f"{step.decision.no_label} {arrow} {_target(following['no'], lang)}")
    elif step.next is not None:
        lines.append(words["next"].format(n=step.next))
    if step.remarks:
        lines.append(step.remarks)
    return tuple(lines)


def sop_table(definition: SopDefinition, lang: str = "id", ascii_only: bool = False) -> SopTable:
    """The definition's steps as SOP table rows (a valid definition: every actor declared)."""
    actor_ids = tuple(a.id for a in definition.actors)
    column = {actor_id: i for i, actor_id in enumerate(actor_ids)}
    rows = []
    for step in definition.steps:
        cells = [""] * len(actor_ids)
        mark = glyph(step.symbol, ascii_only)
        numbered = step.handoff and len(step.actors) > 1
        for order, actor_id in enumerate(step.actors, start=1):
            i = column[actor_id]
            if cells[i]:  # the same actor twice in a handoff: both turns in its cell
                cells[i] += f",{order}"
            else:
                cells[i] = f"{mark}{order}" if numbered else mark
        rows.append(
            SopRow(
                step.number,
                step.activity,
                step.symbol,
                tuple(cells),
                tuple(i.label for i in step.inputs),
                step.time,
                step.output,
                step_remarks(definition, step, lang, ascii_only),
            )
        )
    titles = tuple(a.title for a in definition.actors)
    return SopTable(actor_ids, titles, tuple(rows))


# The cells of a step that the variants comparison sets side by side.
COMPARED = ("activity", "actors", "symbol", "inputs", "time", "output", "remarks")


def _same_text(a: str, b: str) -> bool:
    """Equal once runs of whitespace are one space (a re-wrapped line is not a difference)."""
    return " ".join(a.split()) == " ".join(b.split())


def step_differences(
    first: SopDefinition | None,
    a: Step | None,
    second: SopDefinition | None,
    b: Step | None,
) -> frozenset[str]:
    """The cells (of COMPARED) in which step `a` of `first` differs from step `b` of `second`.

    Actors are compared by title, in order (ids may differ between variants); a step missing
    on one side differs in every cell."""
    if first is None or second is None or a is None or b is None:
        return frozenset(COMPARED)
    found = set()
    if not _same_text(a.activity, b.activity):
        found.add("activity")
    if first.actor_titles(a) != second.actor_titles(b):
        found.add("actors")
    if a.symbol != b.symbol:
        found.add("symbol")
    if not _same_text("\n".join(i.label for i in a.inputs), "\n".join(i.label for i in b.inputs)):
        found.add("inputs")
    if not _same_text(a.time, b.time):
        found.add("time")
    if not _same_text(a.output, b.output):
        found.add("output")
    if step_remarks(first, a) != step_remarks(second, b):
        found.add("remarks")
    return frozenset(found)
