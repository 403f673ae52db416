"""The first-run profile prompt: asked when no profile is saved, saved through the service."""

from __future__ import annotations

from textual.widgets import Input, Static

from langkah.tui.screens.overview import OverviewScreen
from langkah.tui.screens.profile import ProfileScreen
from tests.tui.conftest import burst, settle


async def test_first_run_asks_for_the_name_and_records_with_it(service, make_app, monkeypatch):
    monkeypatch.delenv("LANGKAH_USER", raising=False)
    service._recorder_from_profile = True  # as Langkah.open with neither --by nor LANGKAH_USER
    service.recorder = ""
    app = make_app(service, ask_profile=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ProfileScreen)
        app.screen.query_one("#profile-nip", Input).value = "12"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ProfileScreen)
        error = str(app.screen.query_one("#profile-error", Static).render())
        assert "Nama wajib diisi" in error
        app.screen.query_one("#profile-name", Input).value = "Siti  Rahayu"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "18 angka" in str(app.screen.query_one("#profile-error", Static).render())
        app.screen.query_one("#profile-nip", Input).value = "19800512 200501 2 003"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)
    saved = service.profile()
    assert saved is not None and saved.name == "Siti Rahayu" and saved.nip == "198005122005012003"
    assert service.recorder == "Siti Rahayu"
    view = service.start("kalipare", "2026-T3")
    assert view.state.started_by == "Siti Rahayu"


async def test_no_prompt_once_a_profile_exists_or_when_not_asked(service, make_app):
    app = make_app(service)  # tests and --demo: not asked
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)
    service.save_profile("Budi")
    app = make_app(service, ask_profile=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)


async def test_a_name_typed_in_a_burst_with_ctrl_s_is_saved_whole(service, make_app, monkeypatch):
    """ctrl+s is handled after the keys typed before it, not ahead of them (a priority
    binding ran before the name field had its last keys and saved a truncated name)."""
    monkeypatch.delenv("LANGKAH_USER", raising=False)
    service._recorder_from_profile = True
    service.recorder = ""
    app = make_app(service, ask_profile=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ProfileScreen)
        burst(app, "Siti Aminah", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)
    saved = service.profile()
    assert saved is not None and saved.name == "Siti Aminah"


def test_no_binding_that_acts_on_typing_runs_ahead_of_the_typing():
    """A priority binding runs when the app receives its key, before the keys queued for the
    focused field ahead of it: only keys that do not read what was typed may have one (quit
    waits for the field itself; the tables' enter opens the highlighted row)."""
    import importlib
    import inspect
    import pkgutil

    from textual.binding import Binding
    from textual.dom import DOMNode

    import langkah.tui as tui
    import langkah.tui.screens as screens

    allowed = {"app.quit", "overview.open", "variants.choose"}
    found = []
    modules = [f"langkah.tui.screens.{m.name}" for m in pkgutil.iter_modules(screens.__path__)]
    for name in ["langkah.tui.app", *modules]:
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if not issubclass(cls, DOMNode) or not cls.__module__.startswith(tui.__name__):
                continue
            for binding in cls.__dict__.get("BINDINGS", []):
                if isinstance(binding, Binding) and binding.priority:
                    found.append(binding.id)
    assert found and set(found) <= allowed, found
