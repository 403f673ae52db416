"""The two signer roles every cycle has besides the SOP's actors.

`kepala` is the head of the unit (signs "Mengetahui, Camat <kecamatan>" on the left);
`penanggung_jawab` is the officer responsible for the run (signs on the right, with place and
date). They are set like actor roles (name, NIP, pangkat) and are not steps' actors.
"""

from __future__ import annotations

from langkah.engine.definition import SopDefinition

KEPALA = "kepala"
PENANGGUNG_JAWAB = "penanggung_jawab"
SIGNER_ROLES: tuple[str, ...] = (KEPALA, PENANGGUNG_JAWAB)


def role_ids(definition: SopDefinition) -> list[str]:
    """Every role a cycle of `definition` can fill: its actors, then the signer roles."""
    ids = [actor.id for actor in definition.actors]
    return ids + [role for role in SIGNER_ROLES if role not in ids]
