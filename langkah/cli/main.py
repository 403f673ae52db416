"""The command-line interface: the parser of every subcommand, and running one.

`langkah` with no subcommand opens the app; that choice is made above both interfaces, in
langkah.main (the installed entry point). This module never imports the TUI.
"""

from __future__ import annotations

import argparse
import os
import sys

from langkah.cli import common


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="langkah",
        description="Langkah: panduan langkah demi langkah untuk SOP kecamatan.",
    )
    common.add_global_options(parser)
    parser.add_argument("--demo", action="store_true", help="open the app on sample data")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    from langkah.cli import cycle_commands, definition_commands, report_command, store_commands

    for module in (definition_commands, cycle_commands, report_command, store_commands):
        module.register(sub)
    return parser


def run_command(args: argparse.Namespace) -> int:
    """Run the subcommand `args` was parsed for; returns the exit status."""
    try:
        return int(args.handler(args) or 0)
    except common.CliError as error:
        print(f"langkah: {error}", file=sys.stderr)
        return error.status
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head` and friends
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


def main(argv: list[str] | None = None) -> int:
    """Run one subcommand (without one, print the usage: the app opens from langkah.main)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_usage(sys.stderr)
        print("langkah: a COMMAND is needed here; `langkah` alone opens the app", file=sys.stderr)
        return 2
    return run_command(args)


if __name__ == "__main__":
    sys.exit(main())
