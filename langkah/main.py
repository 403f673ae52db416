"""The `langkah` command: with no subcommand it opens the app (the TUI), with one it runs the CLI.

The one module above both interfaces: langkah.cli and langkah.tui never import each other.
It imports little at start-up; the service (and with it the domain code) is built by the app in
a worker once its first screen is up, so that start-up costs about what a bare Textual app costs.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from langkah import settings

if TYPE_CHECKING:
    from langkah.service import Langkah


def run_app(args: argparse.Namespace) -> int:
    """Open the app; returns the exit status. --demo fills a temporary data directory first."""
    demo = bool(args.demo)
    data_dir: str | None = args.data_dir
    defs_dir: str | None = args.defs_dir
    temporary = None
    if demo:
        temporary = tempfile.TemporaryDirectory(prefix="langkah-demo-")
        data_dir = temporary.name
    root = Path(settings.data_dir(str(data_dir) if data_dir else None))

    def build_service() -> Langkah:  # imported here on purpose: not before the first screen
        from langkah.service import Langkah

        service = Langkah.open(root, defs_dir, recorder=args.by)
        if demo:
            from langkah.demo import seed_demo

            seed_demo(service, service.clock())
        return service

    from langkah.preferences import Preferences
    from langkah.tui.app import LangkahApp

    if args.lang:
        lang = settings.language(args.lang)
    else:
        remembered = Preferences.load(root).lang
        lang = remembered or settings.language(None)
    try:
        app = LangkahApp(build_service, lang=lang, data_dir=root)
        app.run()
    finally:
        if temporary is not None:
            temporary.cleanup()
    return app.return_code or 0


def main(argv: list[str] | None = None) -> int:
    from langkah.cli.main import build_parser, run_command, undecodable_argument

    argv = sys.argv[1:] if argv is None else argv
    problem = undecodable_argument(argv)
    if problem:
        print(f"langkah: {problem}", file=sys.stderr)
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
