"""`langkah stats`: Tim SAKIP's figures per SOP x kecamatan x period (docs/analytics.md).

The figures are computed by the pure langkah.analytics from the cycles' replayed logs, never
from the stored summaries; the facts of a log already replayed are kept by its head
(Langkah.analytics_facts) so only logs changed since are read again (--no-cache: all are).
Three paths give the same bytes: on PostgreSQL the kept facts are rows and the figures are
computed in SQL (`sql_figures`); on the embedded store they are counted straight from the kept
facts (`kept_figures`); with --no-cache every log is replayed and `compute` makes them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from langkah import settings
from langkah.cli.common import CliError, language, lazy, option_error, relay
from langkah.messages import Text, say

if TYPE_CHECKING:
    from langkah.analytics import CycleFacts, PeriodRange, Selection, Stats
    from langkah.engine.period import Period
    from langkah.service import Langkah


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "stats",
        help="on-time share, delays and returns per SOP, kecamatan and period (Tim SAKIP)",
        description="Figures per SOP variant x kecamatan x period, computed from the cycles' "
        "logs: cycles started/finished/cancelled, share of steps on time, median and 90th "
        "percentile delay per step (working time), the step most often late, returns, median "
        "lead time against the sum of standards; then a step-by-step table of the variants. "
        "Definitions: docs/analytics.md.",
    )
    parser.add_argument("--sop", help="only this SOP id, id prefix or kecamatan's SOP")
    parser.add_argument("--kecamatan", help="only this kecamatan (e.g. Dawarblandong)")
    parser.add_argument("--period", help="only periods within this one (e.g. 2026-T3, 2026)")
    parser.add_argument("--from", dest="first", metavar="PERIOD",
                        help="only periods from this one on (e.g. 2026-T1)")  # fmt: skip
    parser.add_argument("--to", dest="last", metavar="PERIOD",
                        help="only periods up to this one, inclusive")  # fmt: skip
    parser.add_argument("--json", action="store_true", help="print JSON (docs/analytics.md)")
    parser.add_argument("--docx", metavar="FILE.docx",
                        help="write a Word recap (Rekapitulasi) instead")  # fmt: skip
    parser.add_argument("--force", action="store_true", help="replace the --docx file if it exists")
    parser.add_argument("--paper", type=str.upper, choices=["A4", "F4"], default="A4",
                        help="paper size of the --docx recap")  # fmt: skip
    parser.add_argument("--no-cache", action="store_true",
                        help="recompute every figure from the logs (no kept facts)")  # fmt: skip
    parser.set_defaults(handler=lazy("langkah.cli.stats_command:cmd_stats"))


def _period(option: str, raw: str | None) -> Period | None:
    from langkah.engine.period import Period

    if raw is None:
        return None
    try:
        return Period.parse(raw)
    except ValueError as error:
        raise option_error(option, error) from None


def period_range(args: argparse.Namespace) -> PeriodRange:
    """The periods asked for; a clear message for a bad or reversed pair."""
    from langkah.analytics import PeriodRange
    from langkah.analytics.selection import SelectionError

    if args.period is not None and (args.first is not None or args.last is not None):
        raise CliError(say("cli.one_or_other", first="--period", second="--from/--to"), 2)
    only = _period("--period", args.period)
    if only is not None:
        return PeriodRange.exactly(only)
    try:
        return PeriodRange(_period("--from", args.first), _period("--to", args.last))
    except SelectionError as error:
        raise relay(error, status=2) from None


def _catalog_sop(app: Langkah, raw: str) -> str | None:
    """The SOP id `raw` names in the catalog (id, prefix, kecamatan), or None."""
    try:
        return app.catalog.get(raw.strip()).sop_id
    except KeyError:
        return None


def _check_sop(app: Langkah, raw: str | None, stored: set[str]) -> None:
    """Refuse an --sop that names neither a stored SOP id nor a catalog SOP."""
    if raw is None or raw.strip() in stored:
        return
    try:
        app.catalog.get(raw.strip())
    except KeyError:
        known = ", ".join(sorted(stored | set(app.catalog.definitions)))
        raise option_error("--sop", say("sop.unknown", sop=raw.strip(), known=known)) from None


def _check_kecamatan(app: Langkah, raw: str | None, stored: set[str]) -> None:
    if raw is None:
        return
    bundled = {s.office_name for s in app.catalog.summaries().values()}  # nothing parsed
    known = sorted(stored | bundled, key=str.lower)
    if raw.strip().lower() not in {k.lower() for k in known}:
        raise CliError(
            say("cli.unknown_kecamatan", value=raw, known=", ".join(known) or "-"), status=2
        )


def _selection(app: Langkah, args: argparse.Namespace, periods: PeriodRange) -> Selection:
    from langkah.analytics import Selection

    sop_ids = None
    if args.sop is not None:  # a stored id as typed, or what the catalog resolves it to
        resolved = _catalog_sop(app, args.sop)
        sop_ids = frozenset({args.sop.strip()} | ({resolved} if resolved else set()))
    kecamatan = args.kecamatan.strip() if args.kecamatan is not None else None
    return Selection(sop_ids=sop_ids, kecamatan=kecamatan, periods=periods)


def _checked(
    app: Langkah,
    args: argparse.Namespace,
    problems: list[tuple[str, Text]],
    sop_ids: set[str],
    kecamatan: set[str],
) -> None:
    """Name the cycles left out; refuse filters that name nothing stored or known."""
    from langkah.display import visible

    lang = language(args)
    for cycle_id, text in problems:
        said = (
            say("listing.left_out", cycle_id=cycle_id, problem=text)
            if cycle_id
            else say("listing.left_out_store", problem=text)
        )
        print(f"langkah: {visible(said.message(lang), one_line=True)}", file=sys.stderr)
    _check_sop(app, args.sop, sop_ids)
    _check_kecamatan(app, args.kecamatan, kecamatan)


def kept_figures(
    app: Langkah, args: argparse.Namespace, periods: PeriodRange, now: dt.datetime
) -> Stats:
    """The figures from the kept facts (langkah/analytics/columns.py): no `CycleFacts` made."""
    from langkah.analytics import columns
    from langkah.analytics.sql import assemble
    from langkah.store import StoreError

    selection = _selection(app, args, periods)
    try:
        read = app.analytics_facts(selection.wants, now, kept=True)
    except StoreError as error:
        raise relay(error) from None
    _checked(app, args, read.problems, read.sop_ids, read.kecamatan)
    return assemble(*columns.rows(read.kept, now))


def load_facts(
    app: Langkah, args: argparse.Namespace, periods: PeriodRange, now: dt.datetime
) -> list[CycleFacts]:
    """Every cycle's log replayed through the service; the facts of those selected. The
    filters are checked against what is stored (and the catalog) once every log is read."""
    from langkah.store import StoreError

    selection = _selection(app, args, periods)
    try:
        read = app.analytics_facts(selection.wants, now, cached=not args.no_cache)
    except StoreError as error:
        raise relay(error) from None
    _checked(app, args, read.problems, read.sop_ids, read.kecamatan)
    return read.facts


def sql_figures(
    app: Langkah, args: argparse.Namespace, periods: PeriodRange, now: dt.datetime
) -> Stats:
    """The figures computed in SQL (PostgreSQL, langkah/stats_in_sql.py), checked as
    `load_facts` checks them."""
    from langkah.analytics import compute
    from langkah.display import visible
    from langkah.stats_in_sql import FactsNotKept, sql_stats
    from langkah.store import StoreError

    selection = _selection(app, args, periods)
    try:
        read = sql_stats(app, selection.wants, now)
    except FactsNotKept as error:  # e.g. a read-only role: the same figures, from the logs
        note = visible(str(error), one_line=True)
        print(f"langkah: {note}; computing in Python instead", file=sys.stderr)
        return compute(load_facts(app, args, periods, now))
    except StoreError as error:
        raise relay(error) from None
    _checked(app, args, read.problems, read.sop_ids, read.kecamatan)
    return read.stats


def cmd_stats(args: argparse.Namespace) -> int:
    lang = settings.language(args.lang)
    periods = period_range(args)
    if args.docx is not None and args.json:
        raise CliError(say("cli.one_or_other", first="--docx", second="--json"), status=2)
    if args.json:
        from langkah.stats_lean import lean_json
        from langkah.store import StoreError

        try:
            text = lean_json(args, periods)
        except StoreError as error:  # (the store cannot be opened: as `_open_app` says it)
            raise relay(error) from None
        if text is not None:  # the warm run on PostgreSQL: no service, engine or definition
            print(text)
            return 0
    from langkah.analytics import compute
    from langkah.service import paused_gc
    from langkah.stats_in_sql import supports_sql

    docx_path = _docx_output(args.docx, args.force) if args.docx is not None else None
    app = _open_app(args)
    now = app.clock()
    # Millions of small objects, all alive until the figures are printed: the cyclic garbage
    # collector's passes over them would cost more than the work (see paused_gc)
    with paused_gc(freeze=True):
        if supports_sql(app) and not args.no_cache:
            stats = sql_figures(app, args, periods, now)
        elif not args.no_cache:
            stats = kept_figures(app, args, periods, now)
        else:
            stats = compute(load_facts(app, args, periods, now))
    from langkah.analytics.serialize import selection_filters, stats_json

    filters = selection_filters(args.sop, args.kecamatan, periods)
    if docx_path is not None:
        return _write_docx(app, args, stats, now, filters, docx_path)
    if args.json:
        from langkah.display import json_text

        print(json_text(stats_json(stats, now.isoformat(), filters)))
    else:
        from langkah.cli.stats_text import render

        print(render(stats, now, lang, _shared_zone(app, stats, now)))
    return 0


def _open_app(args: argparse.Namespace) -> Langkah:
    """cycle_handlers.open_app, without what the cycle commands import (their formatting,
    their JSON views): not needed for the figures."""
    from langkah.engine.errors import EngineError
    from langkah.service import Langkah
    from langkah.store import StoreError

    try:
        return Langkah.open(
            args.data_dir, args.defs_dir, recorder=args.by, store=getattr(args, "store", None)
        )
    except (EngineError, ValueError, StoreError) as error:
        raise relay(error) from None


def _shared_zone(app: Langkah, stats: Stats, now: dt.datetime) -> str:
    """A time zone of the selected cycles' SOPs when they all tell the same local time now
    (Asia/Jakarta and Asia/Pontianak are both WIB), else UTC."""
    from langkah.formatting import clock_time

    zones: dict[str, str] = {}
    for sop_id in {t.sop_id for t in stats.totals}:
        loaded = app.catalog.definitions.get(sop_id)
        zone = loaded.definition.calendar.timezone if loaded is not None else "UTC"
        zones.setdefault(clock_time(now, zone), zone)
    return next(iter(zones.values())) if len(zones) == 1 else "UTC"


def _docx_output(raw: str, force: bool) -> Path:
    """`--docx FILE` as given: a .docx file name; an existing one only with --force."""
    path = Path(raw).expanduser()
    if path.is_dir():
        example = path / "rekapitulasi.docx"
        raise CliError(say("cli.is_folder", option="--docx", value=raw, example=example))
    if path.suffix.lower() != ".docx":
        raise CliError(say("cli.not_docx", option="--docx", value=raw))
    if not force and path.exists():
        raise CliError(say("file.exists", path=path))
    if not path.parent.is_dir():
        raise CliError(say("cli.folder_first", option="--docx", value=raw, folder=path.parent))
    return path


def _write_docx(
    app: Langkah,
    args: argparse.Namespace,
    stats: Stats,
    now: dt.datetime,
    filters: dict[str, str | None],
    path: Path,
) -> int:
    """The Rekapitulasi .docx of the selection; nothing is written for an empty one."""
    from langkah.display import visible
    from langkah.formatting import local
    from langkah.report.options import ReportError, ReportOptions
    from langkah.report.recap_content import RecapMeta
    from langkah.report.recap_docx import export_recap_docx

    if stats.empty:
        raise CliError(say("cli.nothing_matches"))
    identities = []
    for sop_id in sorted({t.sop_id for t in stats.totals}):
        loaded = app.catalog.definitions.get(sop_id)
        if loaded is not None:
            identities.append(loaded.definition.identity)
    meta = RecapMeta(
        now=local(now, _shared_zone(app, stats, now)),
        filters=filters,
        governments=tuple(sorted({i.government for i in identities})),
        units=tuple(sorted({i.unit for i in identities})),
        addresses=tuple(sorted({i.address or "" for i in identities})),
    )
    try:
        written = export_recap_docx(stats, meta, path, ReportOptions(paper=args.paper),
                                    replace=args.force)  # fmt: skip
    except ReportError as error:
        raise relay(error) from None
    print(visible(str(written), one_line=True))
    return 0
