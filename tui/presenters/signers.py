"""Who signs the report, as the TUI decides it: the roles the people dialog shows, and which
signers a final export still needs (tested without Textual)."""

from __future__ import annotations

from langkah.engine import nip as nip_rules
from langkah.engine.cycle import CycleStatus, Person
from langkah.engine.definition import SopDefinition
from langkah.engine.signers import KEPALA, PENANGGUNG_JAWAB, role_ids
from langkah.service import CycleView
from langkah.tui.strings import language, t


def role_slots(definition: SopDefinition) -> list[tuple[str, str]]:
    """(role id, title) for every role a cycle can fill: the SOP's actors, then the signers."""
    titles = {actor.id: actor.title for actor in definition.actors}
    return [(role, titles.get(role) or t(f"roles.{role}")) for role in role_ids(definition)]


def _named(person: Person | None) -> bool:
    return person is not None and bool(person.name.strip())


def is_final_export(view: CycleView, draft: bool = False) -> bool:
    """A report without the DRAFT mark: the cycle is finished or cancelled and no draft asked."""
    return not draft and view.state.status in (CycleStatus.FINISHED, CycleStatus.CANCELLED)


def missing_signers(view: CycleView, draft: bool = False) -> list[str]:
    """The signer roles a final export should ask for before writing ([] for a draft).

    `kepala` counts as given when the cycle names it or names the SOP's Camat actor (the SOP's
    approver is the old signer of the document, not today's head, so it does not count);
    `penanggung_jawab` when the cycle names it or names an officer actor the report would use.
    """
    if not is_final_export(view, draft):
        return []
    from langkah.report.content import penanggung_jawab  # the report's own rule

    roles = view.state.roles
    missing = []
    if not (_named(roles.get(KEPALA)) or _named(roles.get("camat"))):
        missing.append(KEPALA)
    if penanggung_jawab(view)[1] is None:
        missing.append(PENANGGUNG_JAWAB)
    return missing


def nip_problem(role_title: str, value: str) -> str | None:
    """The message for a NIP typed in the people dialog that would be refused, else None."""
    try:
        nip_rules.normalize(value)
    except nip_rules.NipError as error:
        return f"{role_title}: {error.message(language())}"
    return None
