"""Before a final export: ask for the signers the report still lacks (the people dialog, with
the two signer roles in it), save them, and hand back the cycle as now stored."""

from __future__ import annotations

from typing import Any

from langkah.engine.errors import EngineError
from langkah.service import CycleView, Langkah
from langkah.tui.base import LangkahScreen
from langkah.tui.presenters.signers import missing_signers
from langkah.tui.screens.modals import RolesModal
from langkah.tui.strings import language, said, t


async def ask_signers(
    screen: LangkahScreen[Any], view: CycleView, draft: bool = False
) -> CycleView:
    """`view` itself when nothing is missing or the clerk leaves the names blank (Esc: the
    report then has lines to sign and write the names by hand); else the view after saving."""
    missing = missing_signers(view, draft)
    if not missing:
        return view
    titles = ", ".join(t(f"roles.{role}") for role in missing)
    screen.notify(t("export.signers", roles=titles), markup=False, timeout=10)
    roles = await screen.app.push_screen_wait(RolesModal(view.definition, view.state.roles))
    if not roles:
        return view
    cycle_id, version = view.state.cycle_id, view.version

    def save(service: Langkah) -> CycleView:
        service.update_roles(cycle_id, roles, version)
        return service.open_cycle(cycle_id)  # as stored, with its verification code

    try:
        return await screen.call(save, kind="signers")
    except EngineError as error:
        screen.notify(error.message(language()), severity="error", markup=False)
    except Exception as error:  # a conflict or a store problem: say it, export as it was
        screen.notify(t("export.failed", message=said(error)), severity="error", markup=False)
    return view
