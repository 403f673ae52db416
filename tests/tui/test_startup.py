"""Start-up: the first screen comes before the service; a service that cannot open ends cleanly."""

from __future__ import annotations

from langkah.service import Langkah
from langkah.tui.app import LangkahApp
from tests.tui.conftest import NOW, fixed_clock, settle


async def test_the_service_is_built_after_the_first_screen(tmp_path):
    built = []

    def factory() -> Langkah:
        built.append(True)
        service = Langkah.open(tmp_path / "data", tmp_path / "defs", clock=fixed_clock)
        service.start("kalipare", "2026-T4")
        return service

    app = LangkahApp(factory, clock=fixed_clock, data_dir=tmp_path / "data", blink=False)
    assert not app.service_ready and not built
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert built == [True]
        assert app.clock() == NOW
        assert app.screen.query_one("#cycles").row_count == 1


async def test_a_service_that_cannot_open_ends_the_app_with_its_message(tmp_path, capsys):
    def factory() -> Langkah:
        raise ValueError(f"{tmp_path}/hari_libur.toml:2: '2026-13-45' is not a date")

    app = LangkahApp(factory, data_dir=tmp_path, blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
    assert app.return_code == 1
    err = " ".join(capsys.readouterr().err.split())
    assert "hari_libur.toml:2" in err.replace(" ", "") or "hari_libur.toml:2" in err
    assert "Traceback" not in err


async def test_a_bad_holiday_override_file_ends_the_app_in_its_language(tmp_path, capsys):
    """The override file's refusal, raised while the service opens, is said in the app's
    language, naming the file and line, with no traceback."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "hari_libur.toml").write_text("[tambah]\n2026-12-31 = Cuti\n", encoding="utf-8")
    for lang, words, other in (
        ("id", "kesalahan sintaks TOML", "TOML syntax error"),
        ("en", "TOML syntax error", "kesalahan sintaks TOML"),
    ):
        capsys.readouterr()

        def factory() -> Langkah:
            return Langkah.open(data, tmp_path / "defs", clock=fixed_clock)

        app = LangkahApp(factory, lang=lang, data_dir=data, blink=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
        assert app.return_code == 1
        err = "".join(capsys.readouterr().err.split())  # the message may wrap
        assert "hari_libur.toml:2:" + words.replace(" ", "") in err
        assert other.replace(" ", "") not in err and "Traceback" not in err


async def test_the_table_spins_only_when_its_first_rows_are_slow(tmp_path, monkeypatch):
    """A quick first load shows no spinner over the table (the status line says it loads);
    a slow one shows it once SPINNER_AFTER has passed, until the rows come. The delay is set
    per case (never raced against this machine's speed): long, where the rows must come first;
    short, where the spinner must show."""
    import threading

    from textual.widgets import DataTable

    from langkah.tui.screens import overview

    release = threading.Event()

    def slow_factory() -> Langkah:
        release.wait(10)  # the service (and so the first rows) comes only when released
        return Langkah.open(tmp_path / "data", tmp_path / "defs", clock=fixed_clock)

    monkeypatch.setattr(overview, "SPINNER_AFTER", 0.05)
    app = LangkahApp(slow_factory, clock=fixed_clock, data_dir=tmp_path / "data", blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.screen.query_one("#cycles", DataTable)
        for _ in range(200):  # slow: the spinner comes up once the delay has passed
            if table.loading:
                break
            await pilot.pause(0.05)
        assert table.loading
        release.set()
        await settle(pilot)
        assert not table.loading

    def quick_factory() -> Langkah:
        return Langkah.open(tmp_path / "data", tmp_path / "defs", clock=fixed_clock)

    monkeypatch.setattr(overview, "SPINNER_AFTER", 60.0)  # the rows come long before it
    app = LangkahApp(quick_factory, clock=fixed_clock, data_dir=tmp_path / "data", blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        table = screen.query_one("#cycles", DataTable)
        assert not table.loading  # no spinner from the first frame
        await settle(pilot)
        assert screen.loaded_once and not table.loading
        screen._slow_first_rows()  # the delay's end, after the rows came: still no spinner
        assert not table.loading


async def test_the_overview_is_the_bottom_of_the_stack_and_going_back_to_it_keeps_it(
    demo_service, make_app
):
    """The overview is the app's default screen (no blank screen under it); going back to
    it from a cycle's timeline over its run screen pops both and keeps the same overview."""
    from langkah.tui.screens.overview import OverviewScreen
    from langkah.tui.screens.run import RunScreen
    from langkah.tui.screens.timeline import TimelineScreen

    app = make_app(demo_service)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        overview = app.screen
        assert isinstance(overview, OverviewScreen)
        assert app.screen_stack == [overview]
        cycle_id = overview.selected_cycle_id()
        app.open_run(cycle_id)
        await settle(pilot)
        app.open_timeline(cycle_id)
        await settle(pilot)
        assert [type(s) for s in app.screen_stack] == [OverviewScreen, RunScreen, TimelineScreen]
        app.go_overview()
        await settle(pilot)
        assert app.screen_stack == [overview]
        app.go_overview()  # already there: nothing to pop, and no error
        await settle(pilot)
        assert app.screen_stack == [overview]
