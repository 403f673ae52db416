"""Store maintenance commands: `langkah repair [CYCLE]` sets damaged cycle files aside and
rebuilds what can be recovered from them, reporting per file what it did; `langkah verify
[CYCLE...]` checks every hash chain and pinned definition, and a paper copy's code."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from langkah.cli.common import CliError, relay
from langkah.display import visible
from langkah.messages import say

if TYPE_CHECKING:
    from langkah.service import Langkah, Verification
    from langkah.store import Rebuild


def rebuild_with(app: Langkah) -> Rebuild:
    """The callback the store's `recover` takes: replay salvaged events on their definition."""
    return app.rebuild


def cmd_repair(args: argparse.Namespace) -> int:
    from langkah.service import Langkah
    from langkah.store import StoreError

    try:
        app = Langkah.open(args.data_dir, args.defs_dir, store=getattr(args, "store", None))
    except (ValueError, StoreError) as error:
        raise relay(error) from None
    try:
        removed = app.clean_up()
        ids = [app.resolve(args.cycle)] if args.cycle is not None else app.cycle_ids()
    except StoreError as error:
        raise relay(error) from None
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


def cmd_verify(args: argparse.Namespace) -> int:
    from langkah.engine.events import CODE_LENGTH, normalize_code, verification_code
    from langkah.service import Langkah
    from langkah.store import StoreError

    if args.code is not None and len(args.cycles) != 1:
        raise CliError(say("cli.code_one_cycle"), status=2)
    if args.code is not None and not re.fullmatch(
        f"[0-9a-f]{{{CODE_LENGTH}}}", normalize_code(args.code)
    ):
        raise CliError(say("cli.bad_code", code=args.code, length=CODE_LENGTH), status=2)
    try:
        app = Langkah.open(args.data_dir, args.defs_dir, store=getattr(args, "store", None))
        ids = [app.resolve(c) for c in args.cycles] if args.cycles else app.cycle_ids()
    except (ValueError, StoreError) as error:
        raise relay(error) from None
    failed = unchained = upgraded = 0
    status = 0
    for cycle_id in ids:
        try:
            result = app.verify(cycle_id, upgrade=args.upgrade)
        except StoreError as error:
            print(visible(f"{cycle_id}: cannot be read: {error}", one_line=True))
            failed += 1
            continue
        upgraded += result.upgraded
        if result.upgraded:
            print(f"{cycle_id}: upgraded to schema 2 (hash chain added; every event kept)")
        if result.problems:
            failed += 1
            for problem in result.problems:
                print(visible(f"{cycle_id}: {problem}", one_line=True))
        elif not result.chained:
            unchained += 1
        if args.code is not None:
            status = max(status, _say_code(result, args.code, verification_code))
    if unchained:
        print(
            f"{unchained} cycle(s) have no hash chain yet (written before schema 2): "
            "`langkah verify --upgrade` adds it (lossless), as does their next action"
        )
    if failed:
        print(f"{failed} of {len(ids)} cycle(s) do NOT verify (read-only until resolved)")
        return 1
    print(f"verified {len(ids)} cycle(s): every log matches its hash chain and definition")
    return status


def _say_code(result: Verification, code: str, shown: Callable[[str], str]) -> int:
    """Say whether a paper copy's code matches the log; 1 if it matches no version of it."""
    version = result.code_matches(code)
    now = len(result.hashes)
    current = shown(result.hashes[-1]) if result.hashes else "-"
    if version == now:
        print(f"{result.cycle_id}: code matches the log as it is now (version {now})")
        return 0
    if version is not None:
        print(
            f"{result.cycle_id}: code matches version {version} of the log: the paper copy was "
            f"made when the log had {version} event(s); {now - version} event(s) were recorded "
            f"after it (the log only grows, so an older paper copy is expected). The code of "
            f"the log now is {current}"
        )
        return 0
    print(
        f"{result.cycle_id}: code does NOT match any version of this log: the log was "
        f"changed after the paper copy was made (or the code is another cycle's). The code of "
        f"the log now is {current}"
    )
    return 1


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    v = sub.add_parser(
        "verify",
        help="check every cycle's hash chain and pinned definition",
        description=(
            "Check that every stored event still matches the hash recorded after it, that each "
            "log ends at the head hash in its header, and that each pinned definition still "
            "has the SHA-256 its file name records. Exits 1 naming the cycle, the event and "
            "what differs. --code checks a printed report's verification code against the log."
        ),
    )
    v.add_argument("cycles", nargs="*", metavar="CYCLE", help="cycle ids (default: all)")
    v.add_argument("--code", help="the verification code printed on a report (one CYCLE)")
    v.add_argument(
        "--upgrade",
        action="store_true",
        help="add the hash chain to cycles written before it existed (lossless)",
    )
    v.set_defaults(handler=cmd_verify)

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
