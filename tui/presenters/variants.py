"""The variants screen's words and choices: identity, step rows, marking and comparing two."""

from __future__ import annotations

import datetime as dt

from rich.text import Text

from langkah.display import visible
from langkah.engine.definition import SopDefinition, Step
from langkah.engine.loader import LoadedDefinition
from langkah.formatting import long_date
from langkah.tui.strings import language, t


def _line(text: object) -> str:
    return visible(text, one_line=True)


def _date(value: dt.date | str | None, lang: str) -> str:
    """An identity date: a date in words, or the text the SOP has ("…… 2022")."""
    return long_date(value, lang) if isinstance(value, dt.date) else _line(value or "-")


def identity_text(loaded: LoadedDefinition) -> Text:
    """The SOP's identity as shown (every text from the file through the sanitiser)."""
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
    text.append(f"{t('var.legal')}:\n", style="bold")
    for item in definition.sections.legal_basis or ("-",):
        text.append(f"  • {_line(item)}\n")
    return text


def step_cells(definition: SopDefinition, step: Step) -> list[Text]:
    inputs = _line(", ".join(i.label for i in step.inputs)) or "-"
    number = f"{step.number}" + (" ◆" if step.decision else "")
    return [
        Text(number),
        Text(visible(step.activity)),
        Text(_line(definition.actor_titles(step))),
        Text(inputs),
        Text(_line(step.time) or "-"),
        Text(visible(step.output) or "-"),
    ]


def step_block(definition: SopDefinition | None, step: Step | None) -> Text:
    if definition is None or step is None:
        return Text(t("var.none"), style="dim")
    text = Text()
    head = f"{step.number}. {_line(definition.actor_titles(step))} · {_line(step.time) or '-'}"
    text.append(head + ("  ◆" if step.decision else "") + "\n", style="bold")
    text.append(visible(step.activity) + "\n")
    inputs = _line(", ".join(i.label for i in step.inputs))
    if inputs:
        text.append(f"{t('var.col.inputs')}: {inputs}\n", style="dim")
    text.append(f"{t('var.col.output')}: {visible(step.output) or '-'}", style="dim")
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
