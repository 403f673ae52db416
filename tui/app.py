"""The Langkah Textual application: wires the service, the clock, the language and the screens.

Start-up is kept close to a bare Textual app: the first screen (the overview) is shown before
the domain code (pydantic, the engine, the store) is imported; the service is built in a thread
worker, and the other screens are imported when first opened.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import App
from textual.binding import Binding

from langkah.tui.commands import LangkahCommands
from langkah.tui.preferences import Preferences
from langkah.tui.screens.overview import OverviewScreen
from langkah.tui.strings import set_language, t, translate_bindings

if TYPE_CHECKING:
    from langkah.service import Langkah

Clock = Callable[[], dt.datetime]


class LangkahApp(App):
    """The app. Tests inject a `Langkah` service and a fixed clock; `blink=False` for snapshots."""

    CSS_PATH = "app.tcss"
    TITLE = "Langkah"
    COMMANDS = App.COMMANDS | {LangkahCommands}
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
    ):
        set_language(lang)
        super().__init__()
        translate_bindings(self)
        self._service: Langkah | None = None
        self._factory: Callable[[], Langkah] | None = None
        self._service_lock = threading.Lock()
        self._waiting: list[Callable[[], object]] = []
        self._clock_override = clock
        if callable(service) and not hasattr(service, "store"):
            self._factory = service  # built by `prepare_service` once the first screen is up
        else:
            self._adopt(service)  # type: ignore[arg-type]
        self.lang = lang
        if data_dir is None and self._service is not None:
            data_dir = getattr(self._service.store, "root", None)
        self.data_dir = Path(data_dir) if data_dir else None
        self.preferences = Preferences.load(self.data_dir) if self.data_dir else Preferences()
        self.blink = blink
        self.initial_cycle = open_cycle

    def _adopt(self, service: Langkah) -> None:
        if self._clock_override is not None:
            service.clock = self._clock_override
        self._service = service

    @property
    def service_ready(self) -> bool:
        return self._service is not None

    @property
    def service(self) -> Langkah:
        """The application service, built on first use if a factory was given."""
        if self._service is None:
            with self._service_lock:
                if self._service is None and self._factory is not None:
                    self._adopt(self._factory())
        assert self._service is not None
        return self._service

    @service.setter
    def service(self, value: Langkah) -> None:
        self._adopt(value)

    def when_service_ready(self, callback: Callable[[], object]) -> None:
        """Call `callback` on the UI thread once the service exists (now, if it does)."""
        if self._service is not None:
            callback()
        else:
            self._waiting.append(callback)

    @work(thread=True, exclusive=True, group="service")
    def prepare_service(self) -> None:
        """Build the service off the UI thread; a failure ends the app with its message."""
        try:
            self.service  # noqa: B018 - building it is the point
        except Exception as error:  # a bad override file, an unreadable data folder, ...
            self.call_from_thread(self.exit, None, 1, f"langkah: {error}")
            return
        self.call_from_thread(self._run_waiting)

    def _run_waiting(self) -> None:
        waiting, self._waiting = self._waiting, []
        for callback in waiting:
            callback()

    def clock(self) -> dt.datetime:
        """The service's clock: the one time source of the whole interface."""
        return self.service.clock()

    def on_mount(self) -> None:
        self.title = t("app.title")
        self.sub_title = t("app.sub")
        self.push_screen(OverviewScreen())
        if not self.service_ready:
            self.call_after_refresh(self.prepare_service)
        if self.initial_cycle:
            self.open_run(self.initial_cycle)

    # -- navigation (screens call these; the command palette too) -----------------------------

    def open_run(self, cycle_id: str) -> None:
        from langkah.tui.screens.run import RunScreen

        self.push_screen(RunScreen(cycle_id))

    def open_timeline(self, cycle_id: str) -> None:
        from langkah.tui.screens.timeline import TimelineScreen

        self.push_screen(TimelineScreen(cycle_id))

    def open_start(self) -> None:
        from langkah.tui.screens.start import StartScreen

        self.push_screen(StartScreen(self.preferences.variant))

    def open_variants(self) -> None:
        from langkah.tui.screens.variants import VariantsScreen

        self.push_screen(VariantsScreen())

    def go_overview(self) -> None:
        while len(self.screen_stack) > 2:
            self.pop_screen()

    def remember_variant(self, sop_id: str) -> None:
        self.preferences.variant = sop_id
        self._save_preferences()

    def remember_language(self, lang: str) -> None:
        self.preferences.lang = lang
        if self._save_preferences():
            self.notify(t("lang.saved", lang=lang))

    def _save_preferences(self) -> bool:
        if self.data_dir is None:
            return False
        try:
            self.preferences.save(self.data_dir)
        except OSError as error:
            self.notify(t("error.store", message=str(error)), severity="error", markup=False)
            return False
        return True

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

    def action_help(self) -> None:
        from langkah.tui.screens.modals import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.help_rows()))
