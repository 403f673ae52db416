"""`langkah` with no command: open the Textual app (on sample data with --demo)."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from langkah import settings
from langkah.store import StoreError


def run_app(args: argparse.Namespace) -> int:
    """Open the app; returns the exit status. --demo fills a temporary data directory first."""
    from langkah.service import Langkah

    demo = bool(getattr(args, "demo", False))
    data_dir = getattr(args, "data_dir", None)
    temporary = None
    if demo:
        temporary = tempfile.TemporaryDirectory(prefix="langkah-demo-")
        data_dir = temporary.name
    try:
        service = Langkah.open(data_dir, getattr(args, "defs_dir", None))
        if demo:
            from langkah.demo import seed_demo

            seed_demo(service, service.clock())
    except (StoreError, ValueError, KeyError) as error:
        print(f"langkah: {error}", file=sys.stderr)
        return 1
    root = Path(settings.data_dir(str(data_dir) if data_dir else None))
    from tui.app import LangkahApp
    from tui.preferences import Preferences

    option = getattr(args, "lang", None)
    if option:
        lang = settings.language(option)
    else:
        remembered = Preferences.load(root).lang
        lang = remembered or settings.language(None)
    try:
        LangkahApp(service, lang=lang, data_dir=root).run()
    finally:
        if temporary is not None:
            temporary.cleanup()
    return 0
