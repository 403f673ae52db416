"""What goes into the report, as plain rows and strings computed from a CycleView.

Pure functions (no python-docx): the writer lays these out, tests can check them directly.
Texts are Bahasa Indonesia, the language of the documents a kecamatan signs.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from langkah.engine.cycle import CycleStatus, Outcome, Person, Visit
from langkah.engine.definition import Step
from langkah.engine.events import verification_code
from langkah.engine.inputs import format_value
from langkah.engine.standard_time import StandardKind
from langkah.engine.timing import StepTiming, TimeStatus, minutes_per_day
from langkah.engine.vocabulary import cycle_status, outcome, time_status
from langkah.formatting import clock_time, date_time, duration, local, long_date, nip
from langkah.report.options import MonitoringRow, ReportOptions
from langkah.views import CycleView

BLANK = "........................................"
BLANK_SHORT = "..............................."
BLANK_NIP = "NIP. ................................"

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


def per_day(view: CycleView) -> float:
    return minutes_per_day(view.definition.calendar.working_hours) or 450.0


def span(view: CycleView, minutes: float | None) -> str:
    """Working minutes as "1 hari 2 jam 5 menit" (a day = the calendar's working day)."""
    return duration(minutes, "id", per_day(view))


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


def _date(day: dt.date | int | str | None) -> str:
    if isinstance(day, dt.date):
        return long_date(day)
    return "-" if day is None or not str(day).strip() else str(day).strip()


def identity_rows(view: CycleView) -> list[tuple[str, str]]:
    identity = view.definition.identity
    signer = identity.approved_by
    approved = "-"
    if signer is not None:
        parts = [signer.position]
        if signer.name:
            parts.append(signer.name)
        details = ", ".join(
            x for x in (signer.rank, f"NIP. {nip(signer.nip)}" if signer.nip else "") if x
        )
        approved = "\n".join(parts) + (f"\n{details}" if details else "")
    rows = [
        ("Nama SOP", identity.name),
        ("Nomor SOP", identity.number or "-"),
        ("Unit / Sub Unit", " / ".join(x for x in (identity.unit, identity.sub_unit) if x)),
        ("Tanggal Pembuatan", _date(identity.created)),
        ("Tanggal Revisi", _date(identity.revised)),
        ("Tanggal Efektif", _date(identity.effective)),
        ("Disahkan oleh", approved),
        ("Periode", view.period.label("id")),
        ("Kode siklus", f"{view.state.cycle_id} (definisi {view.state.definition_version})"),
    ]
    return rows


def role_rows(view: CycleView) -> list[tuple[str, str, str, str]]:
    """Peran | Nama | NIP | Pangkat, one per actor; unknown holders are lines to fill by hand."""
    rows = []
    for actor in view.definition.actors:
        person = view.state.roles.get(actor.id) or Person()
        rows.append(
            (
                actor.title,
                person.name.strip() or BLANK_SHORT,
                nip(person.nip) if person.nip.strip() else "-",
                person.rank.strip() or "-",
            )
        )
    return rows


def _signed(minutes: float, view: CycleView) -> str:
    if abs(minutes) < 0.5:
        return "0 menit"
    sign = "+" if minutes > 0 else "−"
    return f"{sign}{span(view, abs(minutes))}"


def summary_rows(view: CycleView) -> list[tuple[str, str]]:
    state, timing, tz = view.state, view.timing, view.definition.calendar.timezone
    status = STATUS_TEXT[state.status]
    if state.is_open:
        status += f" (langkah {state.current_step})"
        if state.status == CycleStatus.PAUSED:
            pause = state.visits[-1].pauses[-1] if state.visits[-1].pauses else None
            if pause and pause.reason:
                status += f": {pause.reason}"
    elif state.status == CycleStatus.CANCELLED and state.end_reason:
        status += f": {state.end_reason}"
    started = date_time(state.started_at, tz)
    if state.started_by:
        started += f" (oleh {state.started_by})"
    if state.ended_at is not None:
        ended = date_time(state.ended_at, tz)
    else:
        ended = f"belum selesai (per {date_time(view.now, tz)})"
    done = [t for t in timing.visits if not t.running]
    with_standard = [t for t in done if t.status != TimeStatus.NO_STANDARD]
    late = [t for t in done if t.status == TimeStatus.OVERDUE]
    on_time = len(with_standard) - len(late)
    deadline_steps = [
        s.number for s in view.definition.steps if s.standard.kind == StandardKind.DEADLINE
    ]
    standard_text = span(view, timing.standard_minutes)
    if deadline_steps:
        listed = ", ".join(str(n) for n in deadline_steps)
        standard_text += f" (tanpa langkah {listed}, yang batasnya berupa tanggal)"
    rows = [
        ("Status", status),
        ("Dimulai", started),
        ("Selesai", ended),
        ("Waktu kerja seluruhnya", f"{span(view, timing.elapsed_minutes)} (jam kerja)"),
        ("Jumlah waktu standar", standard_text),
        (
            "Selisih",
            _signed(timing.elapsed_minutes - timing.standard_minutes, view)
            if state.status == CycleStatus.FINISHED
            else "- (siklus tidak selesai)",
        ),
        (
            "Langkah tepat waktu",
            f"{on_time} dari {len(with_standard)} pelaksanaan langkah yang berwaktu standar",
        ),
        (
            "Langkah terlambat",
            f"{len(late)}" + (f" (langkah {', '.join(str(t.step) for t in late)})" if late else ""),
        ),
    ]
    if state.returns:
        details = "; ".join(f"langkah {k}: {v} kali" for k, v in sorted(state.returns.items()))
        rows.append(("Pengembalian", f"{state.total_returns} ({details})"))
    else:
        rows.append(("Pengembalian", "0"))
    for note in state.cycle_notes:
        rows.append(("Catatan", note.text))
    return rows


# -- the execution table ----------------------------------------------------------------------


def _when(view: CycleView, visit: Visit) -> str:
    tz = view.definition.calendar.timezone
    start = local(visit.started_at, tz)
    if visit.ended_at is None:
        return f"mulai {start:%d/%m/%Y} {clock_time(visit.started_at, tz)}"
    end = local(visit.ended_at, tz)
    if start.date() == end.date():
        return f"{start:%d/%m/%Y} {start:%H.%M}–{clock_time(visit.ended_at, tz)}"
    return f"{start:%d/%m/%Y} {start:%H.%M} – {end:%d/%m/%Y} {clock_time(visit.ended_at, tz)}"


def _selisih(view: CycleView, timing: StepTiming) -> str:
    if timing.standard.kind == StandardKind.DEADLINE:
        if timing.overdue_minutes > 0:
            return f"+{span(view, timing.overdue_minutes)}\nmelewati batas"
        return "sebelum batas"
    if timing.standard_minutes is None:
        return "-"
    return _signed(timing.elapsed_minutes - timing.standard_minutes, view)


def _keterangan(view: CycleView, step: Step, visit: Visit, timing: StepTiming) -> str:
    lines = []
    for spec in step.inputs:
        if spec.id in visit.inputs:
            lines.append(f"{spec.label}: {format_value(spec, visit.inputs[spec.id])}")
    known = {s.id for s in step.inputs}
    for key, value in visit.inputs.items():
        if key not in known:
            lines.append(f"{key}: {value}")
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
        text = "Dijeda"
        if pause.reason:
            text += f": {pause.reason}"
        if pause.resume_reason:
            text += f"; dilanjutkan: {pause.resume_reason}"
        lines.append(text)
    for note in visit.notes:
        lines.append(f"Catatan: {note.text}")
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
    if timing.running:
        return "running"
    return timing.status.value if timing.status != TimeStatus.NEAR_LIMIT else "on_time"


def execution_rows(view: CycleView) -> list[ExecutionRow]:
    """Every visit in the order it happened, then the steps never taken, in SOP order."""
    rows = []
    taken: set[int] = set()
    for visit, timing in zip(view.state.visits, view.timing.visits, strict=True):
        step = view.definition.step(visit.step)
        taken.add(step.number)
        rows.append(
            ExecutionRow(
                no=str(step.number) if visit.round == 1 else f"{step.number} (ke-{visit.round})",
                kegiatan=step.activity,
                pelaksana=pelaksana(view, step),
                kelengkapan="\n".join(f"- {s.label}" for s in step.inputs) or "-",
                waktu_standar=_standard_text(step),
                output=step.output or "-",
                waktu_aktual=f"{span(view, timing.elapsed_minutes)}\n{_when(view, visit)}",
                selisih=_selisih(view, timing),
                keterangan=_keterangan(view, step, visit, timing),
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
                waktu_standar=_standard_text(step),
                output=step.output or "-",
                waktu_aktual="-",
                selisih="-",
                keterangan="Tidak dilaksanakan (siklus dibatalkan)"
                if cancelled
                else "Belum dilaksanakan",
                state="not_taken",
            )
        )
    return rows


# -- monitoring ---------------------------------------------------------------------------------

TINDAKAN_LATE = "Evaluasi pembagian tugas dan jadwal pelaksana, atau tinjau kembali waktu standar"
TINDAKAN_RETURN = "Periksa kelengkapan dan mutu hasil sebelum diajukan, sesuai arahan"


def monitoring_rows(view: CycleView) -> list[MonitoringRow]:
    """The monitoring table pre-filled from what happened: lateness and returns are findings."""
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
                if TINDAKAN_LATE not in actions:
                    actions.append(TINDAKAN_LATE)
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
            actions.append(TINDAKAN_RETURN)
        if several and step.number not in view.state.returns:
            notes.append(f"Dilaksanakan {len(pairs)} kali karena pengembalian")
        if not pairs:
            good = False if cancelled else None
            notes.append(
                "Tidak dilaksanakan (siklus dibatalkan)" if cancelled else "Belum dilaksanakan"
            )
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


def _signature(above: list[str], person: Person | None) -> Signature:
    if person is None or not person.name.strip():
        return Signature(above, BLANK, "", BLANK_NIP, filled=False)
    number = f"NIP. {nip(person.nip)}" if person.nip.strip() else ""
    return Signature(above, person.name.strip(), person.rank.strip(), number)


def signatures(view: CycleView, options: ReportOptions) -> Signatures:
    identity = view.definition.identity
    roles = view.state.roles
    camat = roles.get("camat")
    if camat is None or not camat.name.strip():
        signer = identity.approved_by
        camat = Person(name=signer.name, nip=signer.nip, rank=signer.rank) if signer else None
    left = _signature(["Mengetahui,", f"{identity.office.head_label},"], camat)
    named, unnamed = None, None
    for pattern in _OFFICER:
        for actor in view.definition.actors:
            if actor.id == "camat" or not (pattern.search(actor.id) or pattern.search(actor.title)):
                continue
            person = roles.get(actor.id)
            if person is not None and person.name.strip():
                named = named or (actor.title, person)
            else:
                unnamed = unnamed or (actor.title, None)
    # Only a person named as the officer signs here; otherwise the name is left blank, on a line
    # to write on (never whoever happened to record the cycle).
    if named is not None:
        title, person = named
    elif unnamed is not None:
        title, person = unnamed
    else:
        title, person = "Pelaksana", None
    right = _signature([place_date(view, options), f"{title},"], person)
    return Signatures(left, right, place_date(view, options))


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
        f"({view.integrity_problem}). Isi laporan ini tidak dapat dijamin sama dengan "
        "yang dicatat."
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
