"""The report's figures, counted honestly, and the conclusion written from them.

Pure (no python-docx). Rules (issue 13, part 3):
- a step is *timed* when it has a standard (a duration, working days, or a calendar deadline);
  one without a standard is neither on time nor late, and counts in no total;
- a finished visit of a timed step is on time or late (one stopped by a cancellation is late
  only if it was past its standard already); a running visit already past its
  standard counts as late (a draft shows the lateness that exists now); a running visit still
  within its standard is not counted yet;
- "Persentase langkah tepat waktu" = visits on time / visits counted;
- the time totals (actual, standard, difference) add only finished visits whose standard is a
  length of working time; a calendar deadline is a date, not a length, and is listed apart.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from langkah.engine.cycle import CycleStatus, Outcome, Visit
from langkah.engine.definition import CalendarSpec
from langkah.engine.standard_time import StandardKind
from langkah.engine.timing import StepTiming, TimeStatus, minutes_per_day
from langkah.formatting import clock_time, duration, local, long_date
from langkah.views import CycleView

NBSP = "\u00a0"
PERPRES = "Perpres 21/2023"


def per_day(view: CycleView) -> float:
    return minutes_per_day(view.definition.calendar.working_hours) or 450.0


def span(view: CycleView, minutes: float | None) -> str:
    """Working minutes as "1 hari 2 jam 5 menit" (a day = the calendar's working day)."""
    return duration(minutes, "id", per_day(view))


def moment(instant: dt.datetime, timezone: str) -> str:
    """The one date-time format of the report: "5 Oktober 2026 09.30 WIB"."""
    return f"{long_date(local(instant, timezone).date())} {clock_time(instant, timezone)}"


def step_label(number: int, round_: int = 1) -> str:
    """ "7" or "7 (ke-2)", never broken across lines."""
    return str(number) if round_ == 1 else f"{number}{NBSP}(ke-{round_})"


def signed(view: CycleView, minutes: float) -> str:
    if abs(minutes) < 0.5:
        return "0 menit"
    return f"{'+' if minutes > 0 else '−'}{span(view, abs(minutes))}"


def units_text(view: CycleView) -> str:
    """How working time is counted, said once."""
    day = duration(per_day(view), "id")
    source = (
        f"jam kerja {PERPRES}"
        if _default_hours(view.definition.calendar)
        else "jam kerja yang ditetapkan dalam SOP ini"
    )
    return (
        f"Waktu dihitung dalam jam kerja: 1 hari kerja = {day} menurut {source}; "
        "istirahat, hari libur nasional, cuti bersama dan masa jeda tidak dihitung."
    )


def _default_hours(spec: CalendarSpec) -> bool:
    return spec.hours is None


@dataclass
class Late:
    step: int
    round: int
    overdue_minutes: float
    running: bool
    deadline: bool


@dataclass
class Figures:
    counted: int = 0  # visits of timed steps that can be judged (finished, or running and late)
    on_time: int = 0
    late: list[Late] = field(default_factory=list)
    pending: int = 0  # running visits still within their standard
    actual_minutes: float = 0.0  # finished visits with a length standard
    standard_minutes: float = 0.0  # the same visits' standards
    deadline_steps: list[int] = field(default_factory=list)
    untimed_steps: list[int] = field(default_factory=list)

    @property
    def percent(self) -> float | None:
        return 100.0 * self.on_time / self.counted if self.counted else None

    @property
    def percent_text(self) -> str:
        value = self.percent
        if value is None:
            return "-"
        text = f"{value:.1f}".replace(".", ",")
        return (text[:-2] if text.endswith(",0") else text) + "%"


def figures(view: CycleView) -> Figures:
    result = Figures()
    for step in view.definition.steps:
        if step.standard.kind == StandardKind.DEADLINE:
            result.deadline_steps.append(step.number)
        elif step.standard.kind == StandardKind.NONE:
            result.untimed_steps.append(step.number)
    for visit, timing in zip(view.state.visits, view.timing.visits, strict=True):
        if timing.status == TimeStatus.NO_STANDARD:
            continue
        late = timing.status == TimeStatus.OVERDUE
        if visit.outcome == Outcome.CANCELLED and not late:
            continue  # stopped by the cancellation: neither done on time nor late
        if timing.running and not late:
            result.pending += 1
            continue
        result.counted += 1
        if late:
            result.late.append(
                Late(
                    visit.step,
                    visit.round,
                    timing.overdue_minutes,
                    timing.running,
                    timing.standard.kind == StandardKind.DEADLINE,
                )
            )
        else:
            result.on_time += 1
        if (
            not timing.running
            and visit.outcome != Outcome.CANCELLED
            and timing.standard_minutes is not None
        ):
            result.actual_minutes += timing.elapsed_minutes
            result.standard_minutes += timing.standard_minutes
    return result


def deadline_text(view: CycleView, visit: Visit, timing: StepTiming) -> str:
    """When the visit's standard ran or runs out: a date and time for a length of working
    time, a date for a calendar deadline ("" without a standard)."""
    tz = view.definition.calendar.timezone
    if timing.standard.kind == StandardKind.DEADLINE:
        if timing.due is None:
            return ""
        return long_date(local(timing.due - dt.timedelta(seconds=1), tz).date())
    if timing.standard_minutes is None:
        return ""
    due = timing.due
    if due is None:
        due = view.calendar.add_working_minutes(
            visit.started_at, timing.standard_minutes + timing.paused_minutes
        )
    return moment(due, tz)


def _late_list(view: CycleView, late: list[Late]) -> str:
    parts = []
    for item in late:
        what = f"langkah {step_label(item.step, item.round)}: {span(view, item.overdue_minutes)}"
        if item.running:
            what += " dan masih berjalan"
        parts.append(what)
    return "; ".join(parts)


def conclusion(view: CycleView) -> list[str]:
    """The conclusion, sentence by sentence, from the figures only (no praise, no advice that
    the data does not support)."""
    state, tz = view.state, view.definition.calendar.timezone
    data = figures(view)
    sentences = []
    if state.status == CycleStatus.FINISHED and state.ended_at is not None:
        sentences.append(
            f"Siklus selesai pada {moment(state.ended_at, tz)} setelah "
            f"{span(view, view.timing.elapsed_minutes)} kerja pada "
            f"{len(state.visits)} pelaksanaan langkah."
        )
    elif state.status == CycleStatus.CANCELLED:
        step = state.visits[-1].step if state.visits else None
        when = moment(state.ended_at, tz) if state.ended_at else ""
        reason = f" dengan alasan: {state.end_reason}" if state.end_reason else ""
        sentences.append(f"Siklus dibatalkan pada langkah {step} ({when}){reason}.")
    else:
        word = "dijeda" if state.status == CycleStatus.PAUSED else "berjalan"
        sentences.append(
            f"Siklus belum selesai: per {moment(view.now, tz)} langkah "
            f"{state.current_step} sedang {word}."
        )
    if data.counted:
        text = (
            f"Dari {data.counted} pelaksanaan langkah berwaktu standar yang dapat dinilai, "
            f"{data.on_time} tepat waktu ({data.percent_text})"
        )
        if data.late:
            text += f" dan {len(data.late)} terlambat ({_late_list(view, data.late)})"
        sentences.append(text + ".")
    else:
        sentences.append("Belum ada pelaksanaan langkah berwaktu standar yang dapat dinilai.")
    if data.pending:
        sentences.append(f"{data.pending} langkah yang sedang berjalan masih dalam waktu standar.")
    if data.standard_minutes:
        difference = data.actual_minutes - data.standard_minutes
        relation = "di atas" if difference > 0.5 else "di bawah" if difference < -0.5 else "sama"
        text = (
            f"Langkah berwaktu standar yang sudah selesai memakan {span(view, data.actual_minutes)}"
            f" kerja terhadap jumlah waktu standar {span(view, data.standard_minutes)}"
        )
        if relation == "sama":
            text += " (sama dengan standar)"
        else:
            text += f" ({span(view, abs(difference))} {relation} standar)"
        sentences.append(text + ".")
    if state.total_returns:
        reasons = [
            f"langkah {v.step}: {v.reason}" if v.reason else f"langkah {v.step}"
            for v in state.visits
            if v.outcome == Outcome.NO
        ]
        listed = "; ".join(reasons)
        sentences.append(
            f"Hasil dikembalikan untuk diperbaiki {state.total_returns} kali ({listed})."
        )
    else:
        sentences.append("Tidak ada pengembalian.")
    pauses = [p for v in state.visits for p in v.pauses]
    if pauses:
        paused = sum(t.paused_minutes for t in view.timing.visits)
        sentences.append(f"Siklus dijeda {len(pauses)} kali ({span(view, paused)} kerja).")
    missing = view.missing if state.is_open else []
    if missing:
        names = ", ".join(spec.label for spec in missing)
        sentences.append(f"Kelengkapan langkah {state.current_step} yang belum ada: {names}.")
    return sentences
