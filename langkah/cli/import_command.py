"""`langkah import SOP.docx`: write a TOML definition draft from an SOP-AP Word document, print
where it went, the checklist of its PERIKSA items and whether it validates as written."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from langkah.cli.common import CliError, language, lazy
from langkah.messages import os_reason, say, told


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "import",
        help="write a TOML definition draft from an SOP-AP Word document (.docx)",
        description="Read an SOP-AP Word document (.docx) and write a TOML definition draft "
        "(default: beside the document, SOP.docx -> SOP.toml; `-o -` prints it). Every "
        "interpretation is a comment in the draft; what needs a person's decision is a "
        "'# PERIKSA:' comment, listed with its line when the command ends.",
    )
    parser.add_argument("document", metavar="SOP.docx", help="the Word document")
    parser.add_argument(
        "-o", "--output", metavar="PATH", help="the draft to write ('-' for standard output)"
    )
    parser.add_argument("--force", action="store_true", help="replace the -o file if it exists")
    parser.add_argument(
        "--timezone",
        metavar="ZONE",
        help="the unit's IANA time zone (default Asia/Jakarta, marked PERIKSA in the draft)",
    )
    parser.set_defaults(handler=lazy("langkah.cli.import_command:cmd_import"))


def _output_path(args: argparse.Namespace, document: Path) -> Path | None:
    """Where the draft goes (None: standard output); refuses to replace a file unasked."""
    if args.output == "-":
        return None
    target = Path(args.output).expanduser() if args.output else document.with_suffix(".toml")
    if target.is_dir():
        raise CliError(say("cli.import_folder", target=target))
    if not target.parent.is_dir():
        raise CliError(say("cli.import_no_folder", target=target, folder=target.parent))
    if target.exists() and not args.force:
        raise CliError(say("cli.import_exists", target=target))
    return target


def cmd_import(args: argparse.Namespace) -> int:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from langkah.display import visible
    from langkah.engine.loader import DefinitionError, parse_definition
    from langkah.importer import ImportFailure
    from langkah.importer.draft_builder import import_docx
    from langkah.store.atomic import atomic_write

    lang = language(args)

    document = Path(args.document).expanduser()
    if args.timezone:
        try:
            ZoneInfo(args.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise CliError(say("cli.import_timezone", value=args.timezone)) from None
    target = _output_path(args, document)
    try:
        draft = import_docx(document, args.timezone)
    except ImportFailure as error:
        raise CliError(say("cli.import_failed", problem=told(error))) from None
    except Exception as error:  # never a traceback: name the document and what went wrong
        problem = f"{type(error).__name__}: {error}"
        raise CliError(say("cli.import_unreadable", document=document, problem=problem)) from None
    source = str(target) if target is not None else "<draf>"
    try:
        parse_definition(draft.text, source)
        problems: list[str] = []
    except DefinitionError as error:
        problems = [str(p) for p in error.problems]
    report = sys.stderr if target is None else sys.stdout
    if target is None:
        sys.stdout.write(draft.text)
    else:
        try:
            atomic_write(target, draft.text.encode("utf-8"))
        except OSError as error:
            raise CliError(
                say("cli.not_written", target=target, problem=os_reason(error))
            ) from None
        written = say("import.written", target=target, steps=draft.steps, actors=draft.actors)
        print(visible(written.message(lang)))
    if draft.checks:
        print(say("import.checks", count=len(draft.checks)).message(lang), file=report)
        for line, text in draft.checks:
            at = say("import.check_line", line=line, text=text).message(lang)
            print(visible(f"  {at}", one_line=True), file=report)
    else:
        print(say("import.no_checks").message(lang), file=report)
    if problems:
        print(say("import.not_valid").message(lang), file=report)
        for problem in problems:
            print(visible(f"  {problem}", one_line=True), file=report)
    else:
        print(say("import.valid").message(lang), file=report)
    if target is not None:
        print(say("import.how_to_use").message(lang))
    return 0
