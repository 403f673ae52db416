"""`langkah` with no command: open the Textual app (on sample data with --demo)."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from langkah import settings


def run_app(args: argparse.Namespace) -> int:
    """Open the app; returns the exit status. --demo fills a temporary data directory first.

    The service (and with it the domain code) is built by the app in a worker once its first
    screen is up, so that start-up costs about what a bare Textual app costs.
    """
    demo = bool(getattr(args, "demo", False))
    data_dir = getattr(args, "data_dir", None)
    defs_dir = getattr(args, "defs_dir", None)
    temporary = None
    if demo:
        temporary = tempfile.TemporaryDirectory(prefix="langkah-demo-")
        data_dir = temporary.name
    root = Path(settings.data_dir(str(data_dir) if data_dir else None))

    def build_service():  # noqa: ANN202 - a Langkah, imported here on purpose
        from langkah.service import Langkah

        service = Langkah.open(root, defs_dir)
        if demo:
            from langkah.demo import seed_demo

            seed_demo(service, service.clock())
        return service

    from langkah.tui.app import LangkahApp
    from langkah.tui.preferences import Preferences

    option = getattr(args, "lang", None)
    if option:
        lang = settings.language(option)
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
