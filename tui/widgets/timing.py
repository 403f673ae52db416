"""The current step's time: standard against elapsed working time, a bar, and the wall clock."""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import ProgressBar, Static

from langkah.display import visible
from langkah.engine.standard_time import StandardKind
from langkah.engine.timing import StepTiming, TimeStatus, minutes_per_day
from langkah.formatting import clock_duration, clock_time, date_time, duration
from langkah.service import CycleView
from langkah.tui.strings import language, t

STATUS_CLASSES = {
    TimeStatus.ON_TIME: "-on-time",
    TimeStatus.NEAR_LIMIT: "-near-limit",
    TimeStatus.OVERDUE: "-overdue",
    TimeStatus.NO_STANDARD: "-no-standard",
}


def timing_lines(view: CycleView, timing: StepTiming) -> Text:
    lang = language()
    zone = view.definition.calendar.timezone
    per_day = minutes_per_day(view.definition.calendar.working_hours)
    standard = timing.standard
    text = Text()
    text.append(f"{t('run.standard')}: ", style="bold")
    if standard.kind == StandardKind.NONE:
        text.append(t("run.no_standard"))
    else:
        text.append(visible(standard.shown(lang), one_line=True))
    if timing.due is not None:
        text.append(f"  ({t('run.due')} {date_time(timing.due, zone, lang)})")
    text.append("\n")
    text.append(f"{t('run.elapsed')}: ", style="bold")
    text.append(f"{duration(timing.elapsed_minutes, lang, per_day)} {t('run.working')}")
    if timing.elapsed_minutes < per_day:
        text.append(f"  ·  {clock_duration(timing.elapsed_minutes)}")
    if timing.status == TimeStatus.OVERDUE:
        text.append("  ")
        text.append(
            t("run.overdue_by", d=duration(timing.overdue_minutes, lang, per_day)), style="bold"
        )
    elif timing.remaining_minutes is not None:
        text.append("  ")
        text.append(t("run.remaining", d=duration(timing.remaining_minutes, lang, per_day)))
    text.append("\n")
    text.append(f"{t('run.now')}: ", style="bold")
    text.append(clock_time(view.now, zone))
    if timing.running:  # the wall clock keeps ticking when working time stands still
        text.append(f"  ·  {clock_duration(timing.wall_minutes)} {t('run.since_start')}")
        if view.calendar.next_working_start(view.now) != view.now.astimezone(dt.UTC):
            text.append(f" ({t('run.off_hours')})")
    text.append(f"  ({t('time.' + timing.status.value)})")
    return text


class TimingPanel(Vertical):
    """Shows a step's timing; the `status` watcher sets the CSS class that colours the bar."""

    status: reactive[TimeStatus] = reactive(TimeStatus.NO_STANDARD)

    def compose(self) -> ComposeResult:
        yield Static(id="timing-text", markup=False)
        yield ProgressBar(total=100, show_eta=False, id="timing-bar")

    def show(self, view: CycleView, timing: StepTiming | None) -> None:
        text = self.query_one("#timing-text", Static)
        bar = self.query_one("#timing-bar", ProgressBar)
        if timing is None:
            text.update("")
            bar.display = False
            self.status = TimeStatus.NO_STANDARD
            return
        text.update(timing_lines(view, timing))
        bar.display = timing.fraction is not None
        if timing.fraction is not None:
            bar.update(progress=min(timing.fraction, 1.0) * 100)
        self.status = timing.status

    def watch_status(self, status: TimeStatus) -> None:
        for value, name in STATUS_CLASSES.items():
            self.set_class(value == status, name)
