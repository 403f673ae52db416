"""What goes into the report, as plain rows and strings computed from a CycleView.

Pure functions (no python-docx): the writer lays these out, tests can check them directly.
Texts are Bahasa Indonesia, the language of the documents a kecamatan signs.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from langkah.engine.cycle import CycleStatus, Outcome, Person, Visit
from langkah.engine.definition import InputKind, InputSpec, Step
from langkah.engine.events import verification_code
from langkah.engine.inputs import format_value, missing_inputs
from langkah.engine.nip import printed
from langkah.engine.signers import KEPALA, PENANGGUNG_JAWAB, role_ids
from langkah.engine.standard_time import StandardKind
from langkah.engine.timing import StepTiming, TimeStatus
from langkah.engine.vocabulary import cycle_status, outcome, time_status
from langkah.formatting import clock_time, local, long_date
from langkah.report.figures import (
    NBSP,
    deadline_text,
    figures,
    moment,
    signed,
    span,
    step_label,
    units_text,
)
from langkah.report.options import MonitoringRow, ReportOptions
from langkah.views import CycleView

BLANK = "........................................"
BLANK_SHORT = "..............................."
BLANK_NIP = "NIP. ................................"
NAMA_TERANG = "(nama terang)"
LONG_NOTE = 400  # characters: a longer note goes to the appendix, with a pointer in its place
SIGNER_TITLES = {KEPALA: "{head} (Mengetahui)", PENANGGUNG_JAWAB: "Penanggung jawab"}

RUNNING = outcome(None).capitalize()  # "Sedang berjalan"
# A document says an active cycle is "sedang berjalan" (running); the other statuses as listed.
STATUS_TEXT = {
    status: RUNNING if status == CycleStatus.ACTIVE else cycle_status(status).capitalize()
    for status in CycleStatus
}


@dataclass
class ExecutionRow:
    """One row of the execution table: a visit of a step, or a step never taken."""

    no: str
    kegiatan: str
    pelaksana: str
    kelengkapan: str
    waktu_standar: str
    output: str
    waktu_aktual: str
    selisih: str
    keterangan: str
    state: str  # "on_time", "overdue", "no_standard", "running", "not_taken"


@dataclass
class ChartRow:
    """One step in the standard-versus-actual chart (actual = all its visits together)."""

    no: int
    label: str
    standard_minutes: float | None
    actual_minutes: float | None
    standard_text: str
    actual_text: str
    overdue: bool


@dataclass
class Signature:
    """One signature column: the lines above the space, then name, rank and NIP."""

    above: list[str]
    name: str
    rank: str
    nip: str
    filled: bool = True


@dataclass
class Signatures:
    left: Signature
    right: Signature
    place_date: str


@dataclass
class Marking:
    """How the document must be marked: draft, in progress, cancelled."""

    draft: bool
    lines: list[str] = field(default_factory=list)  # under the title, e.g. the cancel reason


# -- small helpers ----------------------------------------------------------------------------


def nip_text(value: str) -> str:
    """ "NIP. 19700626 199003 1 006" with no-break spaces (never split across lines); another
    identity number as written ("NI PPPK ..."); "" for none."""
    number = printed(value)
    if not number:
        return ""
    if number[:1].isdigit():
        number = f"NIP.{NBSP}{number}"
    return number.replace(" ", NBSP)


def input_text(spec: InputSpec, value: object) -> str:
    """A recorded value as the report prints it: dates as "5 Oktober 2026"."""
    if spec.type == InputKind.DOCUMENT and isinstance(value, dict):
        return f"{value.get('nomor', '')} tanggal {_iso_date(str(value.get('tanggal', '')))}"
    if spec.type == InputKind.DATE and isinstance(value, str):
        return _iso_date(value)
    return format_value(spec, value)


def _iso_date(text: str) -> str:
    try:
        return long_date(dt.date.fromisoformat(text))
    except ValueError:
        return text


def _standard_text(step: Step) -> str:
    return step.standard.shown()


def _person_text(person: Person | None) -> str:
    if person is None or not person.name.strip():
        return ""
    return person.name.strip()


def pelaksana(view: CycleView, step: Step) -> str:
    """The step's actor titles, each with the name of the person filling it (if known)."""
    if not step.actors:
        return "-"
    parts = []
    for actor_id in step.actors:
        try:
            title = view.definition.actor(actor_id).title
        except KeyError:
            title = actor_id
        name = _person_text(view.state.roles.get(actor_id))
        parts.append(f"{title} ({name})" if name else title)
    return step.join_actors(parts, lines=True)


def marking(view: CycleView, options: ReportOptions) -> Marking:
    state = view.state
    lines: list[str] = []
    draft = options.draft
    if state.status == CycleStatus.CANCELLED:
        lines.append("SIKLUS DIBATALKAN")
        if state.end_reason:
            lines.append(f"Alasan pembatalan: {state.end_reason}")
    elif state.is_open:
        draft = True
        step = state.current_step
        word = cycle_status(state.status) if state.status == CycleStatus.PAUSED else outcome(None)
        lines.append(f"SIKLUS BELUM SELESAI ({word}, langkah {step})")
    return Marking(draft, lines)


def title_lines(view: CycleView, options: ReportOptions) -> list[str]:
    identity = view.definition.identity
    title = "LAPORAN PELAKSANAAN STANDAR OPERASIONAL PROSEDUR"
    lines = [f"DRAFT {title}" if marking(view, options).draft else title]
    lines.append(identity.name.upper())
    lines.append(view.period.label("id").upper())
    return lines


def kop_lines(view: CycleView) -> list[str]:
    """The letterhead: government, unit (the larger line), address."""
    identity = view.definition.identity
    lines = [identity.government.upper(), identity.unit.upper()]
    if identity.address:
        lines.append(identity.address)
    return lines


def role_rows(view: CycleView) -> list[tuple[str, str, str, str]]:
    """Peran | Nama | NIP | Pangkat, one per actor; unknown holders are lines to fill by hand."""
    rows = []
    actors = {actor.id: actor.title for actor in view.definition.actors}
    head = view.definition.identity.office.head_title
    for role in role_ids(view.definition):
        title = actors.get(role) or SIGNER_TITLES[role].format(head=head)
        person = view.state.roles.get(role) or Person()
        number = printed(person.nip).replace(" ", NBSP)
        rows.append(
            (title, person.name.strip() or BLANK_SHORT, number or "-", person.rank.strip() or "-")
        )
    return rows


def summary_rows(view: CycleView) -> list[tuple[str, str]]:
    state, tz = view.state, view.definition.calendar.timezone
    status = STATUS_TEXT[state.status]
    if state.is_open:
        status += f" (langkah {state.current_step})"
        if state.status == CycleStatus.PAUSED:
            pause = state.visits[-1].pauses[-1] if state.visits[-1].pauses else None
            if pause:
                status += f": dijeda sejak {moment(pause.start, tz)}"
                if pause.reason:
                    status += f" ({pause.reason})"
    elif state.status == CycleStatus.CANCELLED and state.end_reason:
        status += f": {state.end_reason}"
    started = moment(state.started_at, tz)
    recorder = shown_recorder(state.started_by)
    if recorder:
        started += f" (dicatat oleh {recorder})"
    if state.ended_at is not None:
        ended = moment(state.ended_at, tz)
    else:
        ended = f"belum selesai (keadaan per {moment(view.now, tz)})"
    data = figures(view)
    late = ", ".join(
        step_label(x.step, x.round) + (" (masih berjalan)" if x.running else "") for x in data.late
    )
    counted = f"{data.on_time} dari {data.counted} pelaksanaan langkah berwaktu standar"
    if data.pending:
        counted += f"; {data.pending} langkah berjalan belum dinilai"
    excluded = []
    if data.deadline_steps:
        excluded.append(
            "langkah " + ", ".join(map(str, data.deadline_steps)) + " (batas berupa tanggal)"
        )
    if data.untimed_steps:
        excluded.append(
            "langkah " + ", ".join(map(str, data.untimed_steps)) + " (tanpa waktu standar)"
        )
    scope = "pelaksanaan langkah berwaktu standar yang sudah selesai"
    if excluded:
        scope += "; tidak termasuk " + " dan ".join(excluded)
    rows = [
        ("Status", status),
        ("Dimulai", started),
        ("Selesai", ended),
        ("Satuan waktu", units_text(view)),
        ("Waktu kerja seluruhnya", f"{span(view, view.timing.elapsed_minutes)} (jam kerja)"),
        ("Persentase langkah tepat waktu", f"{data.percent_text} ({counted})"),
        ("Langkah terlambat", f"{len(data.late)}" + (f" (langkah {late})" if late else "")),
        ("Jumlah waktu standar", f"{span(view, data.standard_minutes)} ({scope})"),
        ("Waktu aktual langkah yang sama", span(view, data.actual_minutes)),
        ("Selisih", signed(view, data.actual_minutes - data.standard_minutes)),
    ]
    if state.returns:
        details = "; ".join(f"langkah {k}: {v} kali" for k, v in sorted(state.returns.items()))
        rows.append(("Pengembalian", f"{state.total_returns} ({details})"))
    else:
        rows.append(("Pengembalian", "0"))
    numbers = note_numbers(view)
    for index, note in enumerate(state.cycle_notes):
        rows.append(("Catatan", note_text(note.text, numbers.get((-1, index)))))
    return rows


def shown_recorder(name: str) -> str:
    """A recorder's name as the report may print it: never an operating-system login (a log
    written by an old version may hold one); "" when it is one or empty."""
    name = name.strip()
    if not name:
        return ""
    import getpass

    try:
        login = getpass.getuser()
    except Exception:  # no login name at all (a container without a passwd entry)
        return name
    return "" if name == login else name


# -- long notes go to the appendix --------------------------------------------------------------


def note_numbers(view: CycleView) -> dict[tuple[int, int], int]:
    """The appendix number of every long note: cycle notes (-1, i) first, then visits' (v, i)."""
    numbers: dict[tuple[int, int], int] = {}
    for index, note in enumerate(view.state.cycle_notes):
        if len(note.text) > LONG_NOTE:
            numbers[(-1, index)] = len(numbers) + 1
    for visit_index, visit in enumerate(view.state.visits):
        for index, note in enumerate(visit.notes):
            if len(note.text) > LONG_NOTE:
                numbers[(visit_index, index)] = len(numbers) + 1
    return numbers


def note_text(text: str, number: int | None) -> str:
    """The note itself, or for a long one its opening words and where the rest is."""
    if number is None:
        return text
    opening = " ".join(text[:160].split()[:-1]) or text[:160]
    return f"{opening} … (selengkapnya di Lampiran, catatan {number})"


def appendix_notes(view: CycleView) -> list[tuple[int, str, str]]:
    """(number, where it was written, full text) of every long note, in appendix order."""
    tz = view.definition.calendar.timezone
    numbers = note_numbers(view)
    result = []
    for index, note in enumerate(view.state.cycle_notes):
        if (-1, index) in numbers:
            result.append(
                (numbers[(-1, index)], f"Catatan siklus, {moment(note.at, tz)}", note.text)
            )
    for visit_index, visit in enumerate(view.state.visits):
        for index, note in enumerate(visit.notes):
            if (visit_index, index) in numbers:
                where = f"Langkah {step_label(visit.step, visit.round)}, {moment(note.at, tz)}"
                result.append((numbers[(visit_index, index)], where, note.text))
    return result


# -- the execution table ----------------------------------------------------------------------


def _when(view: CycleView, visit: Visit) -> str:
    tz = view.definition.calendar.timezone
    if visit.ended_at is None:
        return f"mulai {moment(visit.started_at, tz)}"
    start, end = local(visit.started_at, tz), local(visit.ended_at, tz)
    if start.date() == end.date():
        return f"{long_date(start.date())} {start:%H.%M}–{clock_time(visit.ended_at, tz)}"
    return f"{moment(visit.started_at, tz)} – {moment(visit.ended_at, tz)}"


def _selisih(view: CycleView, timing: StepTiming) -> str:
    if timing.standard.kind == StandardKind.DEADLINE:
        if timing.overdue_minutes > 0:
            return f"+{span(view, timing.overdue_minutes)}\nmelewati batas"
        return "sebelum batas"
    if timing.standard_minutes is None:
        return "-"
    return signed(view, timing.elapsed_minutes - timing.standard_minutes)


def _standard_cell(
    view: CycleView, step: Step, visit: Visit | None, timing: StepTiming | None
) -> str:
    text = _standard_text(step)
    if visit is not None and timing is not None:
        due = deadline_text(view, visit, timing)
        if due:
            text += f"\nbatas: {due}"
    return text


def _keterangan(
    view: CycleView,
    step: Step,
    visit: Visit,
    timing: StepTiming,
    notes: dict[tuple[int, int], int],
    visit_index: int,
) -> str:
    tz = view.definition.calendar.timezone
    lines = []
    for spec in step.inputs:
        if spec.id in visit.inputs:
            lines.append(f"{spec.label}: {input_text(spec, visit.inputs[spec.id])}")
    known = {s.id for s in step.inputs}
    for key, value in visit.inputs.items():
        if key not in known:
            lines.append(f"{key}: {value}")
    absent = [spec.label for spec in step.inputs if spec.id not in visit.inputs]
    required = {spec.label for spec in missing_inputs(step, visit.inputs)}
    if absent:
        word = (
            "tidak diisi"
            if visit.outcome in (Outcome.COMPLETED, Outcome.YES, Outcome.NO)
            else "belum ada"
        )
        listed = ", ".join(f"{x}{'' if x in required else ' (tidak wajib)'}" for x in absent)
        lines.append(f"Kelengkapan {word}: {listed}")
    if step.decision is not None and visit.outcome in (Outcome.YES, Outcome.NO):
        label = step.decision.yes_label if visit.outcome == Outcome.YES else step.decision.no_label
        target = view.definition.successors(step.number)[
            "yes" if visit.outcome == Outcome.YES else "no"
        ]
        line = f"Keputusan: {label}"
        if visit.outcome == Outcome.NO:
            line = f"Dikembalikan ({label}) ke langkah {target}"
        if visit.reason:
            line += f": {visit.reason}"
        lines.append(line)
    for pause in visit.pauses:
        text = f"Dijeda {moment(pause.start, tz)} – "
        text += moment(pause.end, tz) if pause.end is not None else "sekarang"
        if pause.reason:
            text += f" ({pause.reason})"
        if pause.resume_reason:
            text += f"; dilanjutkan: {pause.resume_reason}"
        lines.append(text)
    for index, note in enumerate(visit.notes):
        lines.append(f"Catatan: {note_text(note.text, notes.get((visit_index, index)))}")
    if visit.outcome == Outcome.CANCELLED:
        lines.append(
            "Siklus dibatalkan pada langkah ini" + (f": {visit.reason}" if visit.reason else "")
        )
    elif visit.ended_at is None:
        lines.append(RUNNING)
    if timing.status == TimeStatus.OVERDUE:
        lines.append(time_status(TimeStatus.OVERDUE).capitalize())
    return "\n".join(lines) or "-"


def _state(timing: StepTiming) -> str:
    if timing.status == TimeStatus.OVERDUE:
        return "overdue"  # a running step past its standard is shown late too
    if timing.running:
        return "running"
    return timing.status.value if timing.status != TimeStatus.NEAR_LIMIT else "on_time"


NOT_TAKEN_CANCELLED = "Tidak dilaksanakan (siklus dibatalkan)"


def execution_rows(view: CycleView) -> list[ExecutionRow]:
    """Every visit in the order it happened, then the steps never taken, in SOP order."""
    rows = []
    taken: set[int] = set()
    notes = note_numbers(view)
    pairs = zip(view.state.visits, view.timing.visits, strict=True)
    for index, (visit, timing) in enumerate(pairs):
        step = view.definition.step(visit.step)
        taken.add(step.number)
        rows.append(
            ExecutionRow(
                no=step_label(step.number, visit.round),
                kegiatan=step.activity,
                pelaksana=pelaksana(view, step),
                kelengkapan="\n".join(f"- {s.label}" for s in step.inputs) or "-",
                waktu_standar=_standard_cell(view, step, visit, timing),
                output=step.output or "-",
                waktu_aktual=f"{span(view, timing.elapsed_minutes)}\n{_when(view, visit)}",
                selisih=_selisih(view, timing),
                keterangan=_keterangan(view, step, visit, timing, notes, index),
                state=_state(timing),
            )
        )
    cancelled = view.state.status == CycleStatus.CANCELLED
    for step in view.definition.steps:
        if step.number in taken:
            continue
        rows.append(
            ExecutionRow(
                no=str(step.number),
                kegiatan=step.activity,
                pelaksana=pelaksana(view, step),
                kelengkapan="\n".join(f"- {s.label}" for s in step.inputs) or "-",
                waktu_standar=_standard_cell(view, step, None, None),
                output=step.output or "-",
                waktu_aktual="-",
                selisih="-",
                keterangan=NOT_TAKEN_CANCELLED if cancelled else "Belum dilaksanakan",
                state="not_taken",
            )
        )
    return rows


# -- monitoring ---------------------------------------------------------------------------------


def _late_action(view: CycleView, step: Step, minutes: float, running: bool) -> str:
    who = view.definition.actor_titles(step) or "pelaksana"
    if running:
        late = span(view, minutes)
        return f"Selesaikan langkah {step.number} ({who}); sudah {late} melewati standar"
    return (
        f"Telusuri bersama {who} penyebab keterlambatan {span(view, minutes)} pada langkah "
        f"{step.number}; bila berulang, usulkan peninjauan waktu standar "
        f"({_standard_text(step).lower()})"
    )


def _return_action(step: Step, reasons: list[str]) -> str:
    what = "; ".join(reasons) if reasons else "alasan tidak dicatat"
    return (
        f"Periksa kembali hal yang menjadi alasan pengembalian ({what}) sebelum langkah "
        f"{step.number} diajukan lagi"
    )


def monitoring_rows(view: CycleView) -> list[MonitoringRow]:
    """The monitoring table pre-filled from what happened: lateness and returns are findings,
    and the actions name the step, its actors and the figures (to be reviewed by the assessor).
    A step not reached is not assessed (neither column ticked)."""
    rows = []
    cancelled = view.state.status == CycleStatus.CANCELLED
    for step in view.definition.steps:
        pairs = [
            (v, t)
            for v, t in zip(view.state.visits, view.timing.visits, strict=True)
            if v.step == step.number
        ]
        notes: list[str] = []
        actions: list[str] = []
        good: bool | None = True
        several = len(pairs) > 1
        for visit, timing in pairs:
            suffix = f" (pelaksanaan ke-{visit.round})" if several else ""
            if timing.status == TimeStatus.OVERDUE:
                good = False
                late = span(view, timing.overdue_minutes)
                if timing.standard.kind == StandardKind.DEADLINE:
                    text = f"Melewati batas waktu ({_standard_text(step).lower()}) {late}"
                else:
                    text = f"Terlambat {late} dari standar {_standard_text(step).lower()}"
                if timing.running:
                    text = f"{RUNNING}; " + text[0].lower() + text[1:]
                notes.append(text + suffix)
                actions.append(_late_action(view, step, timing.overdue_minutes, timing.running))
            elif timing.running:
                good = None if good is True else good
                notes.append(RUNNING)
            if visit.outcome == Outcome.CANCELLED:
                good = False
                notes.append("Siklus dibatalkan pada langkah ini")
        returns = view.state.returns.get(step.number, 0)
        if returns:
            good = False
            reasons = [v.reason for v, _ in pairs if v.outcome == Outcome.NO and v.reason]
            text = f"Dikembalikan {returns} kali"
            if reasons:
                text += ": " + "; ".join(reasons)
            notes.append(text)
            actions.append(_return_action(step, reasons))
        if several and step.number not in view.state.returns:
            notes.append(f"Dilaksanakan {len(pairs)} kali karena pengembalian")
        if not pairs:
            good = None
            notes.append(NOT_TAKEN_CANCELLED if cancelled else "Belum dilaksanakan")
        rows.append(
            MonitoringRow(
                no=step.number,
                prosedur=step.activity,
                berjalan_baik=good,
                catatan="\n".join(notes) if notes else "Sesuai standar",
                tindakan="\n".join(actions) if actions else "-",
            )
        )
    return rows


# -- chart ------------------------------------------------------------------------------------


def chart_rows(view: CycleView) -> list[ChartRow]:
    rows = []
    for step in view.definition.steps:
        timings = [
            t
            for v, t in zip(view.state.visits, view.timing.visits, strict=True)
            if v.step == step.number
        ]
        actual = sum(t.elapsed_minutes for t in timings) if timings else None
        standard = timings[0].standard_minutes if timings else None
        if not timings:
            from langkah.engine.timing import standard_minutes

            standard = standard_minutes(step.standard, view.definition.calendar.working_hours)
        label = re.sub(r"\s+", " ", step.activity)
        rows.append(
            ChartRow(
                no=step.number,
                label=label,
                standard_minutes=standard,
                actual_minutes=actual,
                standard_text=_standard_text(step),
                actual_text=span(view, actual) if actual is not None else "belum",
                overdue=any(t.status == TimeStatus.OVERDUE for t in timings),
            )
        )
    return rows


# -- place, date and signatures -----------------------------------------------------------------


def report_date(view: CycleView, options: ReportOptions) -> dt.date:
    if options.date is not None:
        return options.date
    instant = view.state.ended_at or view.now
    return local(instant, view.definition.calendar.timezone).date()


def place_date(view: CycleView, options: ReportOptions) -> str:
    place = (options.place or "").strip() or view.definition.identity.office.place
    return f"{place}, {long_date(report_date(view, options))}"


_OFFICER = (re.compile(r"sek(cam|ret)", re.I), re.compile(r"kasu?bb?ag|kepala sub", re.I))


def _named(person: Person | None) -> bool:
    return person is not None and bool(person.name.strip())


def _signature(above: list[str], person: Person | None) -> Signature:
    if person is None or not person.name.strip():
        return Signature(above, BLANK, NAMA_TERANG, BLANK_NIP, filled=False)
    return Signature(above, person.name.strip(), person.rank.strip(), nip_text(person.nip))


def kepala(view: CycleView) -> Person | None:
    """Who signs "Mengetahui": the cycle's `kepala`, else the SOP's Camat actor if named, else
    the definition's approver (the newest name given wins; the approver only when none is)."""
    roles = view.state.roles
    for role in (KEPALA, "camat"):
        if _named(roles.get(role)):
            return roles[role]
    signer = view.definition.identity.approved_by
    if signer is not None and signer.name.strip():
        return Person(name=signer.name, nip=signer.nip, rank=signer.rank)
    return None


def penanggung_jawab(view: CycleView) -> tuple[str, Person | None]:
    """The right-hand signer and the title above the name: the cycle's `penanggung_jawab`
    (titled by the actor role the same person holds, if any), else the named officer among the
    SOP's actors (Sekretaris, then Kepala Sub Bagian), else a blank to sign by hand. Never the
    person who happened to record the cycle."""
    roles = view.state.roles
    officers = [
        actor
        for pattern in _OFFICER
        for actor in view.definition.actors
        if actor.id != "camat" and (pattern.search(actor.id) or pattern.search(actor.title))
    ]
    chosen = roles.get(PENANGGUNG_JAWAB)
    if _named(chosen):
        assert chosen is not None
        for actor in view.definition.actors:
            holder = roles.get(actor.id)
            if (
                holder is not None
                and holder.name.strip().casefold() == chosen.name.strip().casefold()
            ):
                return actor.title, chosen
        return "Penanggung Jawab", chosen
    for actor in officers:
        if _named(roles.get(actor.id)):
            return actor.title, roles[actor.id]
    return (officers[0].title if officers else "Penanggung Jawab"), None


# Jabatan written short in SOP tables, written in full above a signature.
_FULL_TITLES = (
    (re.compile(r"^sekcam\b", re.I), "Sekretaris Kecamatan"),
    (re.compile(r"^kasu?bb?ag\b", re.I), "Kepala Sub Bagian"),
    (re.compile(r"^kasi\b", re.I), "Kepala Seksi"),
)


def full_title(title: str) -> str:
    """ "Sekcam" -> "Sekretaris Kecamatan", "Kasubag Evapor" -> "Kepala Sub Bagian Evapor"."""
    for pattern, full in _FULL_TITLES:
        if pattern.search(title):
            return pattern.sub(full, title, count=1)
    return title


def signatures(view: CycleView, options: ReportOptions) -> Signatures:
    identity = view.definition.identity
    left = _signature(["Mengetahui,", f"{identity.office.head_label},"], kepala(view))
    title, person = penanggung_jawab(view)
    right = _signature([place_date(view, options), f"{full_title(title)},"], person)
    return Signatures(left, right, place_date(view, options))


def conclusion(view: CycleView) -> list[str]:
    """The conclusion's sentences (langkah.report.figures)."""
    from langkah.report.figures import conclusion as sentences

    return sentences(view)


def header_text(view: CycleView) -> str:
    identity = view.definition.identity
    text = f"Laporan SOP {identity.name} — {identity.office.unit_label} — {view.period.label('id')}"
    return text


def integrity_notice(view: CycleView) -> str | None:
    """The notice a report of a cycle that does not verify carries (None when it verifies)."""
    if view.integrity_problem is None:
        return None
    return (
        "PERHATIAN: catatan siklus ini tidak lolos verifikasi "
        f"({view.integrity_problem.message('id')}). Isi laporan ini tidak dapat dijamin "
        "sama dengan yang dicatat."
    )


def verification_line(view: CycleView) -> str | None:
    """The log's verification code, to check a signed paper copy against the log later with
    `langkah verify CYCLE --code CODE` (None when the view was not read from the store)."""
    if not view.log_head:
        return None
    return (
        f"Kode verifikasi: {verification_code(view.log_head)} "
        f"(catatan versi {view.version}; periksa: langkah verify {view.state.cycle_id} "
        '--code "KODE")'
    )
