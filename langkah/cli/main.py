"""The command-line interface: the parser of every subcommand, and running one.

`langkah` with no subcommand opens the app; that choice is made above both interfaces, in
langkah.main (the installed entry point). This module never imports the TUI.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from typing import Any, ClassVar, NoReturn

from langkah import settings
from langkah.cli import common
from langkah.cli.usage_errors import usage_error
from langkah.display import visible
from langkah.engine.errors import EngineError
from langkah.messages import Text, say

_SURROGATE = re.compile("[\ud800-\udfff]")


class Parser(argparse.ArgumentParser):
    """argparse, with its own messages (which quote what was typed) shown through the sanitiser,
    and its usage errors in the chosen language (`lang`, set by `main` before parsing)."""

    lang: ClassVar[str] = "id"

    def _print_message(self, message: str, file: Any = None) -> None:
        super()._print_message(visible(message), file)

    def _get_formatter(self) -> argparse.HelpFormatter:
        """The help in the chosen language (the code's texts are English: help_id.py)."""
        if Parser.lang == "en":
            return super()._get_formatter()
        from langkah.cli.help_id import translated

        formatter_class: Any = self.formatter_class  # a class (argparse types it as a callable)
        formatter: argparse.HelpFormatter = translated(formatter_class)(prog=self.prog)
        return formatter

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: {usage_error(message, Parser.lang)}\n")


def _lang_option(argv: list[str]) -> str | None:
    """The value of --lang in `argv` (before parsing: argparse's own errors need it)."""
    for index, argument in enumerate(argv):
        if argument == "--":
            break
        if argument.startswith("--lang="):
            return argument.partition("=")[2]
        if argument == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
    return None


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="langkah",
        description="Langkah: step-by-step guidance through a kecamatan's SOP.",
    )
    common.add_global_options(parser)
    parser.add_argument("--demo", action="store_true", help="open the app on sample data")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    from langkah.cli import (
        config_command,
        cycle_commands,
        definition_commands,
        import_command,
        migrate_command,
        report_command,
        show_sop_command,
        stats_command,
        store_commands,
        xlsx_command,
    )

    commands = (
        definition_commands,
        cycle_commands,
        report_command,
        store_commands,
        xlsx_command,
        config_command,
        import_command,
        stats_command,
        show_sop_command,
        migrate_command,
    )
    for module in commands:
        module.register(sub)
    return parser


def run_command(args: argparse.Namespace) -> int:
    """Run the subcommand `args` was parsed for; returns the exit status."""
    try:
        return int(args.handler(args) or 0)
    except common.CliError as error:
        lang = common.language(args)
        print(f"langkah: {visible(error.message(lang), one_line=True)}", file=sys.stderr)
        return error.status
    except EngineError as error:  # e.g. a clock outside the span Langkah can count
        lang = common.language(args)
        print(f"langkah: {visible(error.message(lang), one_line=True)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head` and friends
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


def choose_language(argv: list[str]) -> str:
    """The language of this run (--lang in `argv`, else LANGKAH_LANG, else Indonesian), set
    for argparse's own usage errors too; returned for the messages shown before parsing."""
    Parser.lang = settings.language(_lang_option(argv))
    return Parser.lang


def undecodable_argument(argv: list[str]) -> Text | None:
    """The message for the first argument that was not valid UTF-8 (Python keeps such bytes as
    lone surrogates), or None when every argument is text."""
    for position, argument in enumerate(argv, start=1):
        if _SURROGATE.search(argument):
            try:  # the bytes as typed: b"caf\xe9" shows as caf\xe9
                text = os.fsencode(argument).decode("utf-8", "backslashreplace")
            except UnicodeError:
                text = argument
            shown = visible(text, one_line=True)
            return say("cli.not_utf8", position=position, shown=shown)
    return None


def main(argv: list[str] | None = None) -> int:
    """Run one subcommand (without one, print the usage: the app opens from langkah.main)."""
    argv = sys.argv[1:] if argv is None else argv
    problem = undecodable_argument(argv)
    lang = choose_language(argv)
    if problem:
        print(f"langkah: {problem.message(lang)}", file=sys.stderr)
        return 2
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_usage(sys.stderr)
        print(f"langkah: {say('cli.command_needed').message(lang)}", file=sys.stderr)
        return 2
    return run_command(args)


if __name__ == "__main__":
    sys.exit(main())
