"""`langkah report CYCLE`: write the cycle's Word report and print where it went."""

from __future__ import annotations

import argparse
from pathlib import Path

from langkah import settings
from langkah.cli.common import CliError, relay
from langkah.display import visible
from langkah.messages import say


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "report",
        help="write a cycle's Word report (.docx)",
        description="Write the Word report of a cycle (default: <data dir>/laporan/<id>.docx).",
    )
    parser.add_argument("cycle", metavar="CYCLE", help="cycle id (or a unique prefix)")
    parser.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="the .docx file to write (its folder must exist; an existing file needs --force)",
    )
    parser.add_argument(
        "--force", action="store_true", help="replace the -o file if it already exists"
    )
    parser.add_argument("--draft", action="store_true", help="mark the report as DRAFT")
    parser.add_argument(
        "--paper", type=str.upper, choices=["A4", "F4"], default="A4", help="paper size"
    )
    parser.add_argument("--font", default="Arial", help='font name (e.g. "Bookman Old Style")')
    parser.add_argument("--font-size", type=int, default=12, help="body font size in points")
    parser.add_argument("--place", help="place on the date line (default: the kecamatan)")
    parser.set_defaults(handler=cmd_report)


def cmd_report(args: argparse.Namespace) -> int:
    from langkah.cli.cycle_handlers import open_app
    from langkah.engine.errors import EngineError
    from langkah.report import ReportError, ReportOptions, default_report_path, export_report
    from langkah.store import StoreError

    app = open_app(args)
    try:
        view = app.open_cycle(args.cycle)
    except (StoreError, EngineError) as error:  # EngineError: a malformed log
        raise relay(error) from None
    try:
        options = ReportOptions(
            draft=args.draft,
            paper=args.paper,
            font=args.font,
            font_size=args.font_size,
            place=args.place,
            # the author and the kop's logo this installation was given (`langkah config`),
            # as the app's report takes them
            **app.report_defaults(),
        )
    except ValueError as error:
        raise relay(error) from None
    data_dir = settings.data_dir(args.data_dir)
    try:
        if args.output is None:  # Langkah's own laporan/ folder: created, and refreshed
            written = export_report(
                view, default_report_path(data_dir, view.state.cycle_id), options
            )
        else:
            written = export_report(
                view, _output_file(args.output), options, replace=args.force, create_folder=False
            )
    except ReportError as error:
        raise relay(error) from None
    print(visible(str(written), one_line=True))
    return 0


def _output_file(raw: str) -> Path:
    """`-o PATH` as given: a file name, never a folder to put the report in."""
    path = Path(raw).expanduser()
    if path.is_dir():
        raise CliError(say("cli.is_folder", option="-o", value=raw, example=path / "laporan.docx"))
    return path
