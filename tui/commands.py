"""The command palette's one provider: the current screen's actions, and cycles to open."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from langkah.display import visible
from langkah.tui.base import LangkahAppBase
from langkah.tui.strings import t


class LangkahCommands(Provider):
    """Offers what the current screen's keys do (when allowed now), plus app-wide commands."""

    def _commands(self) -> list[tuple[str, str, Callable[[], Any]]]:
        app = self.app
        assert isinstance(app, LangkahAppBase)
        screen = self.screen
        commands: list[tuple[str, str, Callable[[], Any]]] = []
        for _key, active in screen.active_bindings.items():
            binding = active.binding
            if not active.enabled or not binding.description or binding.action == "command_palette":
                continue
            node = active.node
            commands.append(
                (
                    binding.description,
                    app.get_key_display(binding),
                    partial(app.run_action, binding.action, node),
                )
            )
        commands.append((t("cmd.overview"), "", app.go_overview))
        commands.append((t("key.variants"), "", app.open_variants))
        commands.append((t("key.new"), "", app.open_start))
        other = "en" if app.lang == "id" else "id"
        commands.append(
            (f"{t('key.language')}: {other}", "", partial(app.remember_language, other))
        )
        rows = getattr(screen, "rows", None)
        if isinstance(rows, list):
            for row in rows[:200]:
                cycle_id = getattr(row, "cycle_id", None)
                if cycle_id:
                    commands.append(
                        (
                            t("cmd.open_cycle", id=cycle_id),
                            visible(row.kecamatan, one_line=True),
                            partial(app.open_run, cycle_id),
                        )
                    )
        return commands

    async def discover(self) -> Hits:
        for text, help_text, callback in self._commands():
            yield DiscoveryHit(text, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, help_text, callback in self._commands():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), callback, help=help_text)
