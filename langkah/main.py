"""The `langkah` command: with no subcommand it opens the app (the TUI), with one it runs the CLI.

The one module above both interfaces: langkah.cli and langkah.tui never import each other.
It imports little at start-up; the service (and with it the domain code) is built by the app in
a worker once its first screen is up, so that start-up costs about what a bare Textual app costs.
When the arguments name no subcommand (only the app's own options), the CLI's parser with every
subcommand is not built at all: `app_arguments` reads the few options the app takes.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING

from langkah import settings

DEMO_FOLDER = "demo"

if TYPE_CHECKING:
    import argparse

    from langkah.service import Langkah


def demo_folder(data_dir: str | None) -> Path:
    """Where `--demo` keeps its cycles and reports: a `demo` folder inside the data folder
    (--data-dir, else LANGKAH_DATA_DIR, else the platform's), apart from real cycles, and kept
    after the app closes, so that exported reports can still be opened."""
    return settings.data_dir(data_dir) / DEMO_FOLDER


def demo_notice(folder: Path, lang: str) -> str:
    """What the demo says about its folder (printed when the app closes)."""
    if lang == "en":
        return (
            f"langkah --demo: the demo cycles and reports are in {folder} (reports in "
            f"{folder / 'laporan'}); delete that folder for a fresh demo."
        )
    return (
        f"langkah --demo: siklus dan laporan demo ada di {folder} (laporan di "
        f"{folder / 'laporan'}); hapus folder itu untuk demo baru."
    )


def run_app(args: argparse.Namespace | SimpleNamespace) -> int:
    """Open the app; returns the exit status. --demo opens the demo folder (seeded with sample
    cycles when it has none) and says where it is."""
    demo = bool(args.demo)
    data_dir: str | None = args.data_dir
    defs_dir: str | None = args.defs_dir
    root = demo_folder(data_dir) if demo else Path(settings.data_dir(data_dir))

    def build_service() -> Langkah:  # imported here on purpose: not before the first screen
        from langkah.service import Langkah

        # the demo keeps its sample cycles in its own folder, whatever --store names
        store = str(root) if demo else getattr(args, "store", None)
        service = Langkah.open(root, defs_dir, recorder=args.by, store=store)
        service.catalog.summaries()  # the SOP listing (index, else parsing) off the UI thread
        if demo and not service.cycle_ids():  # kept from the last demo otherwise
            from langkah.demo import seed_demo

            seed_demo(service, service.clock())
        return service

    from langkah.preferences import Preferences
    from langkah.tui.app import LangkahApp

    preferences = Preferences.load(root)  # read once: the language here, the rest in the app
    lang = settings.language(args.lang) if args.lang else None
    lang = lang or preferences.lang or settings.language(None)
    app = LangkahApp(
        build_service,
        lang=lang,
        data_dir=root,
        preferences=preferences,
        demo=root if demo else None,
        ask_profile=not demo,
    )
    try:
        app.run()
    finally:
        if demo:
            print(demo_notice(root, lang), file=sys.stderr)
    return app.return_code or 0


_APP_FLAGS = {"--demo": "demo"}
_APP_OPTIONS = {
    "--data-dir": "data_dir",
    "--defs-dir": "defs_dir",
    "--lang": "lang",
    "--by": "by",
    "--store": "store",
}


def app_arguments(argv: list[str]) -> SimpleNamespace | None:
    """The app's options when `argv` holds nothing else (no subcommand, no --help), else None:
    then the full CLI parser decides (and words any error). Without argparse: not imported on
    the app's path."""
    values: dict[str, object] = {"command": None, "demo": False}
    values.update(dict.fromkeys(_APP_OPTIONS.values()))
    position = 0
    while position < len(argv):
        argument = argv[position]
        name, equals, value = argument.partition("=")
        if argument in _APP_FLAGS:
            values[_APP_FLAGS[argument]] = True
        elif name in _APP_OPTIONS and equals:
            values[_APP_OPTIONS[name]] = value
        elif argument in _APP_OPTIONS and position + 1 < len(argv):
            position += 1
            values[_APP_OPTIONS[argument]] = argv[position]
        else:
            return None
        position += 1
    if values["lang"] not in (None, "id", "en"):
        return None
    for given in values.values():
        if isinstance(given, str) and (given.startswith("-") or not _utf8(given)):
            return None
    return SimpleNamespace(**values)


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes kept as lone surrogates
        return False
    return True


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    fast = app_arguments(argv)
    if fast is not None:  # the app: no need for the CLI's parser with every subcommand
        try:
            return run_app(fast)
        except KeyboardInterrupt:
            return 130
    from langkah.cli.main import build_parser, choose_language, run_command, undecodable_argument

    problem = undecodable_argument(argv)
    lang = choose_language(argv)
    if problem:
        print(f"langkah: {problem.message(lang)}", file=sys.stderr)
        return 2
    args = build_parser().parse_args(argv)
    if args.command is not None:
        return run_command(args)
    try:
        return run_app(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
