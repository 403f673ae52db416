"""Entry point of the `langkah` command: no arguments opens the app, subcommands script it."""

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


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            from langkah.cli.app_command import run_app

            return run_app(args)
        return int(args.handler(args) or 0)
    except common.CliError as error:
        print(f"langkah: {error}", file=sys.stderr)
        return error.status
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head` and friends
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


if __name__ == "__main__":
    sys.exit(main())
