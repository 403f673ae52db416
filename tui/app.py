"""The Langkah Textual application: wires the service, the clock, the language and the screens.

Start-up is kept close to a bare Textual app: the first screen (the overview) is shown before
the domain code (pydantic, the engine, the store) is imported; the service is built in a thread
worker, and the other screens are imported when first opened.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.binding import Binding

from langkah.display import visible
from langkah.tui.base import Clock, LangkahAppBase
from langkah.tui.screens.overview import OverviewScreen
from langkah.tui.strings import said, set_language, t, translate_bindings

QUIT_PATIENCE = 5.0  # seconds ctrl+q waits for the drafts and service calls it keeps

if TYPE_CHECKING:
    from textual.command import Provider

    from langkah.preferences import Preferences
    from langkah.service import Langkah


def _langkah_commands() -> type[Provider]:
    """The palette's provider, imported when the palette first opens (not at start-up)."""
    from langkah.tui.commands import LangkahCommands

    return LangkahCommands


class LangkahApp(LangkahAppBase):
    """The app. Tests inject a `Langkah` service and a fixed clock; `blink=False` for snapshots."""

    CSS_PATH = "app.tcss"
    TITLE = "Langkah"
    COMMANDS = LangkahAppBase.COMMANDS | {_langkah_commands}
    BINDINGS = [
        Binding("f1,question_mark", "help", "key.help", id="app.help"),
        Binding("ctrl+q", "quit", "key.quit", id="app.quit", priority=True),
    ]

    def __init__(
        self,
        service: Langkah | Callable[[], Langkah],
        clock: Clock | None = None,
        lang: str = "id",
        data_dir: Path | None = None,
        blink: bool = True,
        open_cycle: str | None = None,
        preferences: Preferences | None = None,
        demo: Path | None = None,
        ask_profile: bool = False,
    ):
        set_language(lang)
        super().__init__(
            service, clock=clock, lang=lang, data_dir=data_dir, blink=blink, preferences=preferences
        )
        translate_bindings(self)
        self.initial_cycle = open_cycle
        self.demo_folder = demo  # --demo: the title bar says DEMO; where its data lives
        self.ask_profile = ask_profile  # the entry point asks for the user's name once
        self._profile_asked = False

    @work(thread=True, exclusive=True, group="service")
    def prepare_service(self) -> None:
        """Build the service off the UI thread; a failure ends the app with its message."""
        try:
            self.service  # noqa: B018 - building it is the point
        except Exception as error:  # a bad override file, an unreadable data folder, ...
            message = f"langkah: {visible(said(error))}"
            self.call_from_thread(self.exit, None, 1, message)
            return
        self.call_from_thread(self._run_waiting)

    def on_mount(self) -> None:
        self.title = t("app.title")
        self.sub_title = t("app.sub")
        if not self.service_ready:
            self.call_after_refresh(self.prepare_service)
        if self.initial_cycle:
            self.open_run(self.initial_cycle)
        if self.demo_folder is not None:
            self.notify(t("demo.folder", path=str(self.demo_folder)), markup=False, timeout=8)
        if self.ask_profile:  # after the overview's first rows: not competing with them
            self.when_service_ready(lambda: self.set_timer(3.0, self.first_rows_shown))

    def get_default_screen(self) -> OverviewScreen:
        """The overview is the bottom of the screen stack (not pushed over Textual's blank
        default screen, which start-up would compose, style and lay out for nothing)."""
        return OverviewScreen()

    def first_rows_shown(self) -> None:
        """The overview showed its first rows (or 3 s passed since the service was ready): time
        for what may wait, such as the first run's question for the user's name."""
        if self.ask_profile and not self._profile_asked:
            self._profile_asked = True
            self._check_profile()

    def _check_profile(self) -> None:
        """First run: no profile saved yet, so ask for the user's name (read in a worker)."""
        from langkah.tui.screens.profile import ProfileScreen, needs_profile

        def check() -> None:
            if needs_profile(self.service):
                self.call_from_thread(self.push_screen, ProfileScreen())

        self.run_worker(check, thread=True, group="profile", exit_on_error=False)

    # -- navigation (screens call these; the command palette too) -----------------------------

    def open_run(self, cycle_id: str) -> None:
        from langkah.tui.screens.run import RunScreen

        self.push_screen(RunScreen(cycle_id))

    def open_timeline(self, cycle_id: str) -> None:
        from langkah.tui.screens.timeline import TimelineScreen

        self.push_screen(TimelineScreen(cycle_id))

    def open_start(self) -> None:
        from langkah.tui.screens.start import StartScreen

        # The form lists the catalog: wait for the service rather than build it here.
        self.when_service_ready(lambda: self.push_screen(StartScreen(self.preferences.variant)))

    def open_variants(self) -> None:
        from langkah.tui.screens.variants import VariantsScreen

        self.when_service_ready(lambda: self.push_screen(VariantsScreen()))

    def go_overview(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def help_rows(self) -> list[tuple[str, str, bool]]:
        """Langkah's keys on the current screen and app-wide: (keys, description, enabled now)."""
        grouped: dict[tuple[str, str], tuple[list[str], bool]] = {}
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if binding.id is None or not binding.description:
                continue  # Textual's own widget keys (scrolling, copying) are not listed
            keys, enabled = grouped.setdefault((binding.action, binding.description), ([], True))
            keys.append(self.get_key_display(binding))
            grouped[(binding.action, binding.description)] = (keys, enabled and active.enabled)
        return [
            (" / ".join(keys), description, enabled)
            for (_, description), (keys, enabled) in grouped.items()
        ]

    async def action_quit(self) -> None:
        """Quit once what was typed is kept (ctrl+q is handled ahead of the keys still on their
        way to the field, and drafts wait half a second for the typing to stop): the focused
        field takes in the keys sent to it, every screen keeps its pending draft now, and the
        screens' queued service calls finish, for at most QUIT_PATIENCE seconds."""
        deadline = time.monotonic() + QUIT_PATIENCE
        # the keys, then what they made the field tell its screens (Input.Changed), taken in
        # (bubbling through every container between them; not this app's own queue, which
        # waits for this handler)
        focused = self.focused
        nodes = [*(focused.ancestors_with_self if focused else ()), *self.screen_stack]
        waiting = [node for node in nodes if node is not self]
        while time.monotonic() < deadline and any(n.message_queue_size for n in waiting):
            await asyncio.sleep(0.005)
        for screen in reversed(self.screen_stack):  # a dialog's draft goes to its screen's queue
            keep = getattr(screen, "keep_pending", None)
            if callable(keep):
                keep()
        while time.monotonic() < deadline and any(
            getattr(screen, "busy", False) for screen in self.screen_stack
        ):
            await asyncio.sleep(0.01)
        self.exit()

    def action_help(self) -> None:
        from langkah.tui.screens.modals import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.help_rows()))
