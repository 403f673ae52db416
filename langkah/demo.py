"""Sample cycles for `langkah --demo`: one running now, one overdue, one sent back, one finished.

Everything goes through the service, with a fake clock moved forward between actions, so the
demo data is exactly what real use would have stored. The names of people are fictitious
(except the Camat who signed the Dawarblandong SOP, as written in it).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from langkah.engine.calendar import WorkingCalendar
from langkah.engine.cycle import Person
from langkah.engine.definition import InputKind, Step
from langkah.engine.period import Period
from langkah.engine.timing import minutes_per_day
from langkah.service import CycleView, Langkah

DAWARBLANDONG = "dawarblandong"
KALIPARE = "kalipare"
MENTEBAH = "mentebah"
RECORDER = "demo"

PEOPLE: dict[str, dict[str, Person]] = {
    DAWARBLANDONG: {
        "camat": Person(
            name="AKHMAD TAUFIQ, S.Sos., MM.", nip="197006261990031006", rank="Pembina"
        ),
        "sekcam": Person(
            name="Siti Rahmawati, S.AP.", nip="198005122005012003", rank="Penata Tk. I"
        ),
        "tim_sakip": Person(name="Budi Santoso, S.E.", nip="198703142010011002", rank="Penata"),
    },
    KALIPARE: {
        "sekretaris": Person(name="Dra. Endang Lestari", nip="196911201994032004", rank="Pembina"),
        "kasubag_evapor": Person(
            name="Agus Prasetyo, S.Kom.", nip="198409092009011005", rank="Penata"
        ),
    },
    MENTEBAH: {
        "kasubbag": Person(name="Yohanes Apui, S.Sos.", nip="198201152008011007", rank="Penata"),
    },
}


class _FakeClock:
    """The demo's clock: moved in working minutes of the SOP's calendar, so every sample action
    falls in office hours on a working day, as a real one would."""

    def __init__(self, start: dt.datetime):
        self.now = start
        self.calendar: WorkingCalendar | None = None

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, minutes: float) -> None:
        assert self.calendar is not None
        self.now = self.calendar.add_working_minutes(self.now, minutes)

    def back_from(self, end: dt.datetime, minutes: float) -> None:
        """Set the clock `minutes` working minutes before `end` (the latest such instant)."""
        assert self.calendar is not None
        self.now = working_minutes_before(self.calendar, end, minutes)


def working_minutes_before(
    calendar: WorkingCalendar, end: dt.datetime, minutes: float
) -> dt.datetime:
    """The latest instant from which `minutes` working minutes pass until `end` (bisection on
    the calendar's own count, to the second)."""
    low = end - dt.timedelta(days=minutes / 60 + 30)  # far enough back: >= 1 working h a day
    high = end
    while (high - low) > dt.timedelta(seconds=1):
        middle = low + (high - low) / 2
        if calendar.working_minutes(middle, end) >= minutes:
            low = middle
        else:
            high = middle
    # across a break the count stands still: the latest such instant is the break's end
    return calendar.next_working_start(low.replace(microsecond=0))


def _value(step: Step, kind: InputKind, day: dt.date, choices: tuple[str, ...]) -> Any:
    match kind:
        case InputKind.CHECK:
            return True
        case InputKind.DOCUMENT:
            return {
                "nomor": f"005/{step.number:03d}/416-317/{day.year}",
                "tanggal": day.isoformat(),
            }
        case InputKind.DATE:
            return day.isoformat()
        case InputKind.NUMBER:
            return 1
        case InputKind.CHOICE:
            return choices[0] if choices else ""
    return "Terlampir"


def _fill(service: Langkah, view: CycleView, clock: _FakeClock) -> CycleView:
    step = view.current_step
    if step is None or not step.inputs:
        return view
    day = clock.now.date()
    values = {s.id: _value(step, s.type, day, s.choices) for s in step.inputs}
    return service.record_inputs(view.state.cycle_id, values, view.version, by=RECORDER)


def _advance(
    service: Langkah, view: CycleView, clock: _FakeClock, until: int | None, minutes: float
) -> CycleView:
    """Take every step (filled, completed, decisions answered yes) until step `until` is current."""
    while view.state.is_open and view.state.current_step != until:
        clock.advance(minutes / 2)
        view = _fill(service, view, clock)
        clock.advance(minutes / 2)
        step = view.current_step
        if step is not None and step.decision:
            view = service.answer(view.state.cycle_id, True, None, view.version, by=RECORDER)
        else:
            view = service.complete(view.state.cycle_id, view.version, by=RECORDER)
    return view


def _sop(service: Langkah, kecamatan: str) -> str:
    for sop_id in service.catalog.definitions:  # ids only: nothing parsed
        if sop_id.startswith(kecamatan + "/"):
            return sop_id
    raise KeyError(f"the demo needs the {kecamatan} SOP, which is not in the catalog")


def seed_demo(app: Langkah, now: dt.datetime) -> list[str]:
    """Create the demo cycles as of `now`; returns their ids (the running one first). Every
    action falls in working time (times below are working minutes and days before `now`)."""
    saved_clock = app.clock
    clock = _FakeClock(now)
    app.clock = clock
    this_quarter = Period.containing(now.date(), "triwulan")
    previous = Period.containing(now.date() - dt.timedelta(days=92), "triwulan")
    ids = []

    def on(sop: str) -> str:
        sop_id = _sop(app, sop)
        definition = app.catalog.get(sop_id).definition
        clock.calendar = app.calendar(definition)
        return sop_id

    hours = app.catalog.get(_sop(app, DAWARBLANDONG)).definition.calendar.working_hours
    day = minutes_per_day(hours)  # a working day (all three SOPs: Perpres 21/2023 hours)
    try:
        # In a meeting now: Dawarblandong, this quarter, at step 4 for the last 40 minutes.
        sop = on(DAWARBLANDONG)
        clock.back_from(now, 4 * 60)
        view = app.start(sop, this_quarter, PEOPLE[DAWARBLANDONG], RECORDER)
        view = _advance(app, view, clock, 3, 60)
        clock.back_from(now, 40)
        view = _advance(app, view, clock, 4, 0)
        ids.append(view.state.cycle_id)

        # Overdue: Mentebah, this quarter, stuck at step 3 ("1 Hari") for about a week.
        sop = on(MENTEBAH)
        clock.back_from(now, 7 * day)
        view = app.start(sop, this_quarter, PEOPLE[MENTEBAH], RECORDER)
        view = _advance(app, view, clock, 2, 90)
        clock.back_from(now, 6 * day)
        view = _advance(app, view, clock, 3, 0)
        ids.append(view.state.cycle_id)

        # Sent back: Dawarblandong, previous quarter; step 9 answered "tidak" with a reason.
        sop = on(DAWARBLANDONG)
        clock.back_from(now, 14 * day)
        view = app.start(sop, previous, PEOPLE[DAWARBLANDONG], RECORDER)
        view = _advance(app, view, clock, 8, 240)
        clock.back_from(now, 2 * 60)
        view = _advance(app, view, clock, 9, 30)
        clock.advance(30)
        view = _fill(app, view, clock)
        clock.back_from(now, 25)
        view = app.answer(
            view.state.cycle_id,
            False,
            "Capaian indikator Seksi Kesra belum sesuai target Perjanjian Kinerja; "
            "lengkapi rekap sesuai arahan Sekcam",
            view.version,
            by=RECORDER,
        )
        clock.advance(5)
        view = app.note(
            view.state.cycle_id, "Rekap ulang dijadwalkan hari ini.", None, view.version, RECORDER
        )
        ids.append(view.state.cycle_id)

        # Finished: Kalipare, previous quarter, every step done in one working day.
        sop = on(KALIPARE)
        clock.back_from(now, 28 * day)
        view = app.start(sop, previous, PEOPLE[KALIPARE], RECORDER)
        view = _advance(app, view, clock, None, 20)
        ids.append(view.state.cycle_id)
    finally:
        app.clock = saved_clock
    return ids
