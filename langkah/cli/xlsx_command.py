"""`langkah export-xlsx -o FILE.xlsx [filters]`: the evaluators' recap of many cycles."""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

from langkah import settings
from langkah.cli.common import CliError, lazy, option_error, relay
from langkah.engine.vocabulary import CYCLE_STATUS
from langkah.messages import say, text_of


def status_help(lang: str = "en") -> str:
    """--status's help, from the one table of status words (engine/vocabulary.py)."""
    words = ", ".join(sorted({w for pair in CYCLE_STATUS.values() for w in pair}))
    if lang == "id":
        return f"hanya siklus dengan status ini: {words}, atau open"
    return f"only cycles in this status: {words}, or open"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "export-xlsx",
        help="write a recap of cycles and their steps (.xlsx) for evaluators",
        description="Write an .xlsx recap: a sheet of cycles and a sheet of cycle-steps "
        "(standard, actual, late, returns). Filters combine; without them every cycle is listed.",
    )
    parser.add_argument("-o", "--output", metavar="FILE.xlsx", required=True,
                        help="the file to write (its folder must exist)")  # fmt: skip
    parser.add_argument("--force", action="store_true", help="replace FILE.xlsx if it exists")
    parser.add_argument("--kecamatan", help="only this kecamatan (e.g. Dawarblandong)")
    parser.add_argument("--sop", help="only this SOP id (langkah sops lists them)")
    parser.add_argument("--period", help="only this period (e.g. 2026-T3)")
    parser.add_argument("--status", help=status_help())
    parser.add_argument(
        "--stats", action="store_true", help="add the Statistik sheets (replays every log: slower)"
    )
    parser.set_defaults(handler=lazy("langkah.cli.xlsx_command:cmd_export_xlsx"))


def status_filter(raw: str | None) -> set[str] | None:
    """The CycleStatus values a --status word means (Indonesian or English; "open" = active
    or paused); None when no filter was given."""
    if raw is None:
        return None
    word = raw.strip().lower()
    if word in ("open", "terbuka"):
        return {"active", "paused"}
    for value, names in CYCLE_STATUS.items():
        if word in names:
            return {value}
    known = sorted({w for pair in CYCLE_STATUS.values() for w in pair} | {"open"})
    raise CliError(say("cli.unknown_status", value=raw, known=", ".join(known)), status=2)


def _output(raw: str) -> Path:
    path = Path(raw).expanduser()
    if path.is_dir():
        raise CliError(say("cli.is_folder", option="-o", value=raw, example=path / "rekap.xlsx"))
    if path.suffix.lower() != ".xlsx":
        raise CliError(say("cli.not_xlsx", option="-o", value=raw))
    return path


def cmd_export_xlsx(args: argparse.Namespace) -> int:
    from langkah.cli.cycle_handlers import open_app
    from langkah.display import visible
    from langkah.engine.errors import EngineError
    from langkah.engine.period import Period
    from langkah.recap_cache import recaps
    from langkah.report.xlsx_recap import RecapError, export_recap
    from langkah.report.xlsx_stats import facts_of, stats_sheets
    from langkah.store import StoreError

    path = _output(args.output)
    statuses = status_filter(args.status)
    period = None
    if args.period is not None:
        try:
            period = str(Period.parse(args.period))
        except ValueError as error:
            raise option_error("--period", error) from None
    if not args.force and path.exists():
        raise CliError(say("file.exists", path=path))
    app = open_app(args)
    try:
        overview = app.overview()
    except StoreError as error:
        raise relay(error) from None
    rows = overview.rows
    if args.kecamatan is not None:
        wanted = args.kecamatan.strip().lower()
        bundled = {s.office_name for s in app.catalog.summaries().values()}
        known = sorted({r.kecamatan for r in rows} | bundled)
        if wanted not in {k.lower() for k in known}:
            raise CliError(
                say("cli.unknown_kecamatan", value=args.kecamatan, known=", ".join(known)),
                status=2,
            )
        rows = [r for r in rows if r.kecamatan.lower() == wanted]
    if args.sop is not None:
        wanted = args.sop.strip()
        if wanted not in {r.sop_id for r in rows}:  # not stored: an id, prefix or kecamatan
            try:
                wanted = app.catalog.get(wanted).sop_id
            except KeyError as error:
                raise option_error(f"--sop {args.sop}", error) from None
        rows = [r for r in rows if r.sop_id == wanted]
    if period is not None:
        rows = [r for r in rows if r.period == period]
    if statuses is not None:
        rows = [r for r in rows if r.status.value in statuses]
    lang = settings.language(args.lang)
    for problem in overview.problems:
        print(f"langkah: {visible(problem.message(lang), one_line=True)}", file=sys.stderr)
    if not rows:
        raise CliError(say("cli.nothing_matches"))
    every_cycle = len(rows) == len(overview.rows)
    ordered = sorted(rows, key=lambda r: (r.kecamatan, r.period, r.cycle_id))
    cycles, left_out = recaps(app, ordered, every_cycle=every_cycle)
    for cycle_id, failure in left_out:
        said = say("listing.left_out", cycle_id=cycle_id, problem=text_of(failure))
        print(f"langkah: {visible(said.message(lang), one_line=True)}", file=sys.stderr)
    now = app.clock()
    facts = []  # the "Statistik" sheets' figures (langkah/report/xlsx_stats.py), with --stats
    if args.stats:  # computed from the logs, replayed: the slow part, so asked for
        kept = {c.cycle_id for c in cycles}
        for row in ordered:
            if row.cycle_id in kept:
                with contextlib.suppress(StoreError, EngineError):  # named above if it failed
                    fact = facts_of(app.open_cycle(row.cycle_id), now)
                    if fact is not None:  # a log that does not verify is left out
                        facts.append(fact)
    filters = " ".join(
        f"--{name} {value}"
        for name, value in (
            ("kecamatan", args.kecamatan),
            ("sop", args.sop),
            ("period", args.period),
            ("status", args.status),
        )  # fmt: skip
        if value is not None
    )
    try:
        written = export_recap(cycles, path, replace=args.force, filters=filters,
                               made=now.replace(tzinfo=None),
                               extra=stats_sheets(facts) if args.stats else None)  # fmt: skip
    except RecapError as error:
        raise relay(error) from None
    steps = sum(len(c.steps) for c in cycles)
    words = ("cycles", "steps") if settings.language(args.lang) == "en" else ("siklus", "langkah")
    shown = visible(str(written), one_line=True)
    print(f"{shown}: {len(cycles)} {words[0]}, {steps} {words[1]}")
    return 0
