"""What every command shares: global options, the error type, and the objects they open."""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable


class CliError(Exception):
    """A failure to report as one line on stderr with a non-zero exit status."""

    def __init__(self, message: str, status: int = 1):
        super().__init__(message)
        self.status = status


def add_global_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", help="where cycles are stored (env LANGKAH_DATA_DIR)")
    parser.add_argument(
        "--store",
        metavar="URL",
        help="where cycles are stored instead: a postgresql:// URL (env LANGKAH_STORE)",
    )
    parser.add_argument("--defs-dir", help="user SOP definitions (env LANGKAH_DEFS_DIR)")
    parser.add_argument("--lang", choices=["id", "en"], help="language (env LANGKAH_LANG)")
    parser.add_argument(
        "--by", metavar="NAME", help="who records the actions (env LANGKAH_USER; default: nobody)"
    )


def lazy(target: str) -> Callable[[argparse.Namespace], int]:
    """A handler "package.module:function" imported when the command runs, not when parsing."""
    module_name, _, function = target.partition(":")

    def handler(args: argparse.Namespace) -> int:
        run: Callable[[argparse.Namespace], int] = getattr(
            importlib.import_module(module_name), function
        )
        return run(args)

    return handler
