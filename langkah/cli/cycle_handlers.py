"""What the cycle commands do (start, show, input, complete, ...); imported only when one runs."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from typing import Any

from langkah import settings
from langkah.cli.common import CliError, option_error, relay
from langkah.display import json_text, visible
from langkah.engine.cycle import Person
from langkah.engine.errors import EngineError
from langkah.engine.inputs import format_value
from langkah.engine.timing import minutes_per_day
from langkah.engine.vocabulary import answer, answer_words, cycle_status, outcome, time_status
from langkah.formatting import (
    clock_time,
    date_time,
    duration,
    holiday_warning,
    short_date_time,
)
from langkah.json_views import cycle_json, overview_row_json
from langkah.messages import Text, say
from langkah.service import CycleView, Langkah, check_action_id, new_action_id
from langkah.store import StoreError


def open_app(args: argparse.Namespace) -> Langkah:
    try:
        return Langkah.open(
            args.data_dir, args.defs_dir, recorder=args.by, store=getattr(args, "store", None)
        )
    except (EngineError, ValueError, StoreError) as error:
        raise relay(error) from None


def _lang(args: argparse.Namespace) -> str:
    return settings.language(getattr(args, "lang", None))


def _run(args: argparse.Namespace, action: Callable[[Langkah], CycleView]) -> CycleView:
    app = open_app(args)
    try:
        return action(app)
    except (EngineError, KeyError, StoreError, ValueError) as error:
        raise relay(error) from None


def _action_id(args: argparse.Namespace) -> str:
    """The action id of this command: --action-id (checked) or a fresh one."""
    if args.action_id is None:
        return new_action_id()
    try:
        return check_action_id(args.action_id)
    except ValueError as error:
        raise option_error("--action-id", error) from None


def _expect(args: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments of an action: its id and what the caller expects of the cycle."""
    return {
        "event_id": args.action_id,
        "expected_step": args.expect_step,
        "expected_version": args.expect_version,
    }


def _act(
    args: argparse.Namespace, action: Callable[[Langkah, dict[str, Any]], CycleView]
) -> CycleView | None:
    """Run a mutating command with its action id and expectations. Returns the view, or None
    when the action was recorded already (then the acknowledgement is printed here)."""
    args.action_id = _action_id(args)
    view = _run(args, lambda app: action(app, _expect(args)))
    if not view.already_recorded:
        return view
    lang = _lang(args)
    if args.json:
        print(json_text(_action_json(args, view)))
        return None
    if lang == "id":
        _say(
            f"sudah tercatat: aksi {args.action_id} adalah peristiwa #{view.recorded_seq} "
            f"siklus {view.state.cycle_id}; tidak dicatat lagi."
        )
    else:
        _say(
            f"already recorded: action {args.action_id} is event #{view.recorded_seq} of "
            f"cycle {view.state.cycle_id}; not recorded again."
        )
    return None


def _action_json(args: argparse.Namespace, view: CycleView) -> dict[str, Any]:
    """What a mutating command prints with --json (docs/cli-json.md)."""
    return {
        "cycle_id": view.state.cycle_id,
        "action_id": args.action_id,
        "recorded": not view.already_recorded,
        "already_recorded": view.already_recorded,
        "event_seq": view.recorded_seq if view.already_recorded else view.version,
        "version": view.version,
        "status": view.state.status.value,
        "current_step": view.state.current_step,
    }


def _done(args: argparse.Namespace, view: CycleView, message: str, steps: bool = True) -> int:
    """Print a recorded action: `message`, where the cycle is now, and the action id."""
    if args.json:
        print(json_text(_action_json(args, view)))
        return 0
    lang = _lang(args)
    if steps:
        _print_done(view, lang, message)
    else:
        _say(message)
    _say(f"  {'aksi' if lang == 'id' else 'action'}: {args.action_id}")
    return 0


def parse_role(text: str) -> tuple[str, Person]:
    """ROLE="NAMA;NIP;PANGKAT": fields split at ";" (commas belong to the name, as in
    "AKHMAD TAUFIQ, S.Sos., MM."); a field holding ";" is written in double quotes, a quote
    inside quotes doubled (docs/report.md, "Names, NIP and quoting")."""
    import csv

    role, sep, rest = text.partition("=")
    if not sep or not role.strip():
        raise CliError(say("cli.role_syntax", text=text))
    try:
        rows = list(csv.reader([rest], delimiter=";", quotechar='"', strict=True))
    except csv.Error as error:
        raise CliError(
            say("cli.role_quotes", role=role.strip(), problem=error, rest=rest)
        ) from None
    parts = rows[0] if rows else []
    if len(parts) > 3:
        raise CliError(say("cli.role_fields", role=role.strip(), rest=rest, count=len(parts)))
    name, nip, rank = (p.strip() for p in [*parts, "", "", ""][:3])
    return role.strip(), Person(name=name, nip=nip, rank=rank)


def _print_done(view: CycleView, lang: str, message: str) -> None:
    _say(message)
    step = view.current_step
    if step is not None:
        title = view.definition.actor_titles(step)
        label = "langkah berikutnya" if lang == "id" else "now at step"
        _say(f"  {label} {step.number}: {step.activity} ({title})")
    else:
        _say("  " + cycle_status(view.state.status, lang))


# -- handlers ---------------------------------------------------------------------------------


def cmd_start(args: argparse.Namespace) -> int:
    roles = dict(parse_role(r) for r in args.role or [])
    explicit_id = args.action_id is not None
    args.action_id = _action_id(args)
    if not args.allow_duplicate:
        _refuse_duplicate(args, explicit_id)
    view = _run(args, lambda app: app.start(args.sop, args.period, roles, event_id=args.action_id))
    if args.json:
        print(json_text(_action_json(args, view)))
        return 0
    _say(view.state.cycle_id)  # stdout is the id alone: CYCLE=$(langkah start ...)
    lang = _lang(args)
    if view.already_recorded:
        word = (
            "sudah tercatat: siklus ini sudah dimulai oleh aksi"
            if lang == "id"
            else ("already recorded: this cycle was started by action")
        )
        print(visible(f"{word} {args.action_id}", one_line=True), file=sys.stderr)
    else:
        label = "aksi" if lang == "id" else "action"
        print(visible(f"{label}: {args.action_id}", one_line=True), file=sys.stderr)
    return 0


def _refuse_duplicate(args: argparse.Namespace, explicit_id: bool) -> None:
    """Refuse a second cycle (not cancelled) of the same SOP and period, naming the cycles
    found; a retried start (its --action-id started one of them) is let through to be
    acknowledged as already recorded."""
    from langkah.engine.period import Period
    from langkah.views import same_sop_and_period

    app = open_app(args)
    try:
        sop_id = app.catalog.get(args.sop).sop_id
        period = str(Period.parse(args.period))
    except (KeyError, ValueError):
        return  # the start itself says what is wrong with the SOP or the period
    from langkah.store import SummaryQuery

    query = SummaryQuery(now=app.clock(), sop_id=sop_id, period=period)  # taken in the store
    found = same_sop_and_period(app.overview_page(query).rows, sop_id, period)
    if explicit_id:
        found = [row for row in found if app.events(row.cycle_id)[0].id != args.action_id]
    if not found:
        return
    lang = _lang(args)
    listed = ", ".join(f"{row.cycle_id} ({cycle_status(row.status.value, lang)})" for row in found)
    raise CliError(say("cli.duplicate", sop=sop_id, period=period, listed=listed))


def cmd_show(args: argparse.Namespace) -> int:
    app = open_app(args)
    try:
        view = app.open_cycle(args.cycle)
        events = app.events(view.state.cycle_id) if args.json else None
    except (EngineError, StoreError) as error:
        raise relay(error) from None
    if args.json:
        print(json_text(cycle_json(view, events)))
        return 0
    print_cycle(view, _lang(args))
    return 0


LABELS: dict[str, dict[str, str]] = {
    "id": {
        "period": "periode",
        "status": "status",
        "definition": "definisi",
        "started": "mulai",
        "step": "Langkah",
        "actors": "pelaksana",
        "required": "wajib",
        "decision": "keputusan",
        "standard": "waktu standar",
        "elapsed": "berjalan",
        "working": "jam kerja",
        "overdue": "terlambat",
        "due": "batas",
        "now": "sekarang",
        "actions": "tindakan",
        "history": "Riwayat",
        "round": "ke-{n}",
        "of": "dari",
        "total": "Total",
        "sum": "jumlah standar",
        "saved": "tersimpan.",
        "note": "catatan",
        "notes": "Catatan",
    },
    "en": {
        "period": "period",
        "status": "status",
        "definition": "definition",
        "started": "started",
        "step": "Step",
        "actors": "actors",
        "required": "required",
        "decision": "decision",
        "standard": "standard",
        "elapsed": "elapsed",
        "working": "working time",
        "overdue": "overdue by",
        "due": "due",
        "now": "now",
        "actions": "actions",
        "history": "History",
        "round": "round {n}",
        "of": "of",
        "total": "Total",
        "sum": "sum of standards",
        "saved": "saved.",
        "note": "note",
        "notes": "Notes",
    },
}

NO_MATCH = {
    "id": "Tidak ada siklus yang cocok dengan filter ini.",
    "en": "No cycle matches these filters.",
}
HEADERS: dict[str, tuple[str, ...]] = {
    "id": (
        "SIKLUS",
        "KECAMATAN",
        "PERIODE",
        "LANGKAH",
        "PELAKSANA",
        "BERJALAN",
        "STANDAR",
        "STATUS",
        "KEMBALI",
    ),
    "en": (
        "CYCLE",
        "KECAMATAN",
        "PERIOD",
        "STEP",
        "ACTORS",
        "ELAPSED",
        "STANDARD",
        "STATUS",
        "RETURNS",
    ),
}


def print_cycle(view: CycleView, lang: str) -> None:
    d, s, tz = view.definition, view.state, view.definition.calendar.timezone
    lb = LABELS[lang]
    status = cycle_status(s.status, lang)
    _say(f"{s.cycle_id}  {d.identity.name} — {d.identity.office.unit_label}")
    _say(
        f"  {lb['period']}: {view.period.label(lang)}   {lb['status']}: {status}"
        f"   {lb['definition']}: {s.definition_version}"
    )
    _say(f"  {lb['started']}: {date_time(s.started_at, tz, lang)}")
    if view.integrity_problem is not None:
        _say(integrity_warning(view.integrity_problem, lang))
    warning = holiday_warning(view.uncovered_years, view.holiday_last_year, lang)
    if warning:
        _say(f"  {warning}")
    step = view.current_step
    t = view.current_timing
    if step is not None and t is not None:
        _say()
        _say(f"{lb['step']} {step.number}: {step.activity}")
        _say(f"  {lb['actors']}: {d.actor_titles(step)}")
        for spec in step.inputs:
            value = s.visits[-1].inputs.get(spec.id)
            mark = "!" if spec in view.missing else " "
            required = f", {lb['required']}" if spec.required else ""
            shown = format_value(spec, value, lang)
            _say(f"  {mark} {spec.id} ({spec.type.value}{required}): {spec.label} = {shown}")
        if step.decision:
            dec = step.decision
            _say(f"  {lb['decision']}: {dec.question} [{dec.yes_label} / {dec.no_label}]")
        if step.output:
            _say(f"  output: {step.output}")
        _say(
            f"  {lb['standard']}: {t.standard.shown(lang)}   {lb['elapsed']}: "
            f"{duration(t.elapsed_minutes, lang)} ({lb['working']})   "
            f"{lb['status']}: {time_status(t.status, lang)}"
        )
        if t.overdue_minutes:
            _say(f"  {lb['overdue']}: {duration(t.overdue_minutes, lang)}")
        elif t.due is not None:
            _say(f"  {lb['due']}: {date_time(t.due, tz, lang)}")
        _say(f"  {lb['now']}: {clock_time(view.now, tz)}")
        _say(f"  {lb['actions']}: {', '.join(sorted(a.value for a in view.allowed))}")
    _say()
    _say(f"{lb['history']}:")
    for visit, vt in zip(s.visits, view.timing.visits, strict=True):
        ended = outcome(visit.outcome, lang)
        extra = f" — {visit.reason}" if visit.reason else ""
        again = f" ({lb['round'].format(n=visit.round)})" if visit.round > 1 else ""
        _say(
            f"  {visit.step:>2}{again}: {ended}{extra}; {duration(vt.elapsed_minutes, lang)} "
            f"{lb['of']} {vt.standard.shown(lang)} [{time_status(vt.status, lang)}]"
        )
        for note in visit.notes:
            _say(f"      {lb['note']} {_when_by(note.at, note.by, tz)}: {note.text}")
    if s.cycle_notes:
        _say()
        _say(f"{lb['notes']}:")
        for note in s.cycle_notes:
            where = f" ({lb['step'].lower()} {note.step})" if note.step is not None else ""
            _say(f"  {_when_by(note.at, note.by, tz)}{where}: {note.text}")
    per_day = minutes_per_day(d.calendar.working_hours)
    _say()
    _say(
        f"{lb['total']}: {duration(view.timing.elapsed_minutes, lang, per_day)} "
        f"({lb['working']}); {lb['sum']} {duration(view.timing.standard_minutes, lang, per_day)}"
    )


def integrity_warning(problem: Text, lang: str) -> str:
    """The warning shown with a cycle that does not verify (it is read-only), in `lang`."""
    if lang == "id":
        return (
            f"  PERINGATAN: catatan siklus ini tidak lolos verifikasi ({problem.message(lang)}); "
            "hanya bisa dibaca (langkah verify menyebut bedanya)"
        )
    return (
        f"  WARNING: this cycle's record does not verify ({problem.message(lang)}); it is "
        "read-only (langkah verify names what differs)"
    )


def _say(line: str = "") -> None:
    """Print one line of text output; everything in it passes the display sanitiser."""
    print(visible(line, one_line=True))


def _when_by(at: dt.datetime, by: str, tz: str) -> str:
    return f"{short_date_time(at, tz)}" + (f", {by}" if by else "")


def _values(pairs: list[str]) -> dict[str, Any]:
    values = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise CliError(say("cli.key_value", pair=pair))
        values[key.strip()] = value
    return values


def cmd_input(args: argparse.Namespace) -> int:
    values = _values(args.values)
    view = _act(args, lambda app, kw: app.record_inputs(args.cycle, values, **kw))
    if view is None:
        return 0
    missing = ", ".join(s.label for s in view.missing) or "-"
    message = (
        f"tersimpan. kelengkapan yang belum ada: {missing}"
        if _lang(args) == "id"
        else f"saved. still missing: {missing}"
    )
    return _done(args, view, message, steps=False)


def cmd_complete(args: argparse.Namespace) -> int:
    lang = _lang(args)
    if args.answer is None:
        view = _act(args, lambda app, kw: app.complete(args.cycle, **kw))
    else:
        yes = _answer(args.answer, lang, *_decision_labels(args))
        view = _act(args, lambda app, kw: app.answer(args.cycle, yes, args.reason, **kw))
    if view is None:
        return 0
    return _done(args, view, LABELS[lang]["saved"])


def _decision_labels(args: argparse.Namespace) -> tuple[str | None, str | None]:
    """The current decision's own answer words (its yes and no labels), if the cycle is at a
    decision; (None, None) otherwise (the action itself then says what is wrong)."""
    try:
        step = open_app(args).open_cycle(args.cycle).current_step
    except (CliError, EngineError, StoreError, KeyError, ValueError):
        return None, None
    if step is None or step.decision is None:
        return None, None
    return step.decision.yes_label, step.decision.no_label


def _answer(
    word: str, lang: str, yes_label: str | None = None, no_label: str | None = None
) -> bool:
    """A typed answer's meaning; an unknown word is refused, naming the words accepted."""
    try:
        return answer(word, yes_label, no_label)
    except ValueError:
        words = answer_words(yes_label, no_label)
        yes = ", ".join(w for w, v in words.items() if v)
        no = ", ".join(w for w, v in words.items() if not v)
        raise CliError(say("cli.answer_unknown", word=word, yes=yes, no=no)) from None


def _with_reason(args: argparse.Namespace, method: str) -> int:
    view = _act(args, lambda app, kw: getattr(app, method)(args.cycle, args.reason, **kw))
    if view is None:
        return 0
    return _done(args, view, LABELS[_lang(args)]["saved"])


def cmd_pause(args: argparse.Namespace) -> int:
    return _with_reason(args, "pause")


def cmd_resume(args: argparse.Namespace) -> int:
    return _with_reason(args, "resume")


def cmd_cancel(args: argparse.Namespace) -> int:
    return _with_reason(args, "cancel")


def cmd_note(args: argparse.Namespace) -> int:
    text = " ".join(args.text)
    view = _act(args, lambda app, kw: app.note(args.cycle, text, args.step, **kw))
    if view is None:
        return 0
    message = "catatan tersimpan." if _lang(args) == "id" else "note saved."
    return _done(args, view, message, steps=False)


def cmd_roles(args: argparse.Namespace) -> int:
    given = [*(args.assignments or []), *(args.role or [])]
    if not given:
        raise CliError(say("cli.roles_none"))
    roles = dict(parse_role(r) for r in given)
    view = _act(args, lambda app, kw: app.update_roles(args.cycle, roles, **kw))
    if view is None:
        return 0
    return _done(args, view, "tersimpan." if _lang(args) == "id" else "saved.", steps=False)


def cmd_status(args: argparse.Namespace) -> int:
    from langkah.store import SummaryQuery

    app = open_app(args)
    status = "overdue" if args.overdue else "open" if args.open and not args.all else None
    query = SummaryQuery(
        now=app.clock(),
        unit=args.kecamatan or None,
        period=args.period or None,
        status=status,
        limit=args.limit,
        offset=args.offset,
    )
    try:
        page = app.overview_page(query)
    except StoreError as error:
        raise relay(error) from None
    rows = page.rows
    lang = _lang(args)
    for problem in page.problems:
        print(f"langkah: {visible(problem.message(lang), one_line=True)}", file=sys.stderr)
    paged = args.limit is not None or args.offset
    if args.json:
        listed = [overview_row_json(r) for r in rows]
        if paged:  # a page: the rows and where they sit in the whole list
            limit = args.limit
            print(
                json_text(
                    {"total": page.total, "offset": args.offset, "limit": limit, "rows": listed}
                )
            )
        else:
            print(json_text(listed))
        return 0
    lang = _lang(args)
    if not rows:
        if args.kecamatan or args.period or status:
            print(NO_MATCH[lang])
        else:
            print("Belum ada siklus." if lang == "id" else "No cycles.")
        if paged and page.total:
            _say(f"0 dari {page.total} siklus" if lang == "id" else f"0 of {page.total} cycles")
        return 0
    header = HEADERS[lang]
    kinds = {summary.unit_kind for summary in app.catalog.summaries().values()}
    if kinds - {"kecamatan"}:  # a dinas's SOP beside the kecamatan's: the column says so
        header = (header[0], "UNIT KERJA" if lang == "id" else "UNIT", *header[2:])
    table = [header]
    for r in rows:
        t = r.timing
        state = cycle_status(r.status, lang)
        if t is not None and r.status.value == "active":
            state = time_status(t.status, lang) + (
                f" +{duration(t.overdue_minutes, lang)}" if t.overdue_minutes else ""
            )
        actors = visible(r.actors + (f" ({r.holders})" if r.holders else ""), one_line=True)
        table.append(
            tuple(
                visible(cell, one_line=True)
                for cell in (
                    r.cycle_id + (" !" if r.integrity_problem is not None else ""),
                    r.kecamatan,
                    r.period,
                    str(r.current_step or "-"),
                    actors[:28],
                    duration(t.elapsed_minutes, lang) if t else "-",
                    t.standard.shown(lang) if t else "-",
                    state,
                    str(r.returns),
                )
            )
        )
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    if paged:
        first = args.offset + 1 if rows else 0
        last = args.offset + len(rows)
        if lang == "id":
            _say(f"baris {first}–{last} dari {page.total} siklus")
        else:
            _say(f"rows {first}–{last} of {page.total} cycles")
    tampered = [(r.cycle_id, r.integrity_problem) for r in rows if r.integrity_problem is not None]
    if tampered:
        _say()
        for cycle_id, unverified in tampered:
            _say(f"{cycle_id}:{integrity_warning(unverified, lang)}")
    late = [r for r in rows if r.uncovered_years]
    if late:
        years = sorted({y for r in late for y in r.uncovered_years})
        _say()
        _say(holiday_warning(years, app.holiday_last_year, lang))
        _say("  " + ", ".join(r.cycle_id for r in late))
    return 0
