"""The variants screen's words and choices: identity, step rows, marking and comparing two."""

from __future__ import annotations

from rich.text import Text

from langkah.engine.definition import SopDefinition, Step
from langkah.engine.loader import LoadedDefinition
from langkah.formatting import long_date
from langkah.tui.strings import language, t


def identity_text(loaded: LoadedDefinition) -> Text:
    definition = loaded.definition
    identity = definition.identity
    lang = language()
    text = Text()
    text.append(f"{identity.unit}\n", style="bold")
    text.append(f"{identity.name}\n", style="bold")
    signer = identity.approved_by
    rows = [
        (t("var.number"), identity.number or "-"),
        (
            t("var.approved"),
            f"{signer.position} {signer.name}".strip() if signer else "-",
        ),
        (t("var.effective"), long_date(identity.effective, lang) if identity.effective else "-"),
        (t("var.steps"), str(len(definition.steps))),
    ]
    for label, value in rows:
        text.append(f"{label}: ", style="bold")
        text.append(f"{value}\n")
    text.append(f"{t('var.legal')}:\n", style="bold")
    for item in definition.sections.legal_basis or ("-",):
        text.append(f"  • {item}\n")
    return text


def step_cells(definition: SopDefinition, step: Step) -> list[Text]:
    inputs = ", ".join(i.label for i in step.inputs) or "-"
    number = f"{step.number}" + (" ◆" if step.decision else "")
    return [
        Text(number),
        Text(step.activity),
        Text(definition.actor_titles(step)),
        Text(inputs),
        Text(step.time or "-"),
        Text(step.output or "-"),
    ]


def step_block(definition: SopDefinition | None, step: Step | None) -> Text:
    if definition is None or step is None:
        return Text(t("var.none"), style="dim")
    text = Text()
    head = f"{step.number}. {definition.actor_titles(step)} · {step.time or '-'}"
    text.append(head + ("  ◆" if step.decision else "") + "\n", style="bold")
    text.append(step.activity + "\n")
    inputs = ", ".join(i.label for i in step.inputs)
    if inputs:
        text.append(f"{t('var.col.inputs')}: {inputs}\n", style="dim")
    text.append(f"{t('var.col.output')}: {step.output or '-'}", style="dim")
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
