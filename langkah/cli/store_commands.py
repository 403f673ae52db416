"""Store maintenance commands: `langkah repair [CYCLE]` sets damaged cycle files aside and
rebuilds what can be recovered from them, reporting per file what it did."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from langkah.cli.common import CliError
from langkah.display import visible

if TYPE_CHECKING:
    from langkah.service import Langkah
    from langkah.store import Rebuild


def rebuild_with(app: Langkah) -> Rebuild:
    """The callback the store's `recover` takes: replay salvaged events on their definition."""
    return app.rebuild


def cmd_repair(args: argparse.Namespace) -> int:
    from langkah.service import Langkah
    from langkah.store import StoreError

    try:
        app = Langkah.open(args.data_dir, args.defs_dir)
    except (ValueError, StoreError) as error:
        raise CliError(str(error)) from None
    try:
        removed = app.clean_up()
        ids = [app.resolve(args.cycle)] if args.cycle is not None else app.cycle_ids()
    except StoreError as error:
        raise CliError(str(error)) from None
    if removed:
        print(f"removed {removed} temporary file(s) left by interrupted writes")
    counts: dict[str, int] = {}
    status = 0
    for cycle_id in ids:
        try:
            result = app.repair(cycle_id)
        except StoreError as error:
            print(visible(f"{cycle_id}: {error}", one_line=True), file=sys.stderr)
            status = 1
            continue
        counts[result.outcome] = counts.get(result.outcome, 0) + 1
        if result.outcome != "ok" or args.cycle:
            print(visible(f"{result.path}: {result.outcome}: {result.message}", one_line=True))
        if result.outcome in ("unrecoverable", "failed"):
            status = 1
    summary = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items()))
    print(f"checked {len(ids)} cycle file(s): {summary or 'none'}")
    return status


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "repair",
        help="set damaged cycle files aside and recover what they hold",
        description=(
            "Check every cycle file (or one) and repair the damaged ones: the damaged file is "
            "renamed to <id>.json.damaged-<UTC time> (never deleted) and a new file is written "
            "with every complete event from its start that could be salvaged."
        ),
    )
    p.add_argument("cycle", nargs="?", help="one cycle id (or unique prefix); default: all")
    p.set_defaults(handler=cmd_repair)
