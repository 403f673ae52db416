"""Store maintenance commands: `langkah repair [CYCLE]` sets damaged cycle files aside and
rebuilds what can be recovered from them, reporting per file what it did; `langkah verify
[CYCLE...]` checks every hash chain and pinned definition, and a paper copy's code."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from langkah.cli.common import CliError, language, relay
from langkah.display import visible
from langkah.messages import Text, say, told

if TYPE_CHECKING:
    from langkah.service import Langkah, Verification
    from langkah.store import Rebuild


def rebuild_with(app: Langkah) -> Rebuild:
    """The callback the store's `recover` takes: replay salvaged events on their definition."""
    return app.rebuild


def _print(text: Text, lang: str, **options: object) -> None:
    """One line of output in `lang`, through the display sanitiser."""
    print(visible(text.message(lang), one_line=True), **options)  # type: ignore[call-overload]


def cmd_repair(args: argparse.Namespace) -> int:
    from langkah.service import Langkah
    from langkah.store import StoreError

    lang = language(args)
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
        _print(say("repair.temporary", count=removed), lang)
    counts: dict[str, int] = {}
    status = 0
    for cycle_id in ids:
        try:
            result = app.repair(cycle_id)
        except StoreError as error:
            _print(
                say("verify.problem", cycle_id=cycle_id, problem=told(error)), lang, file=sys.stderr
            )
            status = 1
            continue
        counts[result.outcome] = counts.get(result.outcome, 0) + 1
        if result.outcome != "ok" or args.cycle:
            outcome = say(f"outcome.{result.outcome}")
            line = say("repair.line", path=result.path, outcome=outcome, message=result.message)
            _print(line, lang)
        if result.outcome in ("unrecoverable", "failed"):
            status = 1
    parts = [
        say("repair.count", count=n, outcome=say(f"outcome.{outcome}")).message(lang)
        for outcome, n in sorted(counts.items())
    ]
    summary = ", ".join(parts) or say("repair.none").message(lang)
    _print(say("repair.summary", count=len(ids), summary=summary), lang)
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
    lang = language(args)
    failed = unchained = upgraded = 0
    status = 0
    for cycle_id in ids:
        try:
            result = app.verify(cycle_id, upgrade=args.upgrade)
        except StoreError as error:
            _print(say("verify.unreadable", cycle_id=cycle_id, problem=told(error)), lang)
            failed += 1
            continue
        upgraded += result.upgraded
        if result.upgraded:
            _print(say("verify.upgraded", cycle_id=cycle_id), lang)
        if result.problems:
            failed += 1
            for problem in result.problems:
                _print(say("verify.problem", cycle_id=cycle_id, problem=problem), lang)
        elif not result.chained:
            unchained += 1
        if args.code is not None:
            said, matches = _code_check(result, args.code, verification_code)
            _print(said, lang)
            status = max(status, 0 if matches else 1)
    if unchained:
        _print(say("verify.unchained", count=unchained), lang)
    if failed:
        _print(say("verify.failed", failed=failed, count=len(ids)), lang)
        return 1
    _print(say("verify.passed", count=len(ids)), lang)
    return status


def _code_check(result: Verification, code: str, shown: Callable[[str], str]) -> tuple[Text, bool]:
    """Whether a paper copy's code matches the log, said; False if it matches no version."""
    version = result.code_matches(code)
    now = len(result.hashes)
    current = shown(result.hashes[-1]) if result.hashes else "-"
    cycle_id = result.cycle_id
    if version == now:
        return say("verify.code_now", cycle_id=cycle_id, version=now), True
    if version is not None:
        said = say(
            "verify.code_older",
            cycle_id=cycle_id,
            version=version,
            after=now - version,
            current=current,
        )
        return said, True
    return say("verify.code_none", cycle_id=cycle_id, current=current), False


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
