"""The variants screen's words and choices: identity, step rows, marking and comparing two."""

from __future__ import annotations

import datetime as dt

from rich.text import Text

from langkah.display import visible
from langkah.engine.definition import SopDefinition, Step
from langkah.engine.loader import LoadedDefinition
from langkah.formatting import long_date
from langkah.sop_table import glyph, step_remarks
from langkah.tui.strings import language, t


def _line(text: object) -> str:
    return visible(text, one_line=True)


def _date(value: dt.date | str | None, lang: str) -> str:
    """An identity date: a date in words, or the text the SOP has ("…… 2022")."""
    return long_date(value, lang) if isinstance(value, dt.date) else _line(value or "-")


def identity_text(loaded: LoadedDefinition, with_legal: bool = True) -> Text:
    """The SOP's identity as shown (every text from the file through the sanitiser); the
    legal basis last, unless `with_legal` is False (the variants screen shows it after the
    steps, so that the steps are on a small screen)."""
    definition = loaded.definition
    identity = definition.identity
    lang = language()
    text = Text()
    text.append(f"{_line(identity.unit)}\n", style="bold")
    text.append(f"{_line(identity.name)}\n", style="bold")
    signer = identity.approved_by
    rows = [
        (t("var.number"), _line(identity.number) or "-"),
        (
            t("var.approved"),
            _line(f"{signer.position} {signer.name}".strip()) if signer else "-",
        ),
        (t("var.effective"), _date(identity.effective, lang)),
        (t("var.steps"), str(len(definition.steps))),
    ]
    for label, value in rows:
        text.append(f"{label}: ", style="bold")
        text.append(f"{value}\n")
    if with_legal:
        text.append_text(legal_text(loaded))
    return text


def legal_text(loaded: LoadedDefinition) -> Text:
    """The SOP's legal basis (dasar hukum), one bullet per item."""
    text = Text()
    text.append(f"{t('var.legal')}:\n", style="bold")
    for item in loaded.definition.sections.legal_basis or ("-",):
        text.append(f"  • {_line(item)}\n")
    return text


STEP_COLUMNS = ("no", "activity", "actor", "inputs", "time", "output")
NARROW_STEP_COLUMNS = ("no", "activity", "actor", "time")
NARROW = 110  # below this width the step table leaves out kelengkapan and output


def step_columns(width: int) -> tuple[str, ...]:
    """The step table's columns for a screen `width` cells wide: a narrow one keeps number,
    activity, actor and time (the comparison and a wider terminal show the rest)."""
    return STEP_COLUMNS if width >= NARROW else NARROW_STEP_COLUMNS


FIXED_WIDTHS = {"no": 4, "actor": 16, "inputs": 20, "time": 10, "output": 20}
NARROW_WIDTHS = {"no": 3, "actor": 12, "time": 9}  # where every cell counts (80 columns)


def step_widths(columns: tuple[str, ...], width: int) -> dict[str, int]:
    """Each step column's width in a table `width` cells wide: the activity takes what the
    others leave (at least 16), so that it wraps inside the screen instead of running off it."""
    fixed = FIXED_WIDTHS if columns == STEP_COLUMNS else NARROW_WIDTHS
    widths = {key: fixed[key] for key in columns if key != "activity"}
    used = sum(widths.values()) + 2 * len(columns)  # each cell's padding
    widths["activity"] = max(width - used, 16)
    return widths


def step_cells(
    definition: SopDefinition, step: Step, columns: tuple[str, ...] = STEP_COLUMNS
) -> list[Text]:
    inputs = _line(", ".join(i.label for i in step.inputs)) or "-"
    number = f"{step.number}" + (" ◆" if step.decision else "")
    cells = {
        "no": Text(number),
        "activity": Text(visible(step.activity)),
        "actor": Text(_line(definition.actor_titles(step))),
        "inputs": Text(inputs),
        "time": Text(_line(step.time) or "-"),
        "output": Text(visible(step.output) or "-"),
    }
    return [cells[key] for key in columns]


def marked_line(names: list[str]) -> str:
    """What the status line says after marking: who is marked, and what `b` compares."""
    if not names:
        return t("var.marked_none")
    if len(names) == 1:
        return t("var.marked_one", a=names[0])
    return t("var.marked_two", a=names[0], b=names[1])


DIFFERS = "*"  # marks a cell that differs from the other variant's (kept without colour)
DIFFERS_STYLE = "bold reverse"


def step_block(
    definition: SopDefinition | None,
    step: Step | None,
    differs: frozenset[str] = frozenset(),
) -> Text:
    """One step of a variant in the comparison; the cells named in `differs` (see
    langkah.sop_table.step_differences) are highlighted and marked with `*`."""
    if definition is None or step is None:
        return Text(t("var.none"), style="dim")
    text = Text()

    def cell(value: str, key: str, style: str = "") -> None:
        if key in differs:
            text.append(DIFFERS + value, style=f"{style} {DIFFERS_STYLE}".strip())
        else:
            text.append(value, style=style)

    text.append(f"{step.number}. ", style="bold")
    cell(_line(definition.actor_titles(step)), "actors", "bold")
    text.append(" · ", style="bold")
    cell(_line(step.time) or "-", "time", "bold")
    if step.decision or "symbol" in differs:
        text.append("  ")
        cell("◆" if step.decision else glyph(step.symbol), "symbol", "bold")
    text.append("\n")
    cell(visible(step.activity), "activity")
    text.append("\n")
    inputs = _line(", ".join(i.label for i in step.inputs))
    if inputs or "inputs" in differs:
        text.append(f"{t('var.col.inputs')}: ", style="dim")
        cell(inputs or "-", "inputs", "dim")
        text.append("\n")
    text.append(f"{t('var.col.output')}: ", style="dim")
    cell(visible(step.output) or "-", "output", "dim")
    remarks = _line("; ".join(step_remarks(definition, step, language())))
    if remarks or "remarks" in differs:
        text.append(f"\n{t('var.col.remarks')}: ", style="dim")
        cell(remarks or "-", "remarks", "dim")
    return text


def toggle_mark(marked: list[str], sop_id: str) -> list[str]:
    """Mark or unmark a variant; at most the last two marked are kept."""
    if sop_id in marked:
        return [m for m in marked if m != sop_id]
    return (marked + [sop_id])[-2:]


def compare_pair(marked: list[str], chosen: str | None, highlighted: str | None) -> list[str]:
    """The two variants to compare: the marked pair, else the chosen and the highlighted one."""
    if len(marked) >= 2:
        return list(marked[:2])
    if highlighted and chosen and chosen != highlighted:
        return [chosen, highlighted]
    return []
