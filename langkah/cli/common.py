"""What every command shares: global options, the error type, and the objects they open."""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable

from langkah import settings
from langkah.messages import Localized, say, told


class CliError(Exception):
    """A failure to report as one line on stderr with a non-zero exit status, in the chosen
    language: `said` is a Text (langkah.messages) or an error that says itself (`told`).

    A plain str is English only; it is still taken from code not yet moved to messages
    (tests/test_cli_messages.py lists where, and fails on any other)."""

    def __init__(self, said: Localized | str, status: int = 1):
        super().__init__(said if isinstance(said, str) else said.message("en"))
        self.said = said
        self.status = status

    def message(self, lang: str) -> str:
        return self.said if isinstance(self.said, str) else self.said.message(lang)


def relay(error: BaseException, status: int = 1) -> CliError:
    """A CliError saying what `error` says (its Text, or its own message(lang))."""
    return CliError(told(error), status)


def option_error(option: str, error: BaseException | Localized, status: int = 2) -> CliError:
    """ "OPTION: what is wrong", e.g. "--period: '2026-T9' bukan periode: ..."."""
    problem = told(error) if isinstance(error, BaseException) else error
    return CliError(say("cli.option", option=option, problem=problem), status)


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


def language(args: argparse.Namespace) -> str:
    """The language a command speaks: its --lang, else LANGKAH_LANG, else Bahasa Indonesia."""
    return settings.language(getattr(args, "lang", None))
